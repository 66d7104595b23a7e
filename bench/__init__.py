"""The Corfu Tracker benchmark and fault scripts.

    python -m bench --help          timed runs against their floors (docs/performance.md)
    python -m bench.faults --help   worker, Redis and PostgreSQL failures, PASS/FAIL

Nothing here is imported by the project; the project's URLconf knows nothing of
the bare comparison views, which live in `bench.urls` under `bench.settings`.
"""
