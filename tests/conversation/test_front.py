"""The nginx front (deploy/nginx/oih.conf, bot/front.py) over the production profile's instances.

Production profile only (``make test-prod``): there the session's ``chat`` already talks to the
bot through nginx (tests/conftest.py). These tests check what the front adds, on two renderings:
- ``clinic``: the file exactly as a clinic renders it (no REST block), started here over the
  same Rasa instances: the allow-list, headers, TLS, body caps, the rate limit;
- ``chat.front``: the tests' rendering (REST block on): load balancing, and REST's token.
"""
from __future__ import annotations

import os
import re
import socket
import ssl
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Iterator

import pytest
import requests

PROD = os.environ.get("OIH_TEST_PROFILE", "default") == "prod"
pytestmark = pytest.mark.skipif(not PROD, reason="the nginx front runs in the production profile (make test-prod)")

# Rasa's HTTP API and everything else no patient needs (security review C1, C2, H1, M6).
REFUSED = [
    ("GET", "/status"), ("GET", "/version"), ("GET", "/domain"),
    ("GET", "/conversations/rest:someone/tracker"), ("POST", "/conversations/rest:someone/tracker/events"),
    ("POST", "/conversations/rest:someone/trigger_intent"), ("POST", "/model/parse"), ("PUT", "/model"),
    ("DELETE", "/model"), ("POST", "/model/train"), ("POST", "/webhooks/rest/webhook"), ("GET", "/webhooks/rest/"),
    ("GET", "/webhooks/telegram/set_webhook"), ("GET", "/webhooks/telegram/"), ("GET", "/actions"),
    ("POST", "/webhook"), ("GET", "/health"), ("GET", "/.env"), ("GET", "/webchatx"),
]


@pytest.fixture(scope="module")
def clinic(chat, nginx_front_factory: Callable[..., Any]) -> Iterator[Any]:
    """The clinic's rendering of the site file, over the session's Rasa instances."""
    with nginx_front_factory([int(u.rsplit(":", 1)[1]) for u in chat.front.upstreams], with_rest=False) as front:
        yield front


def upstreams_in_log(front: Any, since: int, expected: int, uris: set[str]) -> list[str]:
    """The upstream column of the access log's lines for ``uris`` after line ``since``.

    nginx writes a line just after sending the response, so the client can be a moment ahead
    (and an earlier request's line can land after ``since``: hence the filter on the path).
    """
    deadline = time.monotonic() + 10
    while True:
        lines = [f for f in front.log_lines()[since:] if len(f) >= 5 and f[3] in uris]
        if len(lines) >= expected or time.monotonic() > deadline:
            return [f[4] for f in lines]
        time.sleep(0.05)


@pytest.mark.parametrize("method,path", REFUSED)
def test_routes_outside_the_allow_list_are_404(clinic, chat, method, path) -> None:
    before = len(clinic.log_lines())
    # Even with the API token: the API is not reachable through the front at all.
    resp = requests.request(method, f"{clinic.url}{path}", params={"token": chat.api_token}, json={"text": "hi"},
                            verify=str(clinic.cert), timeout=30, allow_redirects=False)
    assert resp.status_code == 404, (method, path, resp.status_code, resp.text[:200])
    # nginx answered by itself: no instance saw the request (upstream "-" in the access log).
    assert set(upstreams_in_log(clinic, before, 1, {path})) == {"-"}


def test_api_answers_directly_but_not_through_the_front(clinic, chat) -> None:
    """The same request, with the token: 200 on the instance's loopback port, 404 at the front."""
    assert chat.api("GET", "/status").status_code == 200
    assert clinic.get("/status", params={"token": chat.api_token}).status_code == 404


def test_patient_and_staff_routes_reach_rasa(clinic) -> None:
    page = clinic.get("/webchat/")
    assert page.status_code == 200 and "widget.js" in page.text
    assert clinic.get("/webchat/widget.js").status_code == 200
    assert clinic.get("/webchat/config.json").json()["emergency_number"]
    session = clinic.post("/webchat/session").json()["sender"]
    replies = clinic.post("/webchat/webhook", json={"sender": session, "message": "hi"}).json()
    assert replies and "information assistant" in " ".join(r.get("text", "") for r in replies)
    # The staff page is Rasa's answer (503 while OIH_STAFF_TOKEN is unset in these servers).
    before = len(clinic.log_lines())
    assert clinic.get("/staff").status_code in (401, 503)
    # Telegram and Slack are not configured on these servers: Rasa itself answers 404, which the
    # access log tells apart from nginx's own 404 (an upstream address instead of "-").
    for path in ("/webhooks/telegram/webhook", "/webhooks/slack/webhook"):
        clinic.post(path, json={})
    proxied = upstreams_in_log(clinic, before, 3, {"/staff", "/webhooks/telegram/webhook", "/webhooks/slack/webhook"})
    assert len(proxied) >= 3 and all(u in clinic.upstreams for u in proxied), proxied
    assert clinic.get("/").headers["Location"].endswith("/webchat/")


def test_security_headers(clinic) -> None:
    resp = clinic.get("/webchat/")
    assert resp.headers["Strict-Transport-Security"].startswith("max-age=")
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "no-referrer"
    csp = resp.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "connect-src 'self'" in csp
    assert "nginx/" not in resp.headers.get("Server", "")  # no version
    # The staff page keeps its own, stricter policy; the front adds none of its own there.
    staff = clinic.get("/staff")
    assert staff.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "default-src 'none'" in staff.headers["Content-Security-Policy"]
    assert "script-src 'self'" not in staff.headers["Content-Security-Policy"]
    # Refusals carry the headers too ("always").
    assert clinic.get("/status").headers["X-Content-Type-Options"] == "nosniff"


def test_tls_is_terminated_with_the_configured_certificate(clinic) -> None:
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"{clinic.url}/webchat/health", timeout=30)  # not a publicly trusted certificate
    context = ssl.create_default_context(cafile=str(clinic.cert))
    host, port = clinic.url.removeprefix("https://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as raw, context.wrap_socket(raw, server_hostname=host) as tls:
        assert tls.version() in ("TLSv1.2", "TLSv1.3")
    assert clinic.get("/webchat/health").json() == {"status": "ok"}
    # Plain HTTP on the HTTPS port is refused by nginx (400), never proxied.
    assert requests.get(clinic.url.replace("https://", "http://") + "/webchat/health", timeout=30).status_code == 400
    # Plain HTTP only redirects to HTTPS, and never reaches Rasa.
    resp = requests.get(f"{clinic.http_url}/webchat/", allow_redirects=False, timeout=30)
    assert resp.status_code == 301 and resp.headers["Location"].startswith("https://")
    assert requests.get(f"{clinic.http_url}/status", allow_redirects=False, timeout=30).status_code == 301


def test_body_caps_and_compressed_bodies(clinic) -> None:
    session = clinic.post("/webchat/session").json()["sender"]
    assert clinic.post("/webchat/webhook", data=b'{"sender":"x","message":"' + b"a" * 70_000 + b'"}').status_code == 413
    bomb = clinic.post("/webchat/webhook", data=b"x\x9c", headers={"Content-Encoding": "deflate"})
    assert bomb.status_code == 415
    assert clinic.post("/webchat/webhook", json={"sender": session, "message": "hi"}).status_code == 200


def test_every_instance_gets_traffic(chat) -> None:
    """The tests' own messages go through nginx, which spreads them over both instances."""
    front = chat.front
    before = len(front.log_lines())
    for i in range(8):
        assert chat.texts(f"front-{i}-{time.monotonic_ns()}", "hi")
    used = [u for u in upstreams_in_log(front, before, 8, {"/webhooks/rest/webhook"}) if u != "-"]
    assert len(used) >= 8
    assert set(used) == set(front.upstreams), used


def test_rest_through_the_front_needs_its_token(chat) -> None:
    front = chat.front
    body = {"sender": "front-no-token", "message": "hi"}
    assert front.post("/webhooks/rest/webhook", json=body).status_code == 401
    bad = front.post("/webhooks/rest/webhook", json=body, headers={"Authorization": "Bearer " + "x" * 40})
    assert bad.status_code == 401
    assert front.post("/webhooks/rest/webhook", json=body, headers=chat.rest_headers()).status_code == 200


def test_the_widget_works_in_chromium_under_the_fronts_policy(clinic) -> None:
    """The demo page through nginx, CSP and all: the chat opens and answers, and Chromium reports
    no Content-Security-Policy violation (a too-strict policy would break the widget silently)."""
    from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS
    from tests.web.test_webchat import QUESTION, TOPIC, answer_start, ask, open_chat, wait_idle

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium).")
    from playwright.sync_api import expect, sync_playwright

    violations: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(ignore_https_errors=True)  # the test's self-signed certificate
            context.set_default_timeout(60_000)
            page = context.new_page()
            page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
            open_chat(page, clinic.url + "/webchat/")
            ask(page, QUESTION)
            expect(page.locator(".oihc-bot .oihc-text", has_text=answer_start(TOPIC))).to_be_visible()
            wait_idle(page)
            policy = page.evaluate("() => fetch('/webchat/').then(r => r.headers.get('content-security-policy'))")
        finally:
            browser.close()
    assert policy and "frame-ancestors" in policy
    assert violations == []


# Last in the module: its burst fills nginx's per-client bucket for this address (about ten
# seconds to drain), and a test after it would get 429 from the front instead of its answer.
def test_rate_limit_per_client(clinic) -> None:
    """A burst far above the web chat's rate: nginx answers 429 without bothering Rasa."""
    def hit(_: int) -> int:
        return clinic.get("/webchat/health").status_code

    time.sleep(12)  # let the bucket the earlier tests filled drain (burst 20 at 2 a second)
    before = len(clinic.log_lines())
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(hit, range(80)))
    assert codes.count(429) >= 20, codes
    assert codes.count(200) >= 10, codes
    upstreams_in_log(clinic, before, len(codes), {"/webchat/health"})
    limited = [f for f in clinic.log_lines()[before:] if f[1] == "429" and f[3] == "/webchat/health"]
    assert len(limited) == codes.count(429) and all(f[4] == "-" for f in limited)
    # The access log holds no client address and no query string.
    text = clinic.access_log.read_text()
    assert "127.0.0.1 " not in re.sub(r"127\.0\.0\.1:\d+", "", text) and "token=" not in text
