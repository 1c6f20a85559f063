"""workshop/sessions and UserManager.get: the two reads every signed-in request makes (its
session, its user), each from a statement compiled once, give exactly what Django's own reads
give, so that switching to them signs nobody out and lets no one in who was out."""

import datetime

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import cached_db as django_cached_db
from django.contrib.sessions.backends import db as django_db
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from workshop import sessions
from workshop.models import User
from workshop.sessions import cached_db

pytestmark = pytest.mark.django_db


def saved_by_django(data: dict, **expiry) -> str:
    store = django_db.SessionStore()
    store.update(data)
    if expiry:
        store.set_expiry(expiry["seconds"])
    store.save()
    return store.session_key


def test_a_session_django_saved_reads_the_same():
    key = saved_by_django({"a": 1, "b": "ひだまり"})
    assert (
        sessions.SessionStore(key).load()
        == django_db.SessionStore(key).load()
        == {
            "a": 1,
            "b": "ひだまり",
        }
    )


def test_a_session_saved_here_reads_the_same_in_django():
    store = sessions.SessionStore()
    store["kept"] = [1, 2]
    store.save()
    assert django_db.SessionStore(store.session_key).load() == {"kept": [1, 2]}


def test_an_expired_session_reads_as_none_and_forgets_its_key():
    key = saved_by_django({"a": 1})
    Session.objects.filter(pk=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    store = sessions.SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None


@pytest.mark.parametrize("key", ["nosuchsessionkeyatall0000000000x", None, "short"])
def test_an_unknown_or_malformed_key_reads_as_nothing(key):
    saved_by_django({"a": 1})
    store = sessions.SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None


def test_a_session_is_read_at_the_moment_it_expires_as_django_reads_it(monkeypatch):
    key = saved_by_django({"a": 1})
    expiry = Session.objects.get(pk=key).expire_date
    for moment, alive in [(expiry - datetime.timedelta(microseconds=1), True), (expiry, False)]:
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)
        ours, theirs = sessions.SessionStore(key).load(), django_db.SessionStore(key).load()
        assert ours == theirs == ({"a": 1} if alive else {})


def test_the_cached_store_reads_the_database_on_a_miss_and_the_cache_after():
    cache.clear()
    key = saved_by_django({"a": 1})
    first = cached_db.SessionStore(key)
    assert first.load() == {"a": 1}
    Session.objects.filter(pk=key).delete()  # now only the cache has it
    assert cached_db.SessionStore(key).load() == django_cached_db.SessionStore(key).load()
    assert cached_db.SessionStore(key).load() == {"a": 1}
    cache.clear()


def test_a_signed_in_request_reads_its_session_and_user_without_building_a_query(
    client, participant_a, monkeypatch
):
    client.force_login(participant_a.user)
    built = []
    orm_get = QuerySet.get

    def get(queryset, *args, **kwargs):
        built.append(queryset.model)
        return orm_get(queryset, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "get", get)
    with CaptureQueriesContext(connection) as context:
        assert client.get("/today/").status_code == 200
    assert Session not in built and User not in built
    [session_read, user_read] = [query["sql"] for query in context.captured_queries][:2]
    assert 'FROM "django_session"' in session_read and 'FROM "workshop_user"' in user_read
    assert client.session[SESSION_KEY] == str(participant_a.user_id)


# --- User.objects.get(pk=…) -----------------------------------------------------------------


def fields(user) -> dict:
    return {field.attname: getattr(user, field.attname) for field in User._meta.concrete_fields}


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.text(min_size=1, max_size=20),
    staff=st.booleans(),
    active=st.booleans(),
    logged_in=st.booleans(),
)
def test_a_user_read_by_pk_is_the_user_the_orm_reads(name, staff, active, logged_in):
    user = factories.UserFactory(
        display_name=name.replace("\x00", ""),
        is_staff=staff,
        is_active=active,
        last_login=timezone.now() if logged_in else None,
    )
    read = User.objects.get(pk=user.pk)
    assert fields(read) == fields(User.objects.filter(pk=user.pk).get())
    assert read._state.adding is False and read._state.db == "default"


def test_a_missing_user_is_does_not_exist():
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=987_654)


def test_other_lookups_are_the_orms():
    user = factories.UserFactory(email="x@example.com")
    assert User.objects.get(email="x@example.com") == user
    assert User.objects.get(pk=str(user.pk)) == user
    assert User.objects.filter(is_active=True).get(pk=user.pk) == user
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=user.pk, is_active=False)
    with pytest.raises(User.DoesNotExist):
        User.objects.filter(is_active=False).get(pk=user.pk)
