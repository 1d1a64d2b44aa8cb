"""Browser tests: Playwright driving Debian's Chromium against the live server.

Outside CI, when Chromium is missing, every browser test is skipped with a message saying how
to install it; in CI (CI=true) a missing browser is a failure, never a skip.
"""

import os
import shutil
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server and Playwright share the thread

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
INSTALL = "apt-get install -y chromium && npm ci --no-audit --no-fund"


def _missing():
    missing = []
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        missing.append(f"Chromium ({CHROMIUM})")
    if not AXE.exists():
        missing.append("axe-core (node_modules)")
    return missing


def pytest_collection_modifyitems(config, items):
    missing = _missing()
    if not missing:
        return
    message = f"browser tests skipped: {', '.join(missing)} not installed. Install with: {INSTALL}"
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"CI needs the browser tests, but {', '.join(missing)} is missing ({INSTALL})")
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=message))


def pytest_terminal_summary(terminalreporter):
    missing = _missing()
    if missing:
        terminalreporter.write_line(
            f"NOTE: browser tests were skipped ({', '.join(missing)} missing). Install: {INSTALL}", yellow=True
        )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


class Watch:
    """What a page did that it must not: console errors, and requests to any other host."""

    def __init__(self, page, live_server_url):
        self.host = urlparse(live_server_url).netloc
        self.console_errors = []
        self.foreign_requests = []
        page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        page.on("request", self._request)

    def _request(self, request):
        url = urlparse(request.url)
        if url.scheme in ("http", "https") and url.netloc != self.host:
            self.foreign_requests.append(request.url)


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def migrated_rows():
    """The rows the data migrations make (groups, the guide), which a flushed database lacks.

    Browser tests flush the database after each test, and Django's serialized rollback cannot
    restore them here: Playwright runs an event loop, so the ORM gets a fresh connection object
    without the saved rows. So they are made again, the way the migrations make them.
    """
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    from accounts import roles
    from education.models import Section

    Group.objects.get_or_create(name=roles.CLINICIANS)
    editors, _ = Group.objects.get_or_create(name=roles.EDITORS)
    codenames = importlib.import_module("education.migrations.0003_education_editors_group").CODENAMES
    editors.permissions.set(Permission.objects.filter(content_type__app_label="education", codename__in=codenames))
    if not Section.objects.exists():
        importlib.import_module("education.migrations.0002_seed_guide").seed_guide(apps, None)


@pytest.fixture
def browser_page(browser, live_server, viewport, migrated_rows):
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="en-GB", timezone_id="Europe/London")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.watch = Watch(page, live_server.url)
    page.viewport_name = viewport
    page.base = live_server.url
    yield page
    context.close()


@cache
def _axe_source():
    return AXE.read_text() + "\n;window.axe = axe;"


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _axe_violations(page):
    result = page.evaluate(f"axe.run(document, {{runOnly: {{type: 'tag', values: {AXE_TAGS!r}}}}})")
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})" for v in result["violations"]
    ]


def check(page, name=None):
    """On every page a journey visits: no axe violation (WCAG 2.2 A and AA) in the light and the
    dim theme (the device's preference, which pages follow by default), no console error, no
    request to another host. With SAVE_SCREENSHOTS=1, a named page is saved for the README in both."""
    page.wait_for_load_state("load")
    # Evaluated by the test, not added as a <script>: the app's CSP rightly refuses inline scripts.
    page.evaluate(_axe_source())
    saving = name and os.environ.get("SAVE_SCREENSHOTS") == "1"
    for scheme, suffix in (("light", ""), ("dark", "-dark")):
        page.emulate_media(color_scheme=scheme)
        # A new scheme starts Bootstrap's colour transitions: let them end before axe reads colours.
        page.evaluate("() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))")
        violations = _axe_violations(page)
        assert violations == [], f"accessibility violations on {page.url} ({scheme}): {violations}"
        if saving:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{page.viewport_name}{suffix}.png"), full_page=True)
    page.emulate_media(color_scheme="light")
    assert page.watch.console_errors == [], f"console errors on {page.url}: {page.watch.console_errors}"
    assert page.watch.foreign_requests == [], f"requests to other hosts: {page.watch.foreign_requests}"


def sign_in(page, email, password):
    page.goto(page.base + "/accounts/login/")
    check(page, "sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
