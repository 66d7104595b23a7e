from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import ScopedRateThrottle


class ObtainTokenView(ObtainAuthToken):
    """POST username and password, get `{"token": "..."}`; send it as `Authorization: Token <token>`."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"
