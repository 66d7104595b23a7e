"""The public pages under gunicorn with a warm cache: the heatmap and a State page, p50/p95/p99."""

from .load import _quantile, get, run_load

PAGES = {"heatmap": "/", "state page": "/states/AT/"}
TARGET_P95_MS = 100.0


def run(*, host: str, port: int, clients: int, seconds: float, warmup: float = 2.0) -> dict:
    """Each page alone, after a warm-up that fills every worker's cache; latencies of every request."""
    results = {}
    for name, path in PAGES.items():
        status, body = get(host, port, path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
        run_load(host=host, port=port, paths=[path], clients=clients, seconds=warmup)
        measured = run_load(host=host, port=port, paths=[path], clients=clients, seconds=seconds)
        figure = measured.as_dict()
        figure["p95_ms"] = _quantile(measured.latencies, 0.95) * 1000
        figure["path"] = path
        figure["bytes_per_page"] = len(body)
        results[name] = figure
    return results
