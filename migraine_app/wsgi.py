"""WSGI entry point, for gunicorn: `gunicorn migraine_app.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "migraine_app.settings")

application = get_wsgi_application()
