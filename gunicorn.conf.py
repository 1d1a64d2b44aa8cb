"""gunicorn's settings for the diary: the README's production command and `make bench` load this file.

- Access log: a line per request without anything personal: no query string (clinicians search
  patients by email, `?q=`), no token (the path of a password-reset or enrolment link is masked),
  no client address, referrer or user agent. Format: `[time] "METHOD /path" status bytes ms`.
- X-Forwarded-Proto is believed only with TRUST_X_FORWARDED_PROTO on, from the proxy's address
  (FORWARDED_ALLOW_IPS, default 127.0.0.1 and ::1); with it off, from nobody.
- Request line and header limits: anything larger is refused (400) before Django sees it.
- Each worker's loop runs on a deep Python stack (core/datastack.py): on Python 3.11 and 3.12 a
  page rendered at the edge of a stack chunk otherwise maps and unmaps memory thousands of times.
- Each worker freezes the objects it made while loading the application (modules, settings,
  templates: about 90,000) out of the garbage collector's reach: they live as long as the worker,
  and the collector's full passes walked them all, about 2.5 ms per cold progress page.
"""

import gc
import os
import re

from gunicorn.glogging import Logger

from core.datastack import run_worker_on_deep_stack
from migraine_app.env import env_bool

if env_bool("TRUST_X_FORWARDED_PROTO", False):
    forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
    secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}  # what Django's SECURE_PROXY_SSL_HEADER reads
else:
    forwarded_allow_ips = ""
    secure_scheme_headers = {}

limit_request_line = 4094  # bytes in "GET /path?query HTTP/1.1": our longest URL is a few hundred
limit_request_fields = 50  # headers per request: browsers send about 20
limit_request_field_size = 8190  # bytes per header, the session and CSRF cookies included

access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'

# Paths that carry a secret: everything after these prefixes is masked.
TOKEN_PATH = re.compile(r"^(/accounts/reset/|/accounts/2fa/enrol/|/accounts/confirm/|/accounts/email/)(?!done/$).+$")
# And any other path segment that looks like a Django token ("<timestamp>-<hash>").
TOKEN_SEGMENT = re.compile(r"(?<=/)[0-9a-z]{1,13}-[0-9a-f]{20,}(?=/|$)")


def safe_path(path):
    """The request's path with its tokens masked; the query string is never part of it."""
    path = TOKEN_PATH.sub(r"\1[hidden]/", path or "")
    return TOKEN_SEGMENT.sub("[hidden]", path)


class AccessLogger(Logger):
    """gunicorn's logger, with only the harmless atoms: others (%(q)s, %(r)s, %(f)s, %(a)s, headers,
    environ) are '-' whatever access_log_format says."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = safe_path(atoms["U"])
        safe = {key: atoms[key] for key in ("t", "m", "H", "s", "b", "B", "T", "D", "M", "L", "p")}
        return {**safe, "U": path, "r": f"{atoms['m']} {path} {atoms['H']}"}


logger_class = AccessLogger


def post_worker_init(worker):
    """In each worker, after it loaded the application and just before its main loop."""
    gc.freeze()
    run_worker_on_deep_stack(worker)
