"""Early-warning evaluation speed on the current database: one series (after a verification) and the nightly sweep.

    DATABASE_URL=... python -m bench.early_warning [--repeats 5] [--output bench/results/early_warning_speed.json]

Times `alerts_evaluate` as the task calls it (figures query, decisions, alert writes), best of N after a
warm-up, and the figures query alone. Not yet part of `make bench` (docs/performance.md).
"""

import argparse
import json
import os
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corfu_tracker.settings")
    import django

    django.setup()
    from django.utils import timezone

    from commitments.models import Report
    from early_warning.selectors import series_figures
    from early_warning.services import alerts_evaluate

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--output")
    args = parser.parse_args()

    report = (
        Report.objects.filter(status="verified", kind="violation")
        .select_related("commitment")
        .order_by("-observed_on")
        .first()
    )
    state, dimension = report.state_id, report.commitment.dimension_id
    today = timezone.localdate()

    def best(function) -> float:
        function()
        times = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            function()
            times.append(time.perf_counter() - started)
        return min(times)

    figures = {
        "reports": Report.objects.count(),
        "verified_violations": Report.objects.filter(status="verified", kind="violation").count(),
        "series_evaluated_by_sweep": len(series_figures(as_of=today)),
        "incremental_seconds": best(lambda: alerts_evaluate(state_code=state, dimension_id=dimension)),
        "incremental_query_seconds": best(
            lambda: series_figures(as_of=today, state_code=state, dimension_id=dimension)
        ),
        "sweep_seconds": best(lambda: alerts_evaluate()),
        "sweep_query_seconds": best(lambda: series_figures(as_of=today)),
        "repeats": args.repeats,
        "ran_at": timezone.now().strftime("%Y-%m-%d %H:%M UTC"),
    }
    print(json.dumps(figures, indent=2))
    if args.output:
        with open(args.output, "w") as handle:
            json.dump(figures, handle, indent=2)
            handle.write("\n")


if __name__ == "__main__":
    main()
