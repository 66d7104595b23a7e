from django.core.management import BaseCommand

from commitments import selectors
from commitments.models import SourceDocument


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "n/a"


def _mark(ok: bool) -> str:
    return "ok" if ok else "BELOW TARGET"


class Command(BaseCommand):
    help = "Print the catalogue's size, balance per dimension and per document, and reference precision."

    def add_arguments(self, parser):
        parser.add_argument("--no-documents", action="store_true", help="Leave out the per-document table.")
        parser.add_argument(
            "--sources", action="store_true", help="Print only a Markdown table of where each document's text was read."
        )

    def handle(self, *args, no_documents=False, sources=False, **options):
        if sources:
            self.write_sources()
            return
        s = selectors.catalogue_stats()
        enough_documents = s.documents_with_commitments >= selectors.TARGET_DOCUMENTS
        w = self.stdout.write
        w(
            f"Commitments: {s.commitments} (target >= {selectors.TARGET_COMMITMENTS}: "
            f"{_mark(s.commitments >= selectors.TARGET_COMMITMENTS)})"
        )
        w(
            f"Documents: {s.documents}, {s.documents_with_commitments} with commitments "
            f"(target >= {selectors.TARGET_DOCUMENTS}: {_mark(enough_documents)})"
        )
        w("Per dimension:")
        for slug, count in s.per_dimension.items():
            w(
                f"  {slug:<24} {count:>5}  ({_mark(count >= selectors.TARGET_PER_DIMENSION)}, "
                f"target >= {selectors.TARGET_PER_DIMENSION})"
            )
        w("Reference precision:")
        w(
            f"  numbered paragraph or section  {s.numbered:>5}  {_pct(s.numbered, s.commitments)} "
            f"({_mark(s.numbered_share >= selectors.TARGET_NUMBERED_SHARE)}, target >= 90 %)"
        )
        w(f"    of which a paragraph         {s.paragraph_precise:>5}  {_pct(s.paragraph_precise, s.commitments)}")
        w(f"    of which a whole section     {s.numbered - s.paragraph_precise:>5}")
        w(f"  section title (no numbering)   {s.title_only:>5}  {_pct(s.title_only, s.commitments)}")
        other = s.commitments - s.numbered - s.title_only
        w(f"  no number in a numbered text   {other:>5}  {_pct(other, s.commitments)} (preamble, or older to check)")
        w(
            f"Documents linked to the official text: {s.linked_documents}/{s.documents} "
            f"({_mark(s.linked_documents == s.documents)}, target: all)"
        )
        w(f"Documents with the address where the text was read: {s.documents_with_text_source}/{s.documents}")
        w(f"Documents with a symbol or decision number: {s.documents_with_symbol}/{s.documents}")
        w(f"Non-derogable commitments: {s.non_derogable}")
        w(f"Commitments weighted other than 1 (each with a reason): {s.weighted}")
        w("Lineage: " + ", ".join(f"{kind} {count}" for kind, count in s.relations.items()))
        if no_documents:
            return
        w("")
        w(f"{'document':<20} {'adopted':<10} {'symbol':<22} {'commit.':>7} {'numbered':>8}  link  text read at")
        for d in s.per_document:
            w(
                f"{d.code:<20} {d.adopted_on:<10} {d.symbol[:22]:<22} {d.commitments:>7} {d.numbered:>8}  "
                f"{'yes ' if d.linked else 'no  '}  {'yes' if d.text_source else 'no'}"
            )

    def write_sources(self):
        w = self.stdout.write
        w("| document | symbol | adopted | official text | text read at |")
        w("|---|---|---|---|---|")
        for d in SourceDocument.objects.order_by("adopted_on", "code"):
            w(f"| {d.code} | {d.symbol or '-'} | {d.adopted_on} | {d.url or '-'} | {d.text_source or '-'} |")
