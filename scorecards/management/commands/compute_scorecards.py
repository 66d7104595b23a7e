from django.core.management import BaseCommand, CommandError
from django.db.models import F
from django.utils import timezone

from scorecards.models import DEFAULT_METHOD, Period, Scorecard
from scorecards.periods import PeriodSpan, periods_of_year
from scorecards.services import scorecards_compute_periods


class Command(BaseCommand):
    help = (
        "Compute scorecards synchronously (the same code the Celery jobs run) and print States by overall score "
        "(method 2, with its 90% interval). Without --period: the last complete quarter."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", action="append", help="2010-Q2 or 2010; repeat for several.")
        parser.add_argument("--year", type=int, action="append", help="The four quarters and the year.")
        parser.add_argument("--quiet-table", action="store_true", help="Do not print the table.")
        parser.add_argument(
            "--method", type=int, choices=[1, 2], default=int(DEFAULT_METHOD), help="Method of the table (default 2)."
        )

    def handle(self, *args, **options):
        labels = list(options["period"] or [])
        for year in options["year"] or []:
            labels += [span.label for span in periods_of_year(year)]
        if not labels:
            labels = [PeriodSpan.containing(timezone.localdate(), "quarter").previous().label]
        try:
            spans = [PeriodSpan.parse(label) for label in labels]
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        # All the periods in one statement and one transaction: the reports are read once, whatever their number.
        periods = [Period.objects.for_span(span) for span in dict.fromkeys(spans)]
        written = scorecards_compute_periods(periods=periods)
        self.stdout.write(f"{', '.join(period.label for period in periods)}: {written} scorecard rows")
        if not options["quiet_table"]:
            self._print_table(spans[-1].label, options["method"])

    def _print_table(self, label: str, method: int) -> None:
        rows = (
            Scorecard.objects.filter(period__label=label, dimension__isnull=True, method_version=method)
            .select_related("state")
            .order_by(F("rank").asc(nulls_last=True), F("score").desc(nulls_last=True), "state__name")
        )
        self.stdout.write(f"\nOverall scores, {label}, method {method}")
        self.stdout.write(f"{'rank':>4}  {'State':<28} {'score':>21} {'trend':>6} {'coverage':>8}")
        for card in rows:
            trend = "" if card.trend is None else f"{card.trend:+}"
            rank = "" if card.rank is None else card.rank
            self.stdout.write(
                f"{rank!s:>4}  {card.state.name[:28]:<28} {card.score_text:>21} {trend:>6} {float(card.coverage):>8.0%}"
            )
