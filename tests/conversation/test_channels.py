"""Telegram, Slack and the staff page through a real Rasa server + action server.

The servers are started with credentials.channels.yml, the secrets in environment variables, and
TELEGRAM_API_URL / SLACK_API_URL pointing at a stub HTTP server on 127.0.0.1 that stands in for
api.telegram.org and slack.com: it records every call the bot makes and answers "ok". The
session's `chat` servers are paused meanwhile (one server set at a time).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
import requests

from bot import servers
from bot.knowledge import cached_knowledge
from bot.training import model_path

TELEGRAM_TOKEN = "123456789:TEST-token_for-the-stub"
TELEGRAM_USERNAME = "oih_test_bot"
TELEGRAM_SECRET = "test-secret_0123456789"
SLACK_SIGNING_SECRET = "slack-signing-secret-for-tests"
STAFF_TOKEN = "staff-token-for-tests-0123456789"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
TOPIC = "oih_vs_addiction"
TOPIC_PAYLOAD = '/choose_topic{"topic": "oih_vs_addiction"}'


# ----------------------------------------------------------------------------- the platform stub


@dataclass
class Call:
    path: str
    method: str  # the API method: the last path segment (sendMessage, chat.postMessage, ...)
    params: dict[str, Any]


class PlatformStub:
    """A tiny HTTP server standing in for api.telegram.org and slack.com/api."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                ctype = self.headers.get("content-type", "")
                if "json" in ctype:
                    params = json.loads(raw or "{}")
                else:
                    params = {k: v[-1] for k, v in urllib.parse.parse_qs(raw).items()}
                method = self.path.rstrip("/").rsplit("/", 1)[-1]
                with stub.lock:
                    stub.calls.append(Call(self.path, method, params))
                body = json.dumps(stub.answer(method, params)).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @staticmethod
    def answer(method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "getMe":
            result: Any = {"id": 123456789, "is_bot": True, "first_name": "OIH", "username": TELEGRAM_USERNAME}
        elif method == "sendMessage":
            result = {"message_id": 1, "date": int(time.time()),
                      "chat": {"id": int(params.get("chat_id", 0)), "type": "private"}, "text": params.get("text", "")}
        elif method == "chat.postMessage":
            return {"ok": True, "channel": params.get("channel"), "ts": f"{time.time():.6f}"}
        else:
            result = True
        return {"ok": True, "result": result}

    def calls_to(self, method: str, where: Callable[[dict[str, Any]], bool] = lambda p: True) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method and where(c.params)]

    def wait_for(self, method: str, where: Callable[[dict[str, Any]], bool], count: int = 1,
                 timeout: float = 45) -> list[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.calls_to(method, where)
            if len(found) >= count:
                return found
            time.sleep(0.2)
        raise AssertionError(f"no {method} call matched within {timeout:.0f} s; calls: {self.calls!r}")


@dataclass
class ChannelServers:
    url: str
    var_dir: Path
    stub: PlatformStub


@pytest.fixture(scope="module")
def channels(tmp_path_factory: pytest.TempPathFactory, pause_session_servers) -> Iterator[ChannelServers]:
    if not model_path().exists():
        pytest.fail("No trained model: run `make test` (it trains first) or `python -m bot train`.")
    stub = PlatformStub()
    stub.thread.start()
    folder = tmp_path_factory.mktemp("channel-servers")
    rasa_port = servers.free_port()
    env = {
        "OIH_VAR_DIR": str(folder / "var"),
        "OIH_TRACKER_DB": str(folder / "tracker.db"),
        "OIH_REFERRALS_DB_URL": f"sqlite:///{folder / 'referrals.db'}",
        "TELEGRAM_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_BOT_USERNAME": TELEGRAM_USERNAME,
        "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{rasa_port}/webhooks/telegram/webhook",
        "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
        "TELEGRAM_API_URL": stub.url,
        "SLACK_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": SLACK_SIGNING_SECRET,
        "SLACK_API_URL": f"{stub.url}/api/",
        "OIH_STAFF_TOKEN": STAFF_TOKEN,
        # Behind the nginx front (test_platforms_and_staff_through_the_nginx_front): count failed
        # staff sign-ins per real client (bot/channels/staff.py client_address).
        "SANIC_REAL_IP_HEADER": "x-real-ip",
    }
    log_path = folder / "servers.log"
    with pause_session_servers(), open(log_path, "w") as log:
        try:
            running = servers.start(
                rasa_port=rasa_port, action_port=servers.free_port(), extra_env=env, log=log,
                model=str(model_path()), credentials="credentials.channels.yml",
            )
        except Exception as exc:
            log.flush()
            stub.server.shutdown()
            pytest.fail(f"servers did not start: {exc}\n--- log tail ---\n{log_path.read_text()[-4000:]}")
        try:
            yield ChannelServers(running.url, folder / "var", stub)
        finally:
            running.stop()
            stub.server.shutdown()


def answer_start(topic: str = TOPIC) -> str:
    """The first words of a topic's answer, as the bot must send them."""
    return cached_knowledge().faq(topic).answer[:40]


# ----------------------------------------------------------------------------- Telegram


def telegram_update(chat_id: int, text: str | None = None, button: str | None = None) -> dict[str, Any]:
    message = {"message_id": 7, "date": int(time.time()), "chat": {"id": chat_id, "type": "private"},
               "from": {"id": chat_id, "is_bot": False, "first_name": "Pat"}}
    if button is not None:
        return {"update_id": chat_id, "callback_query": {
            "id": f"cb{chat_id}", "from": message["from"], "chat_instance": "1", "data": button,
            "message": {**message, "text": "Related questions:"}}}
    return {"update_id": chat_id, "message": {**message, "text": text}}


def post_telegram(url: str, update: dict[str, Any], secret: str | None) -> requests.Response:
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    return requests.post(f"{url}/webhooks/telegram/webhook", json=update, headers=headers, timeout=60)


def new_chat_id() -> int:
    return 100000 + uuid.uuid4().int % 900000000


def to_chat(chat_id: int) -> Callable[[dict[str, Any]], bool]:
    return lambda p: str(p.get("chat_id")) == str(chat_id)


def test_telegram_webhook_is_registered_with_the_secret(channels):
    calls = channels.stub.calls_to("setWebhook")
    assert calls, "the webhook was not registered at start-up"
    assert calls[0].params["secret_token"] == TELEGRAM_SECRET
    assert calls[0].params["url"].endswith("/webhooks/telegram/webhook")


def test_telegram_with_the_secret_is_answered_with_an_inline_keyboard(channels):
    chat_id = new_chat_id()
    resp = post_telegram(channels.url, telegram_update(chat_id, "is OIH the same as addiction?"), TELEGRAM_SECRET)
    assert resp.status_code == 200
    sent = channels.stub.wait_for("sendMessage", to_chat(chat_id))
    keyboards = [json.loads(c.params["reply_markup"]) for c in sent if c.params.get("reply_markup")]
    assert keyboards, "no message carried the buttons"
    buttons = [b for row in keyboards[-1]["inline_keyboard"] for b in row]
    assert all(len(row) == 1 for row in keyboards[-1]["inline_keyboard"]), "one button per row"
    assert buttons and all(b["callback_data"].startswith("/") for b in buttons)
    assert all(len(b["callback_data"].encode()) <= 64 for b in buttons)


def test_telegram_button_press_gets_the_topic_answer(channels):
    chat_id = new_chat_id()
    resp = post_telegram(channels.url, telegram_update(chat_id, button=TOPIC_PAYLOAD), TELEGRAM_SECRET)
    assert resp.status_code == 200
    texts = [c.params["text"] for c in channels.stub.wait_for("sendMessage", to_chat(chat_id), count=2)]
    assert any(t.startswith(answer_start()) for t in texts), texts
    channels.stub.wait_for("answerCallbackQuery", lambda p: p.get("callback_query_id") == f"cb{chat_id}")


@pytest.mark.parametrize("secret", [None, "", "wrong-secret"], ids=["missing", "empty", "wrong"])
def test_telegram_without_the_right_secret_is_refused_and_not_processed(channels, secret):
    chat_id = new_chat_id()
    resp = post_telegram(channels.url, telegram_update(chat_id, "hi"), secret)
    assert resp.status_code == 403
    time.sleep(1.5)
    assert channels.stub.calls_to("sendMessage", to_chat(chat_id)) == []


def test_telegram_set_webhook_route_needs_the_secret(channels):
    before = len(channels.stub.calls_to("setWebhook"))
    assert requests.get(f"{channels.url}/webhooks/telegram/set_webhook", timeout=30).status_code == 403
    assert len(channels.stub.calls_to("setWebhook")) == before


# ----------------------------------------------------------------------------- Slack


def slack_headers(body: bytes, secret: str = SLACK_SIGNING_SECRET, age: int = 0) -> dict[str, str]:
    timestamp = str(int(time.time()) - age)
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}


def slack_event(user: str, channel: str, text: str) -> bytes:
    return json.dumps({
        "type": "event_callback", "team_id": "T0001", "api_app_id": "A0001", "event_id": f"Ev{user}",
        "authorizations": [{"user_id": "UBOT0001"}],
        "event": {"type": "message", "channel_type": "im", "channel": channel, "user": user,
                  "text": text, "ts": f"{time.time():.6f}"},
    }).encode()


def post_slack(url: str, body: bytes, headers: dict[str, str], content_type: str = "application/json") -> requests.Response:
    return requests.post(f"{url}/webhooks/slack/webhook", data=body,
                         headers={**headers, "Content-Type": content_type}, timeout=60)


def ids() -> tuple[str, str]:
    tag = uuid.uuid4().hex[:8].upper()
    return f"U{tag}", f"D{tag}"


def in_channel(channel: str) -> Callable[[dict[str, Any]], bool]:
    return lambda p: p.get("channel") == channel


def test_slack_url_verification_is_answered_when_signed(channels):
    body = json.dumps({"type": "url_verification", "challenge": "c-123", "token": "x"}).encode()
    resp = post_slack(channels.url, body, slack_headers(body))
    assert resp.status_code == 200
    assert resp.json() == {"challenge": "c-123"}


def test_slack_signed_message_is_answered_with_block_kit_buttons(channels):
    user, channel = ids()
    body = slack_event(user, channel, "is OIH the same as addiction?")
    resp = post_slack(channels.url, body, slack_headers(body))
    assert resp.status_code == 200
    posted = channels.stub.wait_for("chat.postMessage", lambda p: in_channel(channel)(p) and "blocks" in p)
    blocks = posted[0].params["blocks"]
    actions = [b for b in blocks if b["type"] == "actions"]
    assert actions and actions[0]["elements"]
    assert all(e["type"] == "button" and e["value"].startswith("/") for e in actions[0]["elements"])
    assert "as_user" not in posted[0].params


def test_slack_button_click_gets_the_topic_answer(channels):
    user, channel = ids()
    payload = {"type": "block_actions", "user": {"id": user}, "channel": {"id": channel},
               "message": {"ts": f"{time.time():.6f}"},
               "actions": [{"type": "button", "action_id": "oih_button_0", "value": TOPIC_PAYLOAD}]}
    body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
    resp = post_slack(channels.url, body, slack_headers(body), "application/x-www-form-urlencoded")
    assert resp.status_code == 200
    posted = channels.stub.wait_for(
        "chat.postMessage", lambda p: in_channel(channel)(p) and str(p.get("text", "")).startswith(answer_start())
    )
    assert posted


@pytest.mark.parametrize(
    "headers",
    [
        lambda body: {},
        lambda body: slack_headers(body, secret="not-the-signing-secret"),
        lambda body: slack_headers(body, age=6 * 60),  # replayed: older than Slack's five minutes
        lambda body: slack_headers(body, age=-6 * 60),  # from the future
        lambda body: {**slack_headers(body), "X-Slack-Signature": "v0=" + "0" * 64},
    ],
    ids=["unsigned", "wrong-secret", "stale", "future", "forged-signature"],
)
def test_slack_unsigned_wrong_or_stale_requests_are_refused_and_not_processed(channels, headers):
    user, channel = ids()
    body = slack_event(user, channel, "hi")
    resp = post_slack(channels.url, body, headers(body))
    assert resp.status_code == 403
    time.sleep(1.5)
    assert channels.stub.calls_to("chat.postMessage", in_channel(channel)) == []


def test_slack_signature_covers_the_body(channels):
    user, channel = ids()
    signed = slack_event(user, channel, "hi")
    tampered = slack_event(user, channel, "something else entirely")
    assert post_slack(channels.url, tampered, slack_headers(signed)).status_code == 403


# ----------------------------------------------------------------------------- staff page


def staff(url: str, token: str | None = None, how: str = "header", **params: str) -> requests.Response:
    headers = {}
    if token is not None and how == "header":
        headers["Authorization"] = f"Bearer {token}"
    elif token is not None and how == "cookie":
        headers["Cookie"] = f"oih_staff={token}"
    elif token is not None:
        params["token"] = token
    return requests.get(f"{url}/staff", params=params, headers=headers, timeout=60)


def staff_login(url: str, token: str) -> requests.Response:
    return requests.post(f"{url}/staff/login", data={"token": token}, allow_redirects=False, timeout=60)


def session_cookie(resp: requests.Response) -> str:
    """The oih_staff value of a Set-Cookie header (requests keeps Secure cookies off plain http)."""
    header = resp.headers.get("Set-Cookie", "")
    return header.split("oih_staff=", 1)[1].split(";", 1)[0]


def test_staff_page_needs_the_token(channels):
    resp = staff(channels.url)
    assert resp.status_code == 401
    assert resp.headers.get("WWW-Authenticate", "").startswith("Bearer")
    assert 'action="/staff/login"' in resp.text and 'type="password"' in resp.text  # the sign-in form
    assert staff(channels.url, "wrong-token").status_code == 401
    assert TOPIC not in resp.text


def test_staff_token_in_the_url_is_refused_even_when_right(channels):
    resp = staff(channels.url, STAFF_TOKEN, how="query")
    assert resp.status_code == 400 and TOPIC not in resp.text


def test_staff_sign_in_sets_a_strict_session_cookie(channels):
    assert staff_login(channels.url, "wrong-token-" + "x" * 30).status_code == 401
    resp = staff_login(channels.url, STAFF_TOKEN)
    assert resp.status_code == 303 and resp.headers["Location"] == "/staff"
    cookie = resp.headers["Set-Cookie"]
    for attribute in ("Secure", "HttpOnly", "SameSite=Strict", "Path=/staff"):
        assert attribute.lower() in cookie.lower(), cookie
    assert STAFF_TOKEN not in cookie and STAFF_TOKEN not in resp.headers["Location"]
    page = staff(channels.url, session_cookie(resp), how="cookie", q="does it go away")
    assert page.status_code == 200 and 'id="topic-does_it_go_away"' in page.text
    assert STAFF_TOKEN not in page.text  # not echoed into the page or its search form
    value = session_cookie(resp)
    tampered = value[:-1] + ("1" if value.endswith("0") else "0")
    assert staff(channels.url, tampered, how="cookie").status_code == 401


@pytest.mark.parametrize("how", ["header"])
def test_staff_search_shows_the_best_topics_with_sources_and_review_date(channels, how):
    kb = cached_knowledge()
    resp = staff(channels.url, STAFF_TOKEN, how=how, q="does it go away")
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == "no-store"
    assert resp.headers["Referrer-Policy"] == "no-referrer"
    results = resp.text.split('<div id="results">', 1)[1].split('<h2 id="topics">', 1)[0]
    assert 'id="topic-does_it_go_away"' in results
    entry = kb.faq("does_it_go_away")
    assert entry.reviewed_date.isoformat() in results
    # No clinician has signed any answer off (knowledge/reviews.yml ships empty): every topic says so.
    from bot.signoff import content_hash

    assert "Not signed off" in results and content_hash(entry) in results
    assert 'id="signoff-summary">Clinical sign-off: <strong>0 of %d</strong>' % len(kb.faqs) in resp.text
    assert resp.text.count('class="signoff unsigned"') >= len(kb.faqs)
    assert kb.sources[entry.sources[0].source].title.replace("&", "&amp;") in results
    # every topic is on the page
    everything = resp.text.split('<h2 id="topics">', 1)[1]
    for topic in kb.faqs:
        assert f'id="topic-{topic}"' in everything


def test_staff_page_escapes_html_and_shows_unanswered_questions(channels):
    channels.var_dir.mkdir(parents=True, exist_ok=True)
    row = {"at": "2026-01-01T00:00:00+00:00", "question": "<script>alert(1)</script> can i swim", "guesses": []}
    with open(channels.var_dir / "unanswered.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps(row) + "\n")
    resp = staff(channels.url, STAFF_TOKEN, q='"><img src=x onerror=alert(1)>')
    assert resp.status_code == 200
    assert "<script>alert(1)" not in resp.text and "<img src=x" not in resp.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; can i swim" in resp.text
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in resp.text
    assert "script-src" not in resp.headers["Content-Security-Policy"]  # no script allowed at all


# ----------------------------------------------------------------------------- duplicates


def test_telegram_duplicate_update_is_processed_once(channels):
    chat_id = new_chat_id()
    update = telegram_update(chat_id, "is OIH the same as addiction?")
    for _ in range(3):
        assert post_telegram(channels.url, update, TELEGRAM_SECRET).status_code == 200
    channels.stub.wait_for("sendMessage", to_chat(chat_id))
    time.sleep(3)
    first_answers = [c for c in channels.stub.calls_to("sendMessage", to_chat(chat_id))
                     if str(c.params.get("text", "")).startswith(answer_start())]
    assert len(first_answers) == 1


def test_slack_replayed_or_retried_event_is_processed_once(channels):
    user, channel = ids()
    body = slack_event(user, channel, "is OIH the same as addiction?")
    headers = slack_headers(body)
    assert post_slack(channels.url, body, headers).status_code == 200
    assert post_slack(channels.url, body, headers).status_code == 200  # the same request again
    retry = {**slack_headers(body), "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert post_slack(channels.url, body, retry).status_code == 200
    channels.stub.wait_for("chat.postMessage", in_channel(channel))
    time.sleep(3)
    answers = [c for c in channels.stub.calls_to("chat.postMessage", in_channel(channel))
               if str(c.params.get("text", "")).startswith(answer_start())]
    assert len(answers) == 1


def test_slack_request_from_the_future_is_refused(channels):
    user, channel = ids()
    body = slack_event(user, channel, "hi")
    assert post_slack(channels.url, body, slack_headers(body, age=-120)).status_code == 403


def from_address(address: str) -> requests.Session:
    """A client whose connections come from ``address`` (another 127.x.y.z: another person)."""
    from requests_toolbelt.adapters.source import SourceAddressAdapter

    session = requests.Session()
    session.mount("https://", SourceAddressAdapter(address))
    return session


@pytest.mark.skipif(os.environ.get("OIH_TEST_PROFILE") != "prod", reason="nginx runs in the production profile")
def test_platforms_and_staff_through_the_nginx_front(channels, nginx_front_factory):
    """The clinic's nginx rendering in front of Telegram, Slack and the staff page."""
    port = int(channels.url.rsplit(":", 1)[1])
    with nginx_front_factory([port], with_rest=False) as front:
        verify = str(front.cert)
        chat_id = new_chat_id()
        update = telegram_update(chat_id, "is OIH the same as addiction?")
        assert requests.post(f"{front.url}/webhooks/telegram/webhook", json=update, verify=verify,
                             timeout=60).status_code == 403  # the channel's secret check, through nginx
        assert requests.post(f"{front.url}/webhooks/telegram/webhook", json=update, verify=verify, timeout=60,
                             headers={SECRET_HEADER: TELEGRAM_SECRET}).status_code == 200
        assert channels.stub.wait_for("sendMessage", to_chat(chat_id))
        user, channel = ids()
        body = slack_event(user, channel, "hi")
        resp = requests.post(f"{front.url}/webhooks/slack/webhook", data=body, verify=verify, timeout=60,
                             headers={**slack_headers(body), "Content-Type": "application/json"})
        assert resp.status_code == 200
        assert channels.stub.wait_for("chat.postMessage", in_channel(channel))
        # Someone at 127.0.0.2 fails the staff sign-in until locked out; a staff member at 127.0.0.3
        # still signs in. (Without SANIC_REAL_IP_HEADER both would be "nginx" to the page.)
        attacker, colleague = from_address("127.0.0.2"), from_address("127.0.0.3")
        codes = [attacker.post(f"{front.url}/staff/login", data={"token": f"wrong-{i}-" + "x" * 30}, verify=verify,
                               allow_redirects=False, timeout=60).status_code for i in range(5)]
        assert codes == [401] * 5, codes
        locked = attacker.post(f"{front.url}/staff/login", data={"token": STAFF_TOKEN}, verify=verify,
                               allow_redirects=False, timeout=60)
        assert locked.status_code == 429, locked.status_code
        signed_in = colleague.post(f"{front.url}/staff/login", data={"token": STAFF_TOKEN}, verify=verify,
                                   allow_redirects=False, timeout=60)
        assert signed_in.status_code == 303 and "oih_staff=" in signed_in.headers.get("Set-Cookie", "")
        assert colleague.get(f"{front.url}/staff", verify=verify, timeout=60).status_code == 200  # Secure cookie, HTTPS


# Last in this module: it locks 127.0.0.1 out of token sign-ins for the rest of the window.
def test_staff_failed_attempts_are_rate_limited(channels):
    session = session_cookie(staff_login(channels.url, STAFF_TOKEN))
    codes = [staff(channels.url, f"wrong-{i}-" + "x" * 30).status_code for i in range(8)]
    assert codes[0] == 401 and codes[-1] == 429, codes
    locked = staff(channels.url, STAFF_TOKEN)
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0  # even the right token
    assert staff_login(channels.url, STAFF_TOKEN).status_code == 429
    assert staff(channels.url, session, how="cookie").status_code == 200  # a signed-in session goes on
