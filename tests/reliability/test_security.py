"""The security review's attacks (../shared/reviews/security-review.md) against the default set-up.

One server set started exactly as ``make run`` starts it (bot/servers.py, credentials.yml,
endpoints.yml), with nothing opened: no OIH_API_TOKEN, no OIH_REST_TOKEN, no OIH_STAFF_TOKEN, no
OIH_ALLOWED_ORIGINS. (Only the interface is loopback, as for every test server, and the action
server's secret is fixed so that one test can show the size cap even for a caller who has it.)
Each attack must be refused (401/403/404/413) or harmless; the finding's id is in each test's name.
Staff-page and Telegram/Slack attacks need those channels configured: tests/conversation/test_channels.py.
"""
from __future__ import annotations

import re
import sqlite3
import time
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest
import requests

from bot import servers
from bot.training import model_path

ACTIONS_SECRET = "security-test-actions-secret-" + uuid.uuid4().hex
EVIL = "https://evil.example"
NAME = "Zed Test" + "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:8])
SURNAME = NAME.split()[1]
PHONE = "(212) 555-0188"


@dataclass
class Default:
    url: str
    actions_url: str
    action_port: int
    folder: Path
    running: servers.ServerSet

    def rest(self, sender: str, message: str, **kwargs: Any) -> requests.Response:
        return requests.post(f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": message},
                             timeout=120, **kwargs)

    def session(self) -> str:
        return requests.post(f"{self.url}/webchat/session", timeout=30).json()["sender"]

    def web(self, sender: str, message: str) -> requests.Response:
        return requests.post(f"{self.url}/webchat/webhook", json={"sender": sender, "message": message}, timeout=120)

    def stored_events(self, conversation: str) -> int:
        with sqlite3.connect(f"file:{self.folder / 'tracker.db'}?mode=ro", uri=True) as db:
            return db.execute("SELECT count(*) FROM events WHERE sender_id = ?", (conversation,)).fetchone()[0]

    def log(self) -> str:
        return (self.folder / "servers.log").read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def default(tmp_path_factory: pytest.TempPathFactory, pause_session_servers) -> Iterator[Default]:
    if not model_path().exists():
        pytest.fail("No trained model: run `make test` (it trains first) or `python -m bot train`.")
    folder = tmp_path_factory.mktemp("security-default")
    env = {
        "OIH_VAR_DIR": str(folder / "var"), "OIH_TRACKER_DB": str(folder / "tracker.db"),
        "OIH_REFERRALS_DB_URL": f"sqlite:///{folder / 'referrals.db'}", "OIH_ACTIONS_SECRET": ACTIONS_SECRET,
        # Whatever the developer's shell has: the default set-up opens nothing.
        "OIH_API_TOKEN": "", "OIH_REST_TOKEN": "", "OIH_STAFF_TOKEN": "", "OIH_ALLOWED_ORIGINS": "",
        "OIH_WEBCHAT_SECRET": "", "OIH_ACTIONS_INTERFACE": "",
    }
    rasa_port, action_port = servers.free_port(), servers.free_port()
    with pause_session_servers(), open(folder / "servers.log", "w") as log:
        try:
            running = servers.start(rasa_port=rasa_port, action_port=action_port, extra_env=env, log=log)
        except Exception as exc:
            log.flush()
            pytest.fail(f"servers did not start: {exc}\n{(folder / 'servers.log').read_text()[-4000:]}")
        try:
            yield Default(running.url, f"http://127.0.0.1:{action_port}", action_port, folder, running)
        finally:
            running.stop()


def texts(resp: requests.Response) -> str:
    return "\n".join(m.get("text") or "" for m in resp.json())


# ------------------------------------------------------------------ C1, C2: Rasa's HTTP API


API_ROUTES = [
    ("GET", "/status"), ("GET", "/version"), ("GET", "/domain"),
    ("GET", "/conversations/rest:victim/tracker"), ("GET", "/conversations/rest:victim/story"),
    ("POST", "/conversations/rest:victim/tracker/events"), ("PUT", "/conversations/rest:victim/tracker/events"),
    ("POST", "/conversations/rest:victim/execute"), ("POST", "/conversations/rest:victim/trigger_intent"),
    ("POST", "/conversations/rest:victim/messages"), ("POST", "/conversations/rest:victim/predict"),
    ("PUT", "/model"), ("DELETE", "/model"), ("POST", "/model/train"), ("POST", "/model/parse"),
    ("POST", "/model/test/intents"), ("POST", "/model/predict"),
]


@pytest.mark.parametrize("method,path", API_ROUTES, ids=[f"{m} {p}" for m, p in API_ROUTES])
def test_C1_C2_the_http_api_does_not_exist(default, method, path):
    body = {"event": "bot", "text": "call 1-900-555-0000 for a refill", "name": "greet",
            "model_file": "models/oih.tar.gz", "text_": "x"}
    resp = requests.request(method, f"{default.url}{path}", json=body, params={"output_channel": "latest"},
                            headers={"Origin": EVIL}, timeout=30)
    assert resp.status_code == 404, (resp.status_code, resp.text[:200])
    assert "Access-Control-Allow-Origin" not in resp.headers


def test_C1_the_model_is_still_loaded_and_crisis_is_answered(default):
    reply = texts(default.rest("secrev-crisis", "I took too many pills and my husband will not wake up"))
    assert "911" in reply


def test_C1_rasa_loads_the_model_file_by_name(default):
    cmdlines = [Path(f"/proc/{p.pid}/cmdline").read_bytes().split(b"\0") for p in default.running.processes]
    rasa = next(c for c in cmdlines if b"--model" in c and b"actions" not in c)
    assert rasa[rasa.index(b"--model") + 1] == b"models/oih.tar.gz"
    assert b"--enable-api" not in rasa and b"--cors" not in rasa


# ------------------------------------------------------------------ H1: forged senders


def test_H1_a_client_chosen_webchat_id_is_refused(default):
    for sender in ("123456789", "U0123ABCD", "web-" + "0" * 32, "secrev-victim-1"):
        resp = default.web(sender, "please delete my data")
        assert resp.status_code == 403, sender
    issued = default.session()
    forged = issued[:-1] + ("0" if issued[-1] != "0" else "1")
    assert default.web(forged, "hi").status_code == 403


def test_H1_rest_cannot_act_as_a_webchat_patient(default):
    patient = default.session()
    assert "phone number or email" in texts(default.web(patient, "/request_callback"))
    default.web(patient, "yes")
    default.web(patient, f"my name is {NAME}")
    default.web(patient, PHONE)
    assert "Shall I send this?" in texts(default.web(patient, "weekday mornings"))

    # The attacker knows the patient's id and uses REST (no credentials needed on loopback).
    seen = texts(default.rest(patient, "is oih the same as addiction?")) + texts(default.rest(patient, "yes"))
    assert SURNAME not in seen and "request number" not in seen
    default.rest(patient, "please delete my data")
    default.rest(patient, "yes")
    assert default.stored_events(f"webchat:{patient}") > 0  # the patient's conversation is untouched
    assert "request number" in texts(default.web(patient, "yes"))  # and goes on where it was


def test_H1_rest_is_refused_when_relayed_by_a_proxy(default):
    for header in ({"X-Forwarded-For": "203.0.113.7"}, {"Forwarded": "for=203.0.113.7"}, {"X-Real-IP": "203.0.113.7"}):
        resp = default.rest("secrev-proxy", "hi", headers=header)
        assert resp.status_code == 401, header


# ------------------------------------------------------------------ H2: the action server


def forged_call(action: str, sender: str, **slots: Any) -> dict[str, Any]:
    return {"next_action": action, "sender_id": sender, "version": "3.6.21", "domain": {},
            "tracker": {"sender_id": sender, "slots": slots, "latest_message": {"intent": {"name": "affirm"}},
                        "events": [], "paused": False, "followup_action": None, "active_loop": {},
                        "latest_action_name": "action_listen"}}


def test_H2_action_server_listens_on_loopback_only(default):
    port = f":{default.action_port:04X}"
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[1].endswith(port) and fields[3] == "0A":  # LISTEN
                listening.append(fields[1].split(":")[0])
    assert listening and all(addr in ("0100007F", "00000000000000000000000001000000") for addr in listening), listening


@pytest.mark.parametrize("call", [
    forged_call("action_forget_me", "rest:victim"),
    forged_call("action_callback_submit", "rest:victim", callback_name='=HYPERLINK("http://evil.example","Jane")',
                callback_contact="+12025550143", callback_time="call 50 times a day", callback_consent=True),
], ids=["forget", "submit"])
def test_H2_forged_action_calls_are_refused(default, call):
    resp = requests.post(f"{default.actions_url}/webhook", json=call, timeout=30)
    assert resp.status_code == 403
    assert requests.post(f"{default.actions_url}/webhook", json=call, timeout=30,
                         headers={"X-OIH-Actions-Secret": "wrong-" + ACTIONS_SECRET}).status_code == 403
    assert requests.get(f"{default.actions_url}/actions", timeout=30).status_code == 403
    path = default.folder / "referrals.db"  # sqlite3.connect would create it (with our umask)
    if path.exists():
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            names = [r[0] for r in db.execute("SELECT name FROM callback_requests")]
        assert not any("HYPERLINK" in n for n in names)


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


def test_H2_deflate_bomb_is_refused_without_inflating_it(default):
    bomb = zlib.compress(b"{" + b" " * (300 * 1024 * 1024) + b"}", 9)  # 300 MB inflated
    actions_pid = default.running.processes[0].pid
    before = rss_mb(actions_pid)
    for headers in ({}, {"X-OIH-Actions-Secret": ACTIONS_SECRET}):  # even for a caller with the secret
        resp = requests.post(f"{default.actions_url}/webhook", data=bomb, timeout=60,
                             headers={**headers, "Content-Encoding": "deflate", "Content-Type": "application/json"})
        assert resp.status_code in (403, 413), resp.status_code
    assert rss_mb(actions_pid) - before < 100, (before, rss_mb(actions_pid))  # the review: +600 MB


def test_H2_L3_bad_bodies_get_a_4xx_without_echo(default):
    headers = {"X-OIH-Actions-Secret": ACTIONS_SECRET}
    for body in (b"[1, 2]", b"{not json", b'{"next_action": "action_forget_me"}'):
        resp = requests.post(f"{default.actions_url}/webhook", data=body, headers=headers, timeout=30)
        assert resp.status_code == 400 and "request_body" not in resp.text, (body, resp.text[:200])
    big = requests.post(f"{default.actions_url}/webhook", data=b"x" * (8 * 1024 * 1024), headers=headers, timeout=60)
    assert big.status_code == 413


# ------------------------------------------------------------------ H3, M6: sizes


def test_H3_punctuation_runs_are_answered_quickly(default):
    started = time.monotonic()
    assert default.rest("secrev-punct", "$" * 1000).status_code == 200
    assert default.web(default.session(), "(" * 1000).status_code == 200
    assert default.rest("secrev-punct", "$" * 5000).status_code == 413  # over the 1,000-character cap
    assert time.monotonic() - started < 20


def test_M6_big_bodies_are_refused_before_they_are_stored(default):
    metadata = {"x": "y" * (8 * 1024 * 1024)}
    resp = requests.post(f"{default.url}/webhooks/rest/webhook", timeout=120,
                         json={"sender": "secrev-meta", "message": "hi", "metadata": metadata})
    assert resp.status_code == 413
    started = time.monotonic()
    resp = requests.post(f"{default.url}/webhooks/rest/webhook", data=b"x" * (99 * 1024 * 1024), timeout=120)
    assert resp.status_code == 413 and time.monotonic() - started < 30
    assert default.stored_events("rest:secrev-meta") == 0


# ------------------------------------------------------------------ M1: CORS


@pytest.mark.parametrize("method,path", [("POST", "/webchat/webhook"), ("POST", "/webchat/session"),
                                         ("POST", "/webchat/forget"),
                                         ("GET", "/webchat/config.json"), ("GET", "/staff"),
                                         ("POST", "/webhooks/rest/webhook"), ("GET", "/")])
def test_M1_no_cors_for_other_origins(default, method, path):
    resp = requests.request(method, f"{default.url}{path}", headers={"Origin": EVIL}, timeout=60,
                            json={"sender": "x", "message": "hi"} if method == "POST" else None)
    assert "Access-Control-Allow-Origin" not in resp.headers
    assert "Access-Control-Allow-Credentials" not in resp.headers
    preflight = requests.options(f"{default.url}{path}", timeout=30, headers={
        "Origin": EVIL, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
    assert "Access-Control-Allow-Origin" not in preflight.headers


# ------------------------------------------------------------------ M2, M3, M4, L1, L3


def test_M2_slash_messages_do_not_reach_the_log(default):
    secret = "Qwerty" + uuid.uuid4().hex[:6]
    for text in (f"/ my name is {secret}, call me at 555-0199", f"/callme{{{secret} 555-0199}}",
                 f'/request_callback{{"name":"{secret}","phone":"555-0199"}}'):
        assert default.rest("secrev-slash", text).status_code == 200
    assert default.web(default.session(), f"/ i am {secret} 555-0199").status_code == 200
    time.sleep(1)
    assert secret not in default.log()


def test_M3_unanswered_report_keeps_no_name_or_place(default):
    default.rest("secrev-m3", "my name is Zed Qwertyson and I live at 12 Elm Street, what is the weather tomorrow")
    default.rest("secrev-m3", "Zed Qwertyson here from Riverside, my probation officer wants my records")
    report = default.folder / "var" / "unanswered.jsonl"
    text = report.read_text(encoding="utf-8") if report.exists() else ""
    for secret in ("Qwertyson", "Elm", "Riverside", "secrev-m3"):
        assert secret not in text


def test_M4_files_are_private(default):
    import os
    import stat

    var = default.folder / "var"
    assert stat.S_IMODE(os.stat(var).st_mode) == 0o700
    for path in [*var.iterdir(), default.folder / "tracker.db", default.folder / "referrals.db"]:
        if path.is_file():
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path.name


def test_L1_staff_page_is_off_without_a_token(default):
    assert requests.get(f"{default.url}/staff", params={"token": "anything"}, timeout=30).status_code == 503


def test_L3_lone_surrogate_in_webchat_is_answered(default):
    body = b'{"sender": "%s", "message": "hi \\ud800 what is oih"}' % default.session().encode()
    resp = requests.post(f"{default.url}/webchat/webhook", data=body, timeout=60,
                         headers={"Content-Type": "application/json"})
    assert resp.status_code == 200 and resp.json()


def test_servers_survived_every_attack(default):
    assert all(p.poll() is None for p in default.running.processes)
    assert default.rest("secrev-after", "hi").status_code == 200
