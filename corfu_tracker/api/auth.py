from django.db import transaction
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

from .authentication import token_is_expired


class ObtainTokenView(ObtainAuthToken):
    """POST username and password, get `{"token": "..."}`; send it as `Authorization: Token <token>`.

    The same token until it expires (API_TOKEN_TTL_DAYS after it was issued); then a new one.
    """

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"
    # ObtainAuthToken names its own parsers; use the project's (the JSON one has a depth limit).
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        with transaction.atomic():
            token, _ = Token.objects.select_for_update().get_or_create(user=user)
            if token_is_expired(token):
                token.delete()
                token = Token.objects.create(user=user)
        return Response({"token": token.key})
