import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/learn/", "/accounts/login/"])
def test_security_headers(client, url):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    for feature in ["camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"]:
        assert feature in policy


@pytest.mark.django_db
def test_no_page_has_an_inline_script(client, patient):
    client.force_login(patient)
    for url in ["/", "/learn/", "/diary/", "/diary/headaches/new/", "/diary/progress/", "/accounts/signup/"]:
        text = client.get(url).text
        for chunk in text.split("<script")[1:]:
            assert 'src="' in chunk.split(">", 1)[0], f"inline script on {url}"
        assert " onclick=" not in text and " onload=" not in text and ' style="' not in text


def test_only_the_admin_may_use_inline_styles_and_never_inline_scripts(client, editor):
    client.force_login(editor)
    csp = client.get("/admin/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert directives["script-src"] == "'self'"
