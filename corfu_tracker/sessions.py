"""Database sessions that refuse a malformed session key before it reaches the database."""

import string

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

# Django only ever issues session keys made of these characters.
VALID_KEY_CHARS = frozenset(string.ascii_lowercase + string.digits)


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        # A forged cookie with a NUL character would make PostgreSQL raise an error (a 500) instead of
        # finding no session; any key Django could not have issued simply means "no session".
        return bool(super()._validate_session_key(key)) and set(key) <= VALID_KEY_CHARS
