"""Fault tests, run one by one with their outcome recorded: `python -m bench.faults [fault ...]`.

    python -m bench.faults                  all four
    python -m bench.faults worker-kill      one
    python -m bench.faults --help

The faults themselves are the pytest tests in tests/faults/ (CI runs them with the
suite). Each starts its own PostgreSQL cluster and redis-server in temporary
directories on free ports, so it never touches the machine's shared services.
This runner runs each test file, prints PASS, FAIL or NOT RUN with the reason, and
records it in bench/results/faults.json.
"""
