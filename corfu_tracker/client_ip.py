"""The client's address, trusting X-Forwarded-For only as far as NUM_PROXIES says.

With NUM_PROXIES = 0 (the default) the header is ignored: anybody can send it. Behind
N reverse proxies that each append to it, the client is the Nth address from the
right; whatever stands left of that was written by the client and is not trusted.
DRF's throttles read the same setting (REST_FRAMEWORK["NUM_PROXIES"]) the same way.
"""

from django.conf import settings


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    proxies = settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded.strip():
        return remote
    hops = forwarded.split(",")
    return hops[-min(proxies, len(hops))].strip() or remote
