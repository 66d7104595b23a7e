from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle


class ObtainTokenView(ObtainAuthToken):
    """POST username and password, get `{"token": "..."}`; send it as `Authorization: Token <token>`."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"
    # ObtainAuthToken names its own parsers; use the project's (the JSON one has a depth limit).
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES
