"""`make bench`: realistic data, gunicorn, wrk, and a table of each page against Django's floor.

On the local PostgreSQL: seeds 200 patients x 3 years (idempotent), starts gunicorn with 2
workers and persistent connections (DEBUG off), signs in a patient and a clinician, and
measures each page with wrk (127.0.0.1 only). Also records each page's SQL query count and its
HTML+CSS+JS bytes as served compressed. Writes bench/results.json.
"""

import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8001
BASE = f"http://127.0.0.1:{PORT}"
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/migraine_bench")
DURATION = os.environ.get("BENCH_DURATION", "5s")  # per round
ROUNDS = 3
WARM_UP = "3s"
CONNECTIONS = 16
PATIENT_EMAIL = "demo-patient-001@example.com"
CLINICIAN_EMAIL = "clinician@example.com"
POSTER_EMAIL = "bench-poster@example.com"
FLOOR_PATH = "/healthz"

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "migraine_app.settings",
    "DATABASE_URL": DATABASE_URL,
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "CONN_MAX_AGE": "60",
    # Plain HTTP on loopback: no TLS redirect, cookies without the Secure flag, no second factor.
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "REQUIRE_2FA": "0",
    "LOG_LEVEL": "WARNING",
    "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",  # required with DEBUG off; sends nothing
}
os.environ.update(ENV)

PY = str(ROOT / ".venv" / "bin" / "python")


def manage(*args):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=ENV, check=True)


def ensure_database():
    name = DATABASE_URL.rsplit("/", 1)[1]
    exists = subprocess.run(
        [
            "psql",
            DATABASE_URL.rsplit("/", 1)[0] + "/postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname='{name}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists != "1":
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)


def setup_django():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def session_cookie(email):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model

    from accounts.sessions import SessionStore

    user = get_user_model().objects.get(username=email)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.DiaryModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["_last_touch"] = int(time.time())
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}", user


def query_count(user, path):
    """The page's SQL queries, counted in-process with Django's test client on the same database."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if user is not None:
        client.force_login(user)
    from django.core.cache import cache

    client.get(path)  # warm: first-use rows (profiles, summaries) and the CSRF cookie
    cache.clear()
    counts = []
    for _ in range(2):  # rendered, then from the page cache
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts.append(len(queries))
    return counts


class Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.urls.append(attrs.get("href"))
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])


def fetch(path, cookie=None):
    request = urllib.request.Request(
        BASE + path, headers={"Accept-Encoding": "br, gzip", **({"Cookie": cookie} if cookie else {})}
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310 - loopback only
        return response.read(), response.headers


def page_weight(path, cookie):
    """HTML + CSS + JS bytes as served (compressed where the server compresses), and any other host."""
    html, headers = fetch(path, cookie)
    parser = Assets()
    parser.feed(html.decode("utf-8", "replace"))
    total = len(html)
    for url in parser.urls:
        body, _ = fetch(url)
        total += len(body)
    foreign = re.findall(rb'(?:src|href|action)="(https?://[^"]+)"', html)
    foreign = [u.decode() for u in foreign if not u.startswith(BASE.encode())]
    return total, len(html), foreign


def wrk(url, cookie=None, script="report.lua", extra_env=None, duration=DURATION):
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration}", "--latency", "-s", str(ROOT / "bench" / script)]
    if cookie and script == "report.lua":
        command += ["-H", f"Cookie: {cookie}"]
    command.append(url)
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, env={**os.environ, **(extra_env or {})}
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    data = json.loads(line[6:])
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    return data


def bench_poster():
    """The patient whose diary the POST fills: emptied before each run, so every run starts alike.

    (Attacks that earlier versions of this benchmark posted into the demo patients' diaries,
    with notes "bench <n>", are removed too.)
    """
    from django.contrib.auth import get_user_model

    from diary import services
    from diary.models import Attack

    poster, _ = get_user_model().objects.get_or_create(username=POSTER_EMAIL, defaults={"email": POSTER_EMAIL})
    for user_id in set(Attack.objects.filter(notes__startswith="bench ").values_list("patient_id", flat=True)):
        Attack.objects.filter(patient_id=user_id, notes__startswith="bench ").delete()
        services.diary_changed(get_user_model()(pk=user_id))
    Attack.objects.filter(patient=poster).delete()
    services.diary_changed(poster)
    services.profile_for(poster)
    return session_cookie(POSTER_EMAIL)[0]


def measure(label, path, floors, extra_env=None, **wrk_args):
    """ROUNDS times: the page, then the floor again. Each round compares the page with the floor
    measured just before and just after it; the page's numbers are the medians over the rounds,
    so one slow stretch of the machine moves none of them."""
    rounds = []
    for index in range(ROUNDS):
        env = {**(extra_env or {}), "BENCH_ROUND": str(index)}
        numbers = wrk(BASE + path, extra_env=env, **wrk_args)
        floors.append(wrk(BASE + FLOOR_PATH))
        numbers["ratio_to_floor"] = numbers["rps"] / ((floors[-2]["rps"] + floors[-1]["rps"]) / 2)
        rounds.append(numbers)
    row = {"page": label, "path": path}
    for key in ("rps", "p50_us", "p99_us", "ratio_to_floor"):
        row[key] = statistics.median(run[key] for run in rounds)
    for key in ("requests", "errors", "non_2xx_3xx", "not_saved"):
        row[key] = sum(run.get(key, 0) for run in rounds)
    row["rounds"] = rounds
    return row


def main():
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    ensure_database()
    manage("migrate", "--no-input", "-v0")
    manage("seed_demo", "--patients", "200", "--years", "3", "--seed", "1")
    manage("collectstatic", "--no-input", "-v0")
    setup_django()
    from clinic.models import Share
    from diary import services

    patient_cookie, patient = session_cookie(PATIENT_EMAIL)
    clinician_cookie, clinician = session_cookie(CLINICIAN_EMAIL)
    poster_cookie = bench_poster()
    csrf_secret = "b" * 32
    shared = Share.objects.filter(clinician=clinician).count()
    services.profile_for(patient)

    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "migraine_app.wsgi",
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--no-control-socket",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=ENV,
    )
    try:
        for _ in range(50):
            try:
                fetch(FLOOR_PATH)
                break
            except OSError:
                time.sleep(0.2)
        pages = [
            ("/", "/", None, None),
            ("/learn/<slug>/", "/learn/what-to-expect/", None, None),
            ("/diary/", "/diary/", patient_cookie, patient),
            ("/diary/progress/", "/diary/progress/", patient_cookie, patient),
            ("/diary/progress.json", "/diary/progress.json", patient_cookie, patient),
            ("/diary/calendar/", "/diary/calendar/", patient_cookie, patient),
            (f"/clinic/ ({shared} patients)", "/clinic/", clinician_cookie, clinician),
            ("/clinic/patients/<id>/", f"/clinic/patients/{patient.pk}/", clinician_cookie, clinician),
        ]
        only = os.environ.get("BENCH_ONLY")  # while working on one page: a part of its label
        if only:
            pages = [page for page in pages if only in page[0]]
        wrk(BASE + FLOOR_PATH, duration=WARM_UP)
        floors = [wrk(BASE + FLOOR_PATH)]
        results = []
        for label, path, cookie, user in pages:
            queries = query_count(user, path)
            weight, html_bytes, foreign = page_weight(path, cookie)
            wrk(BASE + path, cookie, duration=WARM_UP)
            row = measure(label, path, floors, cookie=cookie)
            results.append(
                {**row, "queries": queries, "bytes": weight, "html_bytes": html_bytes, "other_hosts": foreign}
            )
        post_label = "POST /diary/headaches/new/"
        if not only or only in post_label:
            row = measure(
                post_label,
                "/diary/headaches/new/",
                floors,
                script="post_attack.lua",
                extra_env={"BENCH_COOKIE": f"{poster_cookie}; csrftoken={csrf_secret}", "BENCH_CSRF": csrf_secret},
            )
            results.append({**row, "queries": None, "bytes": None, "html_bytes": None, "other_hosts": []})
        floor_queries = query_count(None, FLOOR_PATH)
        floor_weight = page_weight(FLOOR_PATH, None)
    finally:
        server.terminate()
        server.wait(timeout=10)

    floor = {
        "page": f"floor: {FLOOR_PATH}",
        "path": FLOOR_PATH,
        "queries": floor_queries,
        "bytes": floor_weight[0],
        "html_bytes": floor_weight[1],
        "other_hosts": floor_weight[2],
        # Medians over all floor runs; each page's ratios use the runs just before and after it.
        **{key: statistics.median(run[key] for run in floors) for key in ("rps", "p50_us", "p99_us")},
        "errors": sum(run["errors"] for run in floors),
        "ratio_to_floor": 1.0,
        "rounds": floors,
    }
    results.insert(0, floor)
    print(
        f"\n{'page':<32} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'x floor':>8} {'queries':>7} {'KB':>6} {'errors':>6}"
    )
    print("(queries: when the page is rendered / when it comes from the page cache;")
    print(" each page: medians of 3 rounds, each against the floor measured just before and after it)")
    for row in results:
        kb = f"{row['bytes'] / 1024:.0f}" if row["bytes"] else "-"
        queries = "/".join(str(q) for q in row["queries"]) if row["queries"] is not None else "-"
        errors = row["errors"] + row.get("not_saved", 0)
        print(
            f"{row['page']:<32} {row['rps']:>8.0f} {row['p50_us'] / 1000:>7.1f} {row['p99_us'] / 1000:>7.1f} "
            f"{row['ratio_to_floor']:>8.2f} {queries:>7} {kb:>6} {errors:>6}"
        )
    report = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "settings": {
            "workers": 2,
            "connections": CONNECTIONS,
            "duration": DURATION,
            "rounds": ROUNDS,
            "patients": shared,
            "years": 3,
            "database": "PostgreSQL (local)",
        },
        "results": results,
    }
    if only:
        print("\nBENCH_ONLY: a part of the table, bench/results.json left as it was")
        return
    (ROOT / "bench" / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    print("\nWritten: bench/results.json")


if __name__ == "__main__":
    main()
