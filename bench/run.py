"""`make bench`: realistic data, gunicorn, wrk, and a table of each page against Django's floor.

On the local PostgreSQL: seeds 200 patients x 3 years (idempotent), starts gunicorn with 2
workers and persistent connections (DEBUG off), signs in a patient and a clinician, and
measures each page with wrk (127.0.0.1 only). Also records each page's SQL query count and its
HTML+CSS+JS bytes as served compressed. Writes bench/results.json.

Issue #14's acceptance, measured here too:
1. Hot pages: gunicorn on the shared cache as in production (CACHE_URL=redis://.../2, flushed at
   the start); /diary/, /diary/progress/ and /clinic/ must reach >= 0.5 x the floor.
2. Cold pages: a second gunicorn with CACHE_URL=dummy:// (no cache at all: every page rendered,
   and sessions read from the database, as with no shared cache); the 3-year progress page must
   reach >= 0.05 x the floor.
3. The worklist of a clinician with 2,000 sharing patients (1-year diaries, seeded once and kept),
   the first view after the date changed: every summary made one day old and the cache emptied
   (sessions kept) before each of WORKLIST_REPEATS single views; p99 <= 1 s.
4. `manage.py refresh_summaries` on the 2,000 patients' summaries, all stale by date: wall time
   (< 5 minutes) and the command's peak RSS; and the peak RSS (VmHWM) of each gunicorn worker
   after the worklist views (< 300 MB).

BENCH_ONLY=<part of a label> measures only the matching pages ("hot", "cold", "worklist" and
"refresh_summaries" select whole parts) and leaves bench/results.json as it was.
"""

import json
import math
import os
import platform
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8001
BASE = f"http://127.0.0.1:{PORT}"
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/migraine_bench")
HOT_CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/2")  # flushed at the start
COLD_CACHE_URL = "dummy://"
DURATION = os.environ.get("BENCH_DURATION", "5s")  # per round
ROUNDS = 3
WARM_UP = "3s"
CONNECTIONS = 16
PATIENT_EMAIL = "demo-patient-001@example.com"
CLINICIAN_EMAIL = "clinician@example.com"
POSTER_EMAIL = "bench-poster@example.com"
FLOOR_PATH = "/healthz"
LOG_DIR = Path(tempfile.gettempdir()) / "migraine-bench"  # gunicorn's stderr, for tracebacks

# The worklist at clinic scale: a second clinician, whom 2,000 patients with 1-year diaries share with.
WORKLIST_CLINICIAN_EMAIL = "bench-clinician-2000@example.com"
WORKLIST_PATIENT_EMAIL = "bench-worklist-{:04d}@example.com"
WORKLIST_PATIENTS = 2000
WORKLIST_YEARS = 1.0
WORKLIST_SEED = 14
WORKLIST_REPEATS = int(os.environ.get("BENCH_WORKLIST_REPEATS", "20"))
WORKLIST_MAX_FAILURES = 2  # first views that fail (gunicorn's timeout is 30 s): then stop trying
REFRESH_TIMEOUT = 900  # seconds; the target is 300

# Issue #14's acceptance.
HOT_TARGET = 0.5  # x floor, hot /diary/, /diary/progress/, /clinic/
COLD_PROGRESS_TARGET = 0.05  # x floor, cold /diary/progress/ (3 years)
FIRST_VIEW_P99_TARGET = 1.0  # s
REFRESH_WALL_TARGET = 300.0  # s
WORKER_RSS_TARGET_MB = 300.0
HOT_TARGET_PATHS = {"/diary/", "/diary/progress/", "/clinic/"}
COLD_TARGET_PATHS = {"/diary/progress/"}

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "migraine_app.settings",
    "DATABASE_URL": DATABASE_URL,
    "CACHE_URL": HOT_CACHE_URL,
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
ENV.pop("REDIS_URL", None)  # CACHE_URL decides
os.environ.update(ENV)
os.environ.pop("REDIS_URL", None)

PY = str(ROOT / ".venv" / "bin" / "python")
ONLY = os.environ.get("BENCH_ONLY")  # while working on one page: a part of its label


def selected(*names):
    """With BENCH_ONLY, whether it is a part of any of these labels."""
    return not ONLY or any(ONLY in name for name in names)


def manage(*args):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=ENV, check=True)


def has_command(name):
    return (
        subprocess.run([PY, "manage.py", "help", name], cwd=ROOT, env=ENV, capture_output=True, text=True).returncode
        == 0
    )


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


def redis_client():
    import redis

    return redis.Redis.from_url(HOT_CACHE_URL)


def ensure_redis():
    try:
        redis_client().ping()
    except Exception:  # noqa: BLE001 - any failure: start it, as the brief's machines do
        subprocess.run(
            ["redis-server", "--daemonize", "yes", "--port", "6379", "--save", "", "--appendonly", "no"], check=True
        )
        for _ in range(50):
            try:
                redis_client().ping()
                return
            except Exception:  # noqa: BLE001
                time.sleep(0.1)
        raise


def empty_cache(keep_sessions=True):
    """Every key in the shared cache goes (pages, computed figures, counters), sessions apart:
    what a date change makes stale, at the worst. Returns the number of keys deleted."""
    client = redis_client()
    doomed = [k for k in client.scan_iter(count=1000) if not (keep_sessions and b"django.contrib.sessions" in k)]
    for start in range(0, len(doomed), 1000):
        client.delete(*doomed[start : start + 1000])
    return len(doomed)


def new_worklist_key():
    """A key no worklist page is stored under, in Redis or in a worker's own memory of pages (which
    the bench cannot empty from outside): in production the date change reaches the worklist's key
    through its quarter hour; here ClinicVersion is raised, which does the same at once."""
    from django.db.models import F

    from accounts.models import ClinicVersion

    ClinicVersion.objects.filter(pk=ClinicVersion.ROW).update(value=F("value") + 1)


def setup_django():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def session_cookie(email):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model, load_backend

    from accounts.sessions import SessionStore

    # The backend that reads the user back, as Django's test client's force_login picks it: a
    # session naming a backend not in AUTHENTICATION_BACKENDS is signed out (every page the login page).
    backend = next(path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user"))

    user = get_user_model().objects.get(username=email)
    session = SessionStore()  # cached_db: in the database (read there by the cold server) and the cache
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["_last_touch"] = int(time.time())
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}", user


def browser_cookie(email):
    """The cookies of a browser signed in as this user that has opened a page before: the session
    and a CSRF secret of its own. (With no CSRF cookie, each response hands out a new secret and a
    signed-in page is rendered and never stored, as for a browser's first page.)"""
    cookie, user = session_cookie(email)
    return f"{cookie}; csrftoken={secrets.token_hex(16)}", user


def query_count(user, path, cold=False):
    """The page's SQL queries, counted in-process with Django's test client on the same database.

    Hot: [rendered, from the page cache], on the shared cache. Cold: [rendered], with no cache and
    database sessions, as the cold server runs."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    overrides = {}
    if cold:
        overrides = {
            "CACHES": {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
            "SESSION_ENGINE": "accounts.sessions_db",
            "SHARED_CACHE": False,
        }
    with override_settings(**overrides):
        client = Client()
        if user is not None:
            client.force_login(user)
        client.get(path)  # warm: first-use rows (profiles, summaries) and the CSRF cookie
        cache.clear()
        counts = []
        for _ in range(1 if cold else 2):  # rendered, then from the page cache
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


def fetch(path, cookie=None, timeout=None):
    request = urllib.request.Request(
        BASE + path, headers={"Accept-Encoding": "br, gzip", **({"Cookie": cookie} if cookie else {})}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - loopback only
        if response.url != BASE + path:  # a redirect followed: to the login page, say
            raise RuntimeError(f"{path} was sent on to {response.url}")
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

    from accounts.profiles import profile_for
    from diary import services
    from diary.models import Attack

    poster, _ = get_user_model().objects.get_or_create(username=POSTER_EMAIL, defaults={"email": POSTER_EMAIL})
    for user_id in set(Attack.objects.filter(notes__startswith="bench ").values_list("patient_id", flat=True)):
        Attack.objects.filter(patient_id=user_id, notes__startswith="bench ").delete()
        services.diary_changed(get_user_model()(pk=user_id))
    Attack.objects.filter(patient=poster).delete()
    services.diary_changed(poster)
    profile_for(poster)
    return session_cookie(POSTER_EMAIL)[0]


def seed_worklist():
    """The second clinician and the 2,000 patients who share with them, each with a 1-year demo
    diary (diary.demo, bulk inserts). Idempotent: what is there is kept, only what is missing is made."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from accounts.roles import assign_role
    from clinic.models import Share
    from diary import demo
    from diary.models import Attack

    started = time.monotonic()
    User = get_user_model()
    clinician, _ = User.objects.get_or_create(
        username=WORKLIST_CLINICIAN_EMAIL,
        defaults={"email": WORKLIST_CLINICIAN_EMAIL, "first_name": "Dr Bench", "last_name": "Twothousand"},
    )
    assign_role(clinician, "clinician")
    emails = [WORKLIST_PATIENT_EMAIL.format(index) for index in range(1, WORKLIST_PATIENTS + 1)]
    patients = dict(User.objects.filter(username__in=emails).values_list("username", "pk"))
    with_diary = set(
        Attack.objects.filter(patient__username__in=emails).values_list("patient_id", flat=True).distinct()
    )
    shared = Share.objects.filter(clinician=clinician, patient__username__in=emails).count()
    if len(patients) == len(with_diary) == shared == WORKLIST_PATIENTS:
        return clinician, 0
    password = User.objects.get(username="patient@example.com").password  # the demo password, hashed
    User.objects.bulk_create(
        [
            User(
                username=email,
                email=email,
                first_name=random.Random(index).choice(["Alex", "Sam", "Jo", "Priya", "Tom", "Aisha", "Chen"]),
                last_name=f"Worklist{index:04d}",
                password=password,
            )
            for index, email in enumerate(emails, 1)
            if email not in patients
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    users = {user.username: user for user in User.objects.filter(username__in=emails)}
    Share.objects.bulk_create(
        [Share(patient=user, clinician=clinician) for user in users.values()], batch_size=1000, ignore_conflicts=True
    )
    attacks = 0
    for chunk in range(0, WORKLIST_PATIENTS, 100):
        with transaction.atomic():
            for index in range(chunk + 1, min(chunk + 100, WORKLIST_PATIENTS) + 1):
                user = users[WORKLIST_PATIENT_EMAIL.format(index)]
                if user.pk in with_diary:
                    continue
                story = demo.STORIES[(index - 1) % len(demo.STORIES)]
                rng = random.Random(WORKLIST_SEED * 100_003 + index)
                attacks += demo.seed_diary(user, story, WORKLIST_YEARS, rng)
        print(f"  worklist patients: {min(chunk + 100, WORKLIST_PATIENTS)} of {WORKLIST_PATIENTS}", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Worklist patients ready: {attacks} attacks added in {time.monotonic() - started:.0f} s.")
    return clinician, attacks


def stale_by_date(clinician):
    """Every summary of the clinician's patients made for the day before the patient's today, as
    on the first morning after they were made (missing ones stay missing). Returns the count."""
    from django.db import connection

    from accounts.models import PatientProfile
    from clinic.models import Share
    from diary.models import PatientSummary

    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {PatientSummary._meta.db_table} AS s
               SET computed_for = (now() AT TIME ZONE p.time_zone)::date - 1
              FROM {PatientProfile._meta.db_table} AS p, {Share._meta.db_table} AS sh
             WHERE p.user_id = s.patient_id AND sh.patient_id = s.patient_id AND sh.clinician_id = %s
            """,  # noqa: S608 - table names from the models
            [clinician.pk],
        )
        return cursor.rowcount


def summaries_present(clinician):
    from diary.models import PatientSummary

    return PatientSummary.objects.filter(patient__shares_given__clinician=clinician).count()


def percentile(values, fraction):
    """Nearest rank: of 20 values, p50 is the 10th and p99 the 20th (the largest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def first_views(clinician, cookie):
    """Single views of the clinician's worklist, each the first after the date changed."""
    times, failures, html_bytes = [], [], None
    for index in range(WORKLIST_REPEATS):
        staled = stale_by_date(clinician)
        emptied = empty_cache()
        new_worklist_key()
        started = time.perf_counter()
        try:
            body, _ = fetch("/clinic/", cookie, timeout=120)
        except (urllib.error.URLError, OSError, RuntimeError) as error:  # HTTPError (a 5xx), a redirect
            elapsed = time.perf_counter() - started
            failures.append({"view": index + 1, "seconds": round(elapsed, 3), "error": repr(error)})
            print(f"  first view {index + 1}: FAILED after {elapsed:.1f} s: {error!r}", flush=True)
            if len(failures) >= WORKLIST_MAX_FAILURES:
                break
            continue
        elapsed = time.perf_counter() - started
        times.append(elapsed)
        html_bytes = len(body)
        print(
            f"  first view {index + 1}: {elapsed * 1000:.0f} ms ({staled} summaries made stale, "
            f"{emptied} cache keys emptied)",
            flush=True,
        )
    result = {
        "patients": WORKLIST_PATIENTS,
        "years": WORKLIST_YEARS,
        "views": len(times) + len(failures),
        "failures": failures,
        "times_s": [round(t, 4) for t in times],
        "html_bytes": html_bytes,
        "summaries_present": summaries_present(clinician),
    }
    # Of the views that succeeded; a failed view fails the target whatever these say.
    result["p50_s"] = percentile(times, 0.5) if times else None
    result["p99_s"] = percentile(times, 0.99) if times else None
    result["max_s"] = max(times) if times else None
    return result


def refresh_summaries(clinician):
    """The nightly command on the 2,000 patients' summaries, all stale by date: wall time and peak RSS."""
    if not has_command("refresh_summaries"):
        print("  manage.py refresh_summaries does not exist yet: not run")
        return {"ran": False, "reason": "manage.py refresh_summaries does not exist"}
    staled = stale_by_date(clinician)
    present = summaries_present(clinician)
    command = [PY, "manage.py", "refresh_summaries"]
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    killer = threading.Timer(REFRESH_TIMEOUT, process.kill)
    killer.start()
    # wait4: this process's own peak RSS (ru_maxrss, kB), as the kernel counted it.
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - started
    killer.cancel()
    timed_out = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    process.returncode = os.waitstatus_to_exitcode(status)
    reader.join(timeout=10)
    rss_kb = usage.ru_maxrss
    output = "".join(lines).strip()
    print("  " + output.replace("\n", "\n  "))
    remade = re.search(r"Remade (\d+) summaries", output)
    return {
        "ran": True,
        "command": " ".join(command[1:]),
        "stale_by_date": staled,
        "summaries_present_before": present,
        "returncode": process.returncode,
        "timed_out": timed_out,
        "wall_s": wall,
        "peak_rss_mb": rss_kb / 1024 if rss_kb else None,
        "remade": int(remade.group(1)) if remade else None,
        "output": output[-4000:],
        "summaries_present_after": summaries_present(clinician),
    }


def worker_memory(server):
    """Each gunicorn worker's peak RSS (VmHWM) and present RSS, in MB."""
    workers = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() != str(server.pid):
            continue
        workers.append(
            {
                "pid": int(entry.name),
                "vm_hwm_mb": int(fields["VmHWM"].split()[0]) / 1024,
                "vm_rss_mb": int(fields["VmRSS"].split()[0]) / 1024,
            }
        )
    return sorted(workers, key=lambda worker: worker["pid"])


class MemorySampler(threading.Thread):
    """Reads the workers' VmHWM every 0.2 s, so that the peak of a worker killed meanwhile (by
    gunicorn's timeout) is seen too."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server, self.peaks, self.stopping = server, {}, threading.Event()

    def run(self):
        while not self.stopping.wait(0.2):
            for worker in worker_memory(self.server):
                self.peaks[worker["pid"]] = max(self.peaks.get(worker["pid"], 0), worker["vm_hwm_mb"])

    def stop(self):
        self.stopping.set()
        self.join()
        return self.peaks


def start_server(cache_url, name):
    LOG_DIR.mkdir(exist_ok=True)
    log_path = LOG_DIR / f"gunicorn-{name}.log"
    log = log_path.open("w")
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
        env={**ENV, "CACHE_URL": cache_url},
        stderr=log,
    )
    server.log_path = log_path
    for _ in range(100):
        if server.poll() is not None:
            sys.exit(f"gunicorn ({name}) stopped at start:\n{log_path.read_text()}")
        try:
            fetch(FLOOR_PATH)
            break
        except OSError:
            time.sleep(0.2)
    server.first_workers = [worker["pid"] for worker in worker_memory(server)]
    return server


def stop_server(server):
    server.terminate()
    server.wait(timeout=30)


def server_problems(server):
    """Lines of gunicorn's stderr that tell of a failure (tracebacks, timeouts, errors)."""
    text = server.log_path.read_text(errors="replace")
    keep = re.compile(r"Traceback|Error|ERROR|CRITICAL|WORKER TIMEOUT|Worker .* (was sent|exited)")
    problems = [line for line in text.splitlines() if keep.search(line)]
    return {"log": str(server.log_path), "lines": problems[:50], "tracebacks": text.count("Traceback")}


def settle(numbers):
    """Wait until the server has finished the requests wrk left queued when it stopped (16
    connections of a slow page are seconds of work for 2 workers), so that the floor measured next
    is not slowed by them: one /healthz waits behind the queue, then the last page's time at most."""
    fetch(FLOOR_PATH, timeout=120)
    time.sleep(min(2.0, numbers["p99_us"] / 1e6))


def measure(label, path, floors, extra_env=None, **wrk_args):
    """ROUNDS times: the page, then the floor again. Each round compares the page with the floor
    measured just before and just after it; the page's numbers are the medians over the rounds,
    so one slow stretch of the machine moves none of them."""
    rounds = []
    for index in range(ROUNDS):
        env = {**(extra_env or {}), "BENCH_ROUND": str(index)}
        numbers = wrk(BASE + path, extra_env=env, **wrk_args)
        settle(numbers)
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


def floor_row(floors, cache):
    return {
        "page": f"floor: {FLOOR_PATH}",
        "path": FLOOR_PATH,
        "cache": cache,
        "queries": query_count(None, FLOOR_PATH, cold=cache == "cold"),
        "bytes": None,
        "html_bytes": None,
        "other_hosts": [],
        # Medians over all floor runs; each page's ratios use the runs just before and after it.
        **{key: statistics.median(run[key] for run in floors) for key in ("rps", "p50_us", "p99_us")},
        "errors": sum(run["errors"] for run in floors),
        "ratio_to_floor": 1.0,
        "target": None,
        "met": None,
        "rounds": floors,
    }


def measure_pages(pages, cache, extra=()):
    """The floor, then each page (and the extra rows, such as the POST) against it."""
    wrk(BASE + FLOOR_PATH, duration=WARM_UP)
    floors = [wrk(BASE + FLOOR_PATH)]
    results = []
    targets = HOT_TARGET_PATHS if cache == "hot" else COLD_TARGET_PATHS
    target = HOT_TARGET if cache == "hot" else COLD_PROGRESS_TARGET
    for label, path, cookie, user in pages:
        print(f"  {cache} {label}", flush=True)
        failure = None
        try:  # a page that fails is measured all the same (wrk counts its errors) and its traceback kept
            queries = query_count(user, path, cold=cache == "cold")
        except Exception:  # noqa: BLE001
            queries, failure = None, traceback.format_exc()
            print(f"  {label}: the page failed in the test client:\n{failure}", flush=True)
        try:
            weight, html_bytes, foreign = page_weight(path, cookie)
        except (OSError, RuntimeError) as error:
            weight, html_bytes, foreign = None, None, []
            failure = (failure or "") + f"served: {error!r}"
            print(f"  {label}: served: {error!r}", flush=True)
        wrk(BASE + path, cookie, duration=WARM_UP)
        row = measure(label, path, floors, cookie=cookie)
        row_target = target if path in targets else None
        results.append(
            {
                **row,
                "cache": cache,
                "queries": queries,
                "bytes": weight,
                "html_bytes": html_bytes,
                "other_hosts": foreign,
                "target": row_target,
                "met": None
                if row_target is None
                else row["ratio_to_floor"] >= row_target and row["errors"] == 0 and failure is None,
                **({"failure": failure} if failure else {}),
            }
        )
    for label, path, extra_env in extra:
        print(f"  {cache} {label}", flush=True)
        row = measure(label, path, floors, script="post_attack.lua", extra_env=extra_env)
        results.append(
            {
                **row,
                "cache": cache,
                "queries": None,
                "bytes": None,
                "html_bytes": None,
                "other_hosts": [],
                "target": None,
                "met": None,
            }
        )
    floor = floor_row(floors, cache)
    floor["bytes"], floor["html_bytes"], floor["other_hosts"] = page_weight(FLOOR_PATH, None)
    return [floor, *results]


def yes_no(met):
    return "-" if met is None else ("yes" if met else "NO")


def print_pages(rows):
    print(
        f"\n{'page':<32} {'cache':<5} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'x floor':>8} "
        f"{'queries':>7} {'KB':>6} {'errors':>6} {'target':>7} {'met':>4}"
    )
    print("(hot: gunicorn on the shared cache, Redis; cold: CACHE_URL=dummy://, nothing cached, sessions")
    print(" read from the database; queries: rendered / from the page cache (hot), rendered (cold);")
    print(" each page: medians of 3 rounds, each against the floor of its own server just before and after it)")
    for row in rows:
        kb = f"{row['bytes'] / 1024:.0f}" if row["bytes"] else "-"
        queries = "/".join(str(q) for q in row["queries"]) if row["queries"] is not None else "-"
        errors = row["errors"] + row.get("not_saved", 0)
        target = f">={row['target']:.2f}" if row["target"] is not None else "-"
        ratio = ratio_text(row["ratio_to_floor"])
        print(
            f"{row['page']:<32} {row['cache']:<5} {row['rps']:>8.0f} {row['p50_us'] / 1000:>7.1f} "
            f"{row['p99_us'] / 1000:>7.1f} {ratio:>8} {queries:>7} {kb:>6} {errors:>6} "
            f"{target:>7} {yes_no(row['met']):>4}"
        )


def ratio_text(ratio):
    """Two decimals, three below 0.1: a cold page's 0.049 is not shown rounded up to its 0.05 target."""
    return f"{ratio:.3f}" if ratio < 0.1 else f"{ratio:.2f}"


def acceptance(hot, cold, worklist, refresh, memory):
    """Issue #14's targets, each with what was measured and whether it is met (None: not measured)."""
    checks = []
    for rows, kind in ((hot, "hot"), (cold, "cold")):
        for row in rows or []:
            if row["target"] is not None:
                checks.append(
                    {
                        "target": f"{kind} {row['path']} >= {row['target']} x floor",
                        "measured": f"{ratio_text(row['ratio_to_floor'])} x floor ({row['rps']:.0f} req/s; rounds "
                        + ", ".join(ratio_text(run["ratio_to_floor"]) for run in row["rounds"])
                        + ")",
                        "met": row["met"],
                    }
                )
    if worklist is not None:
        p99 = worklist["p99_s"]
        failed = len(worklist["failures"])
        checks.append(
            {
                "target": f"worklist, {WORKLIST_PATIENTS} patients, first view after the date changed: "
                f"p99 <= {FIRST_VIEW_P99_TARGET:g} s",
                "measured": (
                    "no view succeeded"
                    if p99 is None
                    else f"p50 {worklist['p50_s']:.3f} s, p99 {p99:.3f} s, max {worklist['max_s']:.3f} s"
                )
                + f" ({worklist['views']} views, {failed} failed)",
                "met": p99 is not None and p99 <= FIRST_VIEW_P99_TARGET and not failed,
            }
        )
    if refresh is not None:
        ran = refresh.get("ran")
        ok = ran and refresh["returncode"] == 0 and not refresh["timed_out"]
        checks.append(
            {
                "target": f"refresh_summaries, {WORKLIST_PATIENTS} patients stale: "
                f"< {REFRESH_WALL_TARGET / 60:g} minutes",
                "measured": f"{refresh['wall_s']:.1f} s, remade {refresh['remade']}, exit {refresh['returncode']}"
                if ran
                else refresh["reason"],
                "met": (ok and refresh["wall_s"] < REFRESH_WALL_TARGET) if ran else None,
            }
        )
        if ran:
            rss = refresh["peak_rss_mb"]
            checks.append(
                {
                    "target": f"refresh_summaries peak RSS < {WORKER_RSS_TARGET_MB:g} MB (the workers' bound)",
                    "measured": f"{rss:.0f} MB" if rss is not None else "not known",
                    "met": None if rss is None else rss < WORKER_RSS_TARGET_MB,
                }
            )
    if memory is not None:
        peak = memory["peak_vm_hwm_mb"]
        checks.append(
            {
                "target": f"gunicorn worker peak RSS (VmHWM) after the worklist views < {WORKER_RSS_TARGET_MB:g} MB",
                "measured": "no worker"
                if peak is None
                else f"max {peak:.0f} MB; now "
                + ", ".join(f"{worker['vm_hwm_mb']:.0f}" for worker in memory["workers"])
                + " MB"
                + (f" ({memory['restarted']} restarted)" if memory["restarted"] else ""),
                "met": None if peak is None else peak < WORKER_RSS_TARGET_MB,
            }
        )
    return checks


def main():
    load_at_start = os.getloadavg()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    ensure_database()
    ensure_redis()
    manage("migrate", "--no-input", "-v0")
    manage("seed_demo", "--patients", "200", "--years", "3", "--seed", "1")
    # As the nightly cron leaves them: every summary made for today, so the hot worklist is measured
    # as it is served, not while it remakes its 20 per view (a day-old database would be all stale).
    manage("refresh_summaries")
    manage("collectstatic", "--no-input", "-v0")
    setup_django()
    from clinic.models import Share

    redis_client().flushdb()  # the shared cache starts empty (db 2: the bench's own)
    run_worklist = selected("worklist")
    run_refresh = selected("refresh_summaries", "worklist")
    worklist_clinician = seed_worklist()[0] if (run_worklist or run_refresh) else None

    patient_cookie, patient = browser_cookie(PATIENT_EMAIL)
    clinician_cookie, clinician = browser_cookie(CLINICIAN_EMAIL)
    poster_cookie = bench_poster()
    worklist_cookie = browser_cookie(WORKLIST_CLINICIAN_EMAIL)[0] if worklist_clinician else None
    csrf_secret = "b" * 32
    shared = Share.objects.filter(clinician=clinician).count()

    pages = [
        ("/", "/", None, None),
        ("/learn/<slug>/", "/learn/what-to-expect/", None, None),
        # The floor for a signed-in browser: /healthz with a patient's session, which every
        # signed-in page reads (the session, then the user with role and profile) before its own work.
        ("/healthz, signed in", FLOOR_PATH, patient_cookie, patient),
        ("/diary/", "/diary/", patient_cookie, patient),
        ("/diary/progress/", "/diary/progress/", patient_cookie, patient),
        ("/diary/progress.json", "/diary/progress.json", patient_cookie, patient),
        ("/diary/calendar/", "/diary/calendar/", patient_cookie, patient),
        (f"/clinic/ ({shared} patients)", "/clinic/", clinician_cookie, clinician),
        ("/clinic/patients/<id>/", f"/clinic/patients/{patient.pk}/", clinician_cookie, clinician),
    ]
    cold_pages = [page for page in pages if page[1] in {FLOOR_PATH, "/diary/", "/diary/progress/", "/clinic/"}]
    post_label = "POST /diary/headaches/new/"
    post = [
        (
            post_label,
            "/diary/headaches/new/",
            {"BENCH_COOKIE": f"{poster_cookie}; csrftoken={csrf_secret}", "BENCH_CSRF": csrf_secret},
        )
    ]
    if ONLY and ONLY not in ("hot", "cold"):
        pages = [page for page in pages if ONLY in page[0]]
        cold_pages = [page for page in cold_pages if ONLY in page[0]]
        post = [row for row in post if ONLY in row[0]]
    if ONLY == "cold":
        pages, post = [], []
    if ONLY == "hot":
        cold_pages = []

    hot = cold = worklist = refresh = memory = None
    problems = {}
    print(f"\nHot: gunicorn on the shared cache ({HOT_CACHE_URL})", flush=True)
    server = start_server(HOT_CACHE_URL, "hot")
    try:
        if pages or post:
            hot = measure_pages(pages, "hot", extra=post)
        if run_refresh:
            print(f"\nNightly: refresh_summaries on {WORKLIST_PATIENTS} patients' stale summaries", flush=True)
            refresh = refresh_summaries(worklist_clinician)
        if run_worklist:
            print(f"\nWorklist: {WORKLIST_PATIENTS} patients, first view after the date changed", flush=True)
            sampler = MemorySampler(server)
            sampler.start()
            try:
                worklist = first_views(worklist_clinician, worklist_cookie)
            finally:
                peaks = sampler.stop()
            workers = worker_memory(server)
            restarted = len(set(server.first_workers) - {worker["pid"] for worker in workers})
            everything = [*peaks.values(), *(worker["vm_hwm_mb"] for worker in workers)]
            memory = {
                "after": "the hot pages and the worklist views",
                "workers": workers,
                "restarted": restarted,
                "peak_vm_hwm_mb": max(everything, default=None),
                "sampled_peaks_mb": {str(pid): peak for pid, peak in peaks.items()},
            }
    finally:
        stop_server(server)
        problems["hot"] = server_problems(server)

    if cold_pages:
        print("\nCold: gunicorn with CACHE_URL=dummy:// (no cache; sessions from the database)", flush=True)
        server = start_server(COLD_CACHE_URL, "cold")
        try:
            cold = measure_pages(cold_pages, "cold")
        finally:
            stop_server(server)
            problems["cold"] = server_problems(server)

    print_pages([*(hot or []), *(cold or [])])
    if worklist is not None:
        print(f"\nWorklist of {WORKLIST_PATIENTS} sharing patients, first view after the date changed:")
        print(f"  {worklist['views']} views: " + ", ".join(f"{t * 1000:.0f}" for t in worklist["times_s"]) + " ms")
        for failure in worklist["failures"]:
            print(f"  view {failure['view']} failed after {failure['seconds']} s: {failure['error']}")
    if memory is not None:
        workers = ", ".join(
            f"pid {w['pid']} VmHWM {w['vm_hwm_mb']:.0f} MB (VmRSS {w['vm_rss_mb']:.0f})" for w in memory["workers"]
        )
        print(f"  gunicorn workers after it: {workers}; restarted meanwhile: {memory['restarted']}")
        if memory["peak_vm_hwm_mb"] is not None:
            print(f"  largest VmHWM seen during the views (killed workers too): {memory['peak_vm_hwm_mb']:.0f} MB")
    checks = acceptance(hot, cold, worklist, refresh, memory)
    print(f"\n{'issue #14 acceptance':<96} {'measured':<56} met")
    for check in checks:
        print(f"{check['target']:<96} {check['measured']:<56} {yes_no(check['met'])}")
    load = os.getloadavg()
    print(
        f"\nLoad average (1, 5, 15 min) at the start {load_at_start[0]:.2f} {load_at_start[1]:.2f} "
        f"{load_at_start[2]:.2f}, at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} CPUs)"
    )
    for name, found in problems.items():
        if found["lines"]:
            print(f"\ngunicorn ({name}) reported problems ({found['tracebacks']} tracebacks), see {found['log']}:")
            print("  " + "\n  ".join(found["lines"][:20]))

    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            # 1, 5 and 15 minutes: anything else running on the machine moves the numbers.
            "load_average_at_start": load_at_start,
            "load_average_at_end": os.getloadavg(),
        },
        "settings": {
            "workers": 2,
            "connections": CONNECTIONS,
            "duration": DURATION,
            "rounds": ROUNDS,
            "patients": shared,
            "years": 3,
            "database": "PostgreSQL (local)",
            "cache": f"{HOT_CACHE_URL} (Django's RedisCache, shared by the workers; emptied at the start)",
            "cold_cache": f"{COLD_CACHE_URL} (no cache at all; sessions then from the database: accounts.sessions_db)",
            "worklist_patients": WORKLIST_PATIENTS,
            "worklist_years": WORKLIST_YEARS,
            "worklist_repeats": WORKLIST_REPEATS,
        },
        "results": hot or [],
        "cold_results": cold or [],
        "worklist_first_view": worklist,
        "refresh_summaries": refresh,
        "worker_memory": memory,
        "acceptance": checks,
        "server_problems": problems,
    }
    if ONLY:
        print("\nBENCH_ONLY: a part of the table, bench/results.json left as it was")
        return
    (ROOT / "bench" / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    print("\nWritten: bench/results.json")


if __name__ == "__main__":
    main()
