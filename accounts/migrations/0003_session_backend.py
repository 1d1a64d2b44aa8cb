"""Signed-in sessions name the backend that signed them in: the diary's, before accounts existed.

Django signs out a session whose backend is not in AUTHENTICATION_BACKENDS, so the upgrade would
sign everybody out; this renames it in each session instead (decoded and encoded again with the
same key and salt as every session store of the app).
"""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations

OLD = "diary.backends.DiaryModelBackend"
NEW = "accounts.backends.AccountBackend"


def _rename(apps, old, new):
    UserSession = apps.get_model("accounts", "UserSession")
    store = SessionStore()  # its salt is the app's (accounts.sessions)
    for session in UserSession.objects.filter(user__isnull=False).iterator(chunk_size=1000):
        data = store.decode(session.session_data)
        if data.get(BACKEND_SESSION_KEY) == old:
            data[BACKEND_SESSION_KEY] = new
            UserSession.objects.filter(pk=session.pk).update(session_data=store.encode(data))


def forwards(apps, schema_editor):
    _rename(apps, OLD, NEW)


def backwards(apps, schema_editor):
    _rename(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_account_roles")]

    operations = [migrations.RunPython(forwards, backwards)]
