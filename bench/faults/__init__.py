"""Fault scripts: kill and break things under a real worker, then check nothing is lost or doubled.

    python -m bench.faults                    worker-kill, digest-kill, redis-stop
    python -m bench.faults postgres-restart   restarts the whole local PostgreSQL cluster
    python -m bench.faults --help

Each prints PASS, FAIL or NOT RUN with what it saw, and records it in
bench/results/faults.json. They run against the benchmark database (seeded by
`python -m bench`, or seeded here if empty) and a Redis database of their own.
"""
