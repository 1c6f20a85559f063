"""Django's cached database sessions, read from the database (on a cache miss) as
`workshop.sessions` reads them."""

from django.contrib.sessions.backends import cached_db

from workshop.sessions import PreparedRead


class SessionStore(PreparedRead, cached_db.SessionStore):
    pass
