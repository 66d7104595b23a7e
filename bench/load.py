"""A small HTTP load generator: threads, each with its own http.client connection.

Gunicorn's sync workers close the connection after each response, so a client
reconnects when told to (`Connection: close`) and keeps it open otherwise. Any
status outside 2xx/3xx and any connection error counts as an error.
"""

import http.client
import threading
import time
from dataclasses import asdict, dataclass, field

ERROR_SAMPLES = 10


@dataclass
class LoadResult:
    clients: int
    seconds: float
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    bytes: int
    error_samples: list[str] = field(default_factory=list)
    per_path: dict = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict:
        data = asdict(self)
        del data["latencies"]
        return data


def merge(results: list["LoadResult"]) -> LoadResult:
    """Several runs of the same thing (interleaved with another) as one: totals and overall percentiles."""
    latencies = sorted(value for result in results for value in result.latencies)
    seconds = sum(result.seconds for result in results)
    per_path: dict[str, dict] = {}
    for result in results:
        for path, counts in result.per_path.items():
            entry = per_path.setdefault(path, {"requests": 0, "errors": 0})
            entry["requests"] += counts["requests"]
            entry["errors"] += counts["errors"]
    return LoadResult(
        clients=results[0].clients,
        seconds=round(seconds, 2),
        requests=len(latencies),
        errors=sum(result.errors for result in results),
        rps=len(latencies) / seconds,
        p50_ms=_quantile(latencies, 0.50) * 1000,
        p99_ms=_quantile(latencies, 0.99) * 1000,
        max_ms=(latencies[-1] * 1000) if latencies else 0.0,
        bytes=sum(result.bytes for result in results),
        error_samples=[sample for result in results for sample in result.error_samples][:ERROR_SAMPLES],
        per_path=per_path,
        latencies=latencies,
    )


def _quantile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[index]


def run_load(*, host: str, port: int, paths: list[str], clients: int, seconds: float) -> LoadResult:
    """`clients` threads request `paths` round robin (each starting at a different one) for `seconds`."""
    barrier = threading.Barrier(clients + 1)
    results: list[tuple[list, int, int, list, dict]] = [([], 0, 0, [], {}) for _ in range(clients)]
    deadline_box: list[float] = []

    def client(number: int) -> None:
        latencies: list[float] = []
        errors, received = 0, 0
        samples: list[str] = []
        per_path: dict[str, list[int]] = {}
        connection = http.client.HTTPConnection(host, port, timeout=60)
        turn = number
        barrier.wait()
        deadline = deadline_box[0]
        while time.perf_counter() < deadline:
            path = paths[turn % len(paths)]
            turn += 1
            started = time.perf_counter()
            ok, problem = True, ""
            try:
                connection.request("GET", path, headers={"Accept": "application/json"})
                response = connection.getresponse()
                body = response.read()
                received += len(body)
                if not 200 <= response.status < 400:
                    ok, problem = False, f"{response.status} {path}: {body[:200]!r}"
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException) as exc:
                ok, problem = False, f"{type(exc).__name__} {path}: {exc}"
                connection.close()
            latencies.append(time.perf_counter() - started)
            counts = per_path.setdefault(path, [0, 0])
            counts[0] += 1
            if not ok:
                errors += 1
                counts[1] += 1
                if len(samples) < ERROR_SAMPLES:
                    samples.append(problem)
        connection.close()
        results[number] = (latencies, errors, received, samples, per_path)

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    deadline_box.append(started + seconds)
    barrier.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started

    latencies = sorted(value for result in results for value in result[0])
    per_path: dict[str, dict] = {}
    for result in results:
        for path, (count, failed) in result[4].items():
            entry = per_path.setdefault(path, {"requests": 0, "errors": 0})
            entry["requests"] += count
            entry["errors"] += failed
    return LoadResult(
        clients=clients,
        seconds=elapsed,
        requests=len(latencies),
        errors=sum(result[1] for result in results),
        rps=len(latencies) / elapsed,
        p50_ms=_quantile(latencies, 0.50) * 1000,
        p99_ms=_quantile(latencies, 0.99) * 1000,
        max_ms=(latencies[-1] * 1000) if latencies else 0.0,
        bytes=sum(result[2] for result in results),
        error_samples=[sample for result in results for sample in result[3]][:ERROR_SAMPLES],
        per_path=per_path,
        latencies=latencies,
    )


def get(host: str, port: int, path: str, timeout: float = 30) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()
