"""Writes recommendations/fixtures/recommendations.json from the list below (run it after editing the list).

Every entry was read in a stored copy of its source; `read_at` is where, when it differs from the source link.
`number`: the source's own number where it has one; otherwise s1, s2, ... in the order the source makes them.
Texts are our own summaries, not quotations.
"""

import json
from pathlib import Path

ODIHR_RS = {
    "institution": "odihr",
    "state": "RS",
    "source_title": "OSCE/ODIHR final report on Serbia's elections notes respect for fundamental freedoms, "
    "recommends steps to further enhance transparency of election process",
    "source_date": "2012-07-31",
    "source_url": "https://osce.org/odihr/elections/92510",
    "themes": ["free-elections"],
}
ODIHR_TJ = {
    "institution": "odihr",
    "state": "TJ",
    "source_title": "OSCE/ODIHR recommends comprehensive review of the electoral legal framework in Tajikistan",
    "source_date": "2015-05-15",
    "source_url": "https://www.osce.org/odihr/elections/tajikistan/158106",
    "read_at": "https://shhada.ir/odihr/elections/tajikistan/158106",
    "themes": ["free-elections"],
}
ODIHR_RU = {
    "institution": "odihr",
    "state": "RU",
    "source_title": "ODIHR final report on Russia's presidential election recommends bringing legislation on "
    "fundamental freedoms and candidate rights in line with OSCE commitments",
    "source_date": "2018-06-06",
    "source_url": "https://www.hellonews.online/technology-and-innovation-news-updates/odihr-final-report-on-"
    "russia%E2%80%99s-presidential-election-recommends-bringing-legislation-on-fundamental-freedoms-and-"
    "candidate-rights-in-line-with-osce-commitments-35482",
    "themes": ["free-elections"],
}
ODIHR_BY = {
    "institution": "odihr",
    "state": "BY",
    "source_title": "ODIHR final report on the early parliamentary elections in Belarus of 17 November 2019 "
    "(ODIHR statement as reported by UrduPoint/Sputnik: OSCE ODIHR offers 32 recommendations to Belarus)",
    "source_date": "2020-03-04",
    "source_url": "https://www.urdupoint.com/en/world/osce-odihr-offers-32-recommendations-to-belar-855361.html",
    "themes": ["free-elections"],
}
RFOM_STATEMENTS_2013_2014 = "https://www.osce.org/fom/statements?page=117"
ENTRIES = [
    # ODIHR, Serbia, parliamentary and early presidential elections of 6 and 20 May 2012.
    ODIHR_RS
    | {
        "number": "s1",
        "addressee": "parliament",
        "commitments": ["COP-1990-7.1", "COP-1990-24"],
        "text": "Review and harmonise the electoral legislation, for instance by adopting one "
        "comprehensive electoral code.",
    },
    ODIHR_RS
    | {
        "number": "s2",
        "addressee": "parliament",
        "commitments": ["COP-1990-8"],
        "text": "Put the rights of citizen and international election observers into law.",
    },
    ODIHR_RS
    | {
        "number": "s3",
        "addressee": "government",
        "commitments": ["COP-1990-7.3"],
        "text": "Make the voter register more accurate, with a more transparent compilation process.",
    },
    ODIHR_RS
    | {
        "number": "s4",
        "addressee": "judiciary",
        "commitments": ["COP-1990-5.16"],
        "text": "Resolve electoral disputes transparently everywhere, letting the parties attend hearings "
        "and argue their case themselves or through lawyers.",
    },
    ODIHR_RS
    | {
        "number": "s5",
        "addressee": "parliament",
        "commitments": ["COP-1990-7.8", "MOS-1991-26"],
        "text": "Make the ownership of media outlets more transparent.",
    },
    # ODIHR, Tajikistan, parliamentary elections of 1 March 2015.
    ODIHR_TJ
    | {
        "number": "s1",
        "addressee": "parliament",
        "commitments": ["COP-1990-7.3", "COP-1990-7.5", "COP-1990-9.1", "COP-1990-9.3"],
        "text": "Review the electoral legislation comprehensively, including the limits it places on "
        "freedom of association and expression and on the rights to vote and to stand.",
    },
    ODIHR_TJ
    | {
        "number": "s2",
        "addressee": "parliament",
        "commitments": ["COP-1990-7.1"],
        "text": "Make the election administration fully independent of the government and pluralistic "
        "enough to earn broad confidence.",
    },
    ODIHR_TJ
    | {
        "number": "s3",
        "addressee": "election_administration",
        "commitments": ["COP-1990-7.4"],
        "text": "Publish all essential election data in good time.",
    },
    ODIHR_TJ
    | {
        "number": "s4",
        "addressee": "election_administration",
        "commitments": ["COP-1990-7.4"],
        "text": "Act urgently on the serious shortcomings seen in voting and counting: secrecy and equality "
        "of the vote, integrity of ballot boxes, protection of voters from undue influence.",
    },
    ODIHR_TJ
    | {
        "number": "s5",
        "addressee": "authorities",
        "commitments": ["COP-1990-5.4"],
        "text": "Set up and apply mechanisms that keep State and party clearly apart, so candidates cannot "
        "use their office for their campaigns.",
    },
    ODIHR_TJ
    | {
        "number": "s6",
        "addressee": "parliament",
        "commitments": ["COP-1990-8"],
        "text": "Allow citizen observers by law, give observers access to every stage and the right to "
        "certified copies of results protocols.",
    },
    # ODIHR, Russian Federation, presidential election of 18 March 2018.
    ODIHR_RU
    | {
        "number": "s1",
        "addressee": "parliament",
        "commitments": ["COP-1990-9.1", "COP-1990-9.2", "COP-1990-9.3", "COP-1990-7.5"],
        "text": "Align the laws on fundamental freedoms and political rights, including candidates' rights, "
        "with OSCE commitments, and have the authorities respect them in full.",
    },
    ODIHR_RU
    | {
        "number": "s2",
        "addressee": "election_administration",
        "commitments": ["COP-1990-7.1"],
        "text": "Make the election administration transparent, impartial and independent.",
    },
    ODIHR_RU
    | {
        "number": "s3",
        "addressee": "parliament",
        "commitments": ["COP-1990-7.5"],
        "text": "Give all contestants equal opportunities and lift restrictions on standing for election "
        "that conflict with OSCE commitments.",
    },
    ODIHR_RU
    | {
        "number": "s4",
        "addressee": "law_enforcement",
        "commitments": ["COP-1990-7.7"],
        "text": "Prevent pressure on voters and investigate alleged coercion so that those responsible are prosecuted.",
    },
    ODIHR_RU
    | {
        "number": "s5",
        "addressee": "parliament",
        "commitments": ["MOS-1991-26", "COP-1990-7.8"],
        "text": "Let media outlets set their own editorial policy, strengthen the independence of public "
        "media and create an independent media oversight body.",
    },
    ODIHR_RU
    | {
        "number": "s6",
        "addressee": "parliament",
        "commitments": ["COP-1990-8"],
        "text": "Guarantee in law that non-partisan citizen observers can scrutinise the whole election "
        "process (a previous recommendation, repeated).",
    },
    # ODIHR, Belarus, early parliamentary elections of 17 November 2019.
    ODIHR_BY
    | {
        "number": "s1",
        "addressee": "parliament",
        "commitments": ["COP-1990-7.1", "COP-1990-7.5", "COP-1990-8"],
        "text": "Review the electoral law comprehensively to act on earlier ODIHR recommendations: make-up of "
        "election commissions, candidacy rights, observers' rights, safeguards for voting, counting and "
        "tabulation.",
    },
    ODIHR_BY
    | {
        "number": "s2",
        "addressee": "election_administration",
        "commitments": ["COP-1990-7.4"],
        "text": "Introduce clear, transparent counting procedures that let everyone present check that votes "
        "are counted and reported honestly.",
    },
    # RFoM statements.
    {
        "institution": "rfom",
        "state": "IT",
        "number": "s1",
        "addressee": "parliament",
        "source_title": "OSCE media freedom representative on defamation ahead of vote on Italian draft",
        "source_date": "2013-09-16",
        "source_url": "http://www.osce.org/fom/104992",
        "read_at": "http://notiziario.ossigeno.info/2013/09/osce-media-freedom-calls-for-full-decriminalization-of-"
        "defamation-31449/",
        "commitments": ["COP-1990-9.1", "MOS-1991-26"],
        "themes": ["freedom-of-expression-and-media"],
        "text": "Revise the draft amendments so that defamation is fully decriminalised, not only freed from prison "
        "sentences.",
    },
    {
        "institution": "rfom",
        "state": "IT",
        "number": "s2",
        "addressee": "parliament",
        "source_title": "OSCE media freedom representative on defamation ahead of vote on Italian draft",
        "source_date": "2013-09-16",
        "source_url": "http://www.osce.org/fom/104992",
        "read_at": "http://notiziario.ossigeno.info/2013/09/osce-media-freedom-calls-for-full-decriminalization-of-"
        "defamation-31449/",
        "commitments": ["COP-1990-9.1", "MOS-1991-26"],
        "themes": ["freedom-of-expression-and-media"],
        "text": "Cap the damages in civil defamation cases so that lawsuits cannot be used to intimidate the media.",
    },
    {
        "institution": "rfom",
        "state": "TJ",
        "number": "s1",
        "addressee": "parliament",
        "source_title": "OSCE media freedom representative welcomes Tajikistan's steps to decriminalize defamation, "
        "calls for remaining provisions to be abolished",
        "source_date": "2012-05-31",
        "source_url": "https://www.osce.org/fom/90958",
        "commitments": ["COP-1990-9.1"],
        "themes": ["freedom-of-expression-and-media"],
        "text": "Abolish the criminal provisions that remain on defamation, including those punishing public insult "
        "of the President.",
    },
    {
        "institution": "rfom",
        "state": "MK",
        "number": "s1",
        "addressee": "parliament",
        "source_title": "OSCE media freedom representative presents analysis of draft media law to the authorities in "
        "Skopje, raises concern",
        "source_date": "2013-05-30",
        "source_url": "http://osce.org/fom/102137",
        "commitments": ["MOS-1991-26", "COP-1990-9.1"],
        "themes": ["freedom-of-expression-and-media"],
        "text": "Revise the draft Law on Media and Audiovisual Media Services along the legal review's "
        "recommendations, avoiding over-regulation and needless restrictions on online and offline media.",
    },
    {
        "institution": "rfom",
        "state": "MD",
        "number": "s1",
        "addressee": "parliament",
        "source_title": "OSCE Representative presents analysis of draft amendments to Moldova's Audiovisual Code",
        "source_date": "2015-08-03",
        "source_url": "https://osce.org/fom/175716",
        "commitments": ["MOS-1991-26", "COP-1990-9.1"],
        "themes": ["freedom-of-expression-and-media"],
        "text": "Review the draft amendments to the Audiovisual Code carefully so that they do not unduly limit "
        "free speech and the free flow of information.",
    },
    {
        "institution": "rfom",
        "state": "ME",
        "number": "s1",
        "addressee": "law_enforcement",
        "source_title": "OSCE media freedom representative condemns bomb attack against Montenegrin newspaper, calls "
        "for swift investigation",
        "source_date": "2013-12-27",
        "source_url": RFOM_STATEMENTS_2013_2014,
        "commitments": ["MOS-1991-26", "HFA-1975-III.2"],
        "themes": ["freedom-of-expression-and-media"],
        "text": "Investigate quickly the bomb attack on the offices of the daily Vijesti in Podgorica.",
    },
    {
        "institution": "rfom",
        "state": "ME",
        "number": "s1",
        "addressee": "authorities",
        "source_title": "OSCE media freedom representative strongly condemns beating of journalist in Montenegro",
        "source_date": "2014-01-04",
        "source_url": RFOM_STATEMENTS_2013_2014,
        "commitments": ["MOS-1991-26", "HFA-1975-III.2"],
        "themes": ["freedom-of-expression-and-media"],
        "text": "End impunity for attacks on journalists, starting with the assault on a journalist of the daily Dan.",
    },
    {
        "institution": "rfom",
        "state": "RU",
        "number": "s1",
        "addressee": "judiciary",
        "source_title": "OSCE media freedom representative concerned about conviction of Russian journalist, calls to "
        "lift ban on prohibition from working",
        "source_date": "2014-01-09",
        "source_url": RFOM_STATEMENTS_2013_2014,
        "commitments": ["MOS-1991-26", "HFA-1975-III.2"],
        "themes": ["freedom-of-expression-and-media"],
        "text": "Lift the ban on working as a journalist imposed on the Yekaterinburg editor Aksana Panova.",
    },
    {
        "institution": "rfom",
        "state": "TR",
        "number": "s1",
        "addressee": "authorities",
        "source_title": "OSCE media freedom representative calls on Turkish President to veto Internet Law, return it "
        "for public consultations",
        "source_date": "2014-02-17",
        "source_url": "https://www.osce.org/fom/statements?page=2&filters=%20ds_date%3A%28%5B2014-01-01T00%3A00%3A00Z"
        "%20TO%202015-01-01T00%3A00%3A00Z%5D%29&solrsort=ds_date%20asc&rows=10",
        "commitments": ["COP-1990-9.1", "MOS-1991-26"],
        "themes": ["freedom-of-expression-and-media"],
        "text": "The President should veto the new Internet Law.",
    },
    {
        "institution": "rfom",
        "state": "TR",
        "number": "s2",
        "addressee": "authorities",
        "source_title": "OSCE media freedom representative calls on Turkish President to veto Internet Law, return it "
        "for public consultations",
        "source_date": "2014-02-17",
        "source_url": "https://www.osce.org/fom/statements?page=2&filters=%20ds_date%3A%28%5B2014-01-01T00%3A00%3A00Z"
        "%20TO%202015-01-01T00%3A00%3A00Z%5D%29&solrsort=ds_date%20asc&rows=10",
        "commitments": ["COP-1990-9.1", "MOS-1991-26"],
        "themes": ["freedom-of-expression-and-media"],
        "text": "Send the Internet Law back for public consultation.",
    },
    {
        "institution": "rfom",
        "state": "BY",
        "number": "s1",
        "addressee": "authorities",
        "source_title": "OSCE media freedom representative calls for end to crackdown on independent media in Belarus",
        "source_date": "2011-01-05",
        "source_url": "https://www.osce.org/fom/statements?page=14&filters=%20im_taxonomy_vid_3%3A%28986%29&solrsort="
        "ds_date%20desc&rows=10",
        "commitments": ["MOS-1991-26", "COP-1990-9.1"],
        "themes": ["freedom-of-expression-and-media"],
        "text": "Stop the attacks on independent media.",
    },
    {
        "institution": "rfom",
        "state": "BY",
        "number": "s2",
        "addressee": "authorities",
        "source_title": "OSCE media freedom representative calls for end to crackdown on independent media in Belarus",
        "source_date": "2011-01-05",
        "source_url": "https://www.osce.org/fom/statements?page=14&filters=%20im_taxonomy_vid_3%3A%28986%29&solrsort="
        "ds_date%20desc&rows=10",
        "commitments": ["HFA-1975-III.2", "COP-1990-9.1"],
        "themes": ["freedom-of-expression-and-media"],
        "text": "Release the imprisoned journalists at once.",
    },
    {
        "institution": "rfom",
        "state": "GE",
        "number": "s1",
        "addressee": "authorities",
        "source_title": "Supreme Court decision in Georgia casts blow against media independence and pluralism, OSCE "
        "media freedom representative says",
        "source_date": "2017-03-03",
        "source_url": "https://www.osce.org/fom/statements?page=67",
        "commitments": ["MOS-1991-26"],
        "themes": ["freedom-of-expression-and-media"],
        "text": "Safeguard media independence and pluralism after the Supreme Court ruling that changes the "
        "ownership of the Rustavi 2 channel.",
    },
    {
        "institution": "rfom",
        "state": "AZ",
        "number": "s1",
        "addressee": "authorities",
        "source_title": "OSCE Freedom of Media Representative, Human Rights chief call for release of blogger and "
        "human rights activist in Azerbaijan",
        "source_date": "2017-03-06",
        "source_url": "https://www.osce.org/fom/statements?page=67",
        "commitments": ["COP-1990-9.1", "COP-1990-10"],
        "themes": ["freedom-of-expression-and-media"],
        "text": "Release the blogger and media NGO chair Mehman Huseynov (a joint call with the ODIHR Director).",
    },
    # HCNM.
    {
        "institution": "hcnm",
        "state": "UA",
        "number": "s1",
        "addressee": "government",
        "source_title": "OSCE High Commissioner on National Minorities says he is actively engaged on education issues "
        "in Ukraine",
        "source_date": "2017-10-09",
        "source_url": "http://en.worldpeoplenews.com/news/education/2017-10/33857",
        "commitments": ["COP-1990-34", "COP-1990-32"],
        "themes": ["national-minorities"],
        "text": "Implement the Law on Education with a balanced approach: protect minorities' right to keep and "
        "develop their languages while promoting learning of the State language.",
    },
    {
        "institution": "hcnm",
        "state": "LV",
        "number": "s1",
        "addressee": "government",
        "source_title": "HCNM statement to the 1318th Meeting of the OSCE Permanent Council (HCNM.GAL/3/21/Rev.1)",
        "source_date": "2021-06-03",
        "source_url": "https://www.osce.org/files/f/documents/a/4/489767_0.pdf",
        "read_at": "http://minorities-latvia.info/2021/06/03/hcnm-statement-to-the-1318th-meeting-of-the-osce-"
        "permanent-council-excerpt-2021/",
        "commitments": ["COP-1990-34"],
        "themes": ["national-minorities"],
        "text": "Keep room in the education reform for pupils of minority background to go on learning in their "
        "mother tongue.",
    },
    {
        "institution": "hcnm",
        "state": "LV",
        "number": "s2",
        "addressee": "government",
        "source_title": "HCNM statement to the 1318th Meeting of the OSCE Permanent Council (HCNM.GAL/3/21/Rev.1)",
        "source_date": "2021-06-03",
        "source_url": "https://www.osce.org/files/f/documents/a/4/489767_0.pdf",
        "read_at": "http://minorities-latvia.info/2021/06/03/hcnm-statement-to-the-1318th-meeting-of-the-osce-"
        "permanent-council-excerpt-2021/",
        "commitments": ["COP-1990-35"],
        "themes": ["national-minorities"],
        "text": "Keep consulting national minority representatives while the education reforms are carried out.",
    },
]

PREFIX = {"odihr": "ODIHR-EOM", "rfom": "RFOM", "hcnm": "HCNM"}


def code(entry: dict) -> str:
    day = entry["source_date"].replace("-", "")
    return f"{PREFIX[entry['institution']]}-{entry['state']}-{day}-{entry['number'].upper()}"


def build() -> list[dict]:
    rows = []
    for entry in ENTRIES:
        rows.append(
            {
                "model": "recommendations.recommendation",
                "fields": {
                    "code": code(entry),
                    "state": entry["state"],
                    "institution": [entry["institution"]],
                    "source_title": entry["source_title"],
                    "source_date": entry["source_date"],
                    "source_url": entry["source_url"],
                    "number": entry["number"],
                    "text": entry["text"],
                    "priority": False,
                    "addressee": entry["addressee"],
                    "commitments": [[c] for c in entry["commitments"]],
                    "themes": [[t] for t in entry.get("themes", [])],
                    "is_synthetic": False,
                    "created_at": "2026-11-30T00:00:00Z",
                    "updated_at": "2026-11-30T00:00:00Z",
                },
            }
        )
    return rows


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "fixtures" / "recommendations.json"
    target.write_text(json.dumps(build(), indent=1, ensure_ascii=False) + "\n")
    print(f"{len(ENTRIES)} recommendations written to {target}")
