"""Django's database sessions (SESSION_ENGINE = "workshop.sessions"), with the session read on
every signed-in request from a statement compiled once (jobs/prepared.py) instead of built
again each time. The same table, rows and expiry rule: switching to it signs nobody out.
With REDIS_URL, `workshop.sessions.cached_db` reads the cache first, as Django's does."""

import datetime

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from jobs.prepared import Prepared, fields_of, instances


def _session_sql(_shape, *, key: str, now: datetime.datetime) -> tuple[str, list]:
    rows = Session.objects.filter(session_key=key, expire_date__gt=now).values_list(
        *fields_of(Session)
    )
    return rows.query.sql_with_params()


_SESSION = Prepared(_session_sql)


class PreparedRead:
    """`_get_session_from_db` as Django's: the unexpired session with this key, or None (and
    the key forgotten, so that a new session gets a new one)."""

    def _get_session_from_db(self):
        if self.session_key is not None:
            rows = _SESSION.execute(None, key=self.session_key, now=timezone.now())
            if rows:
                [session] = instances(Session, rows)
                return session
        self._session_key = None
        return None


class SessionStore(PreparedRead, db.SessionStore):
    pass
