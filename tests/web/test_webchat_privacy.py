"""Privacy of the web chat on shared or watched devices (issue 12, point 5), in real Chromium at
phone width against the real servers: Quick exit, New chat, expired and refused transcripts, no
global conversation id, and the server route that deletes a conversation (only with its signed id).

What is deleted on the server is checked in the stores themselves: the tracker store's ``events``
table, the callback requests and the unanswered-questions report of the session's servers.
"""
from __future__ import annotations

import json
import re
from typing import Any

import requests
import sqlalchemy as sa
from playwright.sync_api import expect

from bot import referrals, unanswered
from tests.web.conftest import PHONE
from tests.web.test_webchat import (
    LAUNCHER,
    QUESTION,
    TOPIC,
    answer_start,
    ask,
    open_chat,
    shadow_eval,
    storage_key,
    stored_sender,
    wait_idle,
)

EXIT = re.compile(r"^Quick exit")
NEUTRAL = "https://www.google.com/"  # the widget's default exit page (web/widget.js EXIT_URL)
NEUTRAL_PAGE = "<!doctype html><html lang='en'><title>Weather</title><h1>Weather</h1></html>"
SPANISH_CRISIS = "mi esposo no despierta y casi no respira, toma oxicodona"  # as tests/conversation


# ----------------------------------------------------------------------------- the stores


def stored_events(chat: Any, sender: str) -> int:
    """Events of this web chat conversation in the tracker store's database."""
    engine = sa.create_engine(chat.tracker_db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT count(*) FROM events WHERE sender_id = :s"),
                                    {"s": f"webchat:{sender}"}).scalar() or 0)
    finally:
        engine.dispose()


def seed_person_data(chat: Any, sender: str, name: str) -> None:
    """A callback request and an unanswered question of this conversation, as the actions save them."""
    referrals.add_request(name, "212-555-0199", sender_id=f"webchat:{sender}", db_url=chat.referrals_url)
    unanswered.record(f"question of {name}", [], var_dir=chat.var_dir, sender_id=f"webchat:{sender}")


def person_data(chat: Any, sender: str) -> tuple[int, int]:
    """(callback requests, unanswered-question entries) of this conversation."""
    digest = referrals.sender_hash(f"webchat:{sender}")
    engine = sa.create_engine(chat.referrals_url)
    try:
        with engine.connect() as conn:
            requests_left = int(conn.execute(
                sa.text("SELECT count(*) FROM callback_requests WHERE sender_hash = :h"), {"h": digest}).scalar() or 0)
    finally:
        engine.dispose()
    return requests_left, sum(1 for r in unanswered.read_all(chat.var_dir) if r.get("sender") == digest)


def wait_for(page: Any, condition: Any, what: str, seconds: float = 30) -> None:
    """Poll ``condition`` while Playwright keeps dispatching (route handlers run meanwhile)."""
    for _ in range(int(seconds * 10)):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out waiting for {what}")


def widget_storage(page: Any) -> list[str]:
    """The widget's entries in localStorage and sessionStorage."""
    return page.evaluate("""() => [localStorage, sessionStorage].flatMap(
        (s) => Object.keys(s).filter((k) => k.startsWith('oih-webchat')))""")


def talk(page: Any, site: str) -> None:
    open_chat(page, site)
    ask(page, QUESTION)
    expect(page.locator(".oihc-bot .oihc-text", has_text=answer_start(TOPIC))).to_be_visible()
    wait_idle(page)


# ----------------------------------------------------------------------------- Quick exit


def test_quick_exit_by_keyboard_while_a_reply_is_pending(phone, site, chat, axe, artifacts):
    page = phone
    talk(page, site)
    sender = stored_sender(page, chat)
    seed_person_data(chat, sender, "Quinn Exitcase")
    other = requests.post(chat.url + "/webchat/session", timeout=30).json()["sender"]
    seed_person_data(chat, other, "Olive Othercase")  # someone else's: must stay
    assert stored_events(chat, sender) > 0 and person_data(chat, sender) == (1, 1)
    exit_button = page.get_by_role("button", name=EXIT)
    expect(exit_button).to_be_visible()
    expect(exit_button).to_have_text("Quick exit")
    assert axe(page) == [], "phone width, Quick exit shown"
    box = exit_button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] and box["height"] >= 44
    page.screenshot(path=str(artifacts / "webchat-quick-exit-phone.png"))
    # A reply that never comes (the request is held); as the page is being left, it reports what
    # is still on it (through a function this test adds; the widget itself has no test hook).
    held: list[Any] = []
    page.route("**/webchat/webhook", lambda route: held.append(route))
    snapshots: list[Any] = []
    page.expose_function("reportLeavingPage", lambda data: snapshots.append(data))
    page.route(NEUTRAL + "**", lambda route: route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE))
    page.evaluate("""(id) => window.addEventListener('beforeunload', () => {
        const root = document.getElementById('oih-webchat').shadowRoot;
        window.reportLeavingPage(JSON.stringify({
            messages: root.querySelectorAll('.oihc-msg').length,
            panelHidden: root.getElementById('oihc-panel').hidden,
            storage: [localStorage, sessionStorage].flatMap((s) => Object.keys(s).filter((k) => k.startsWith('oih-webchat'))),
            idOnPage: document.documentElement.outerHTML.includes(id) || root.innerHTML.includes(id)}));
    })""", sender)
    ask(page, "thanks")
    expect(page.locator(".oihc-typing")).not_to_have_text("")  # the reply is pending
    wait_for(page, lambda: held, "the held message")
    for _ in range(60):  # keyboard only: back from the input to the Quick exit button
        page.keyboard.press("Shift+Tab")
        if shadow_eval(page, "return (root.activeElement || {}).className || ''").endswith("oihc-exit"):
            break
    assert shadow_eval(page, "return root.activeElement.textContent") == "Quick exit"
    page.keyboard.press("Enter")
    page.wait_for_url(NEUTRAL + "**")
    expect(page).to_have_title("Weather")
    wait_for(page, lambda: snapshots, "the page's last report")
    # When the page was left, nothing of the chat was on it or in the device's storage.
    assert json.loads(snapshots[0]) == {"messages": 0, "panelHidden": True, "storage": [], "idOnPage": False}
    check = page.context.new_page()  # the same browser, the chat's site again: nothing stored
    check.goto(chat.url + "/webchat/health")
    assert widget_storage(check) == []
    check.close()
    # The server deleted the conversation, its callback request and its unanswered question...
    wait_for(page, lambda: stored_events(chat, sender) == 0, "the conversation to be deleted")
    assert person_data(chat, sender) == (0, 0)
    # ...and nobody else's.
    assert person_data(chat, other) == (1, 1)
    # location.replace: "back" does not return to the chat page.
    page.go_back()
    assert not page.url.startswith(site)


def test_quick_exit_leaves_even_when_the_server_cannot_be_reached(phone, site, chat):
    page = phone
    talk(page, site)
    sender = stored_sender(page, chat)
    page.route("**/webchat/forget", lambda route: route.abort("connectionrefused"))
    page.route(NEUTRAL + "**", lambda route: route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE))
    page.get_by_role("button", name=EXIT).tap()
    page.wait_for_url(NEUTRAL + "**")
    page.goto(site)  # the same device comes back: no trace of the chat
    page.get_by_role("button", name=LAUNCHER).wait_for()
    assert widget_storage(page) == []
    page.get_by_role("button", name=LAUNCHER).click()
    wait_idle(page)
    expect(page.locator(".oihc-user")).to_have_count(0)
    assert stored_sender(page, chat) != sender
    assert stored_events(chat, sender) > 0  # the server really was not reached (retention removes it)


def serve_html(html: str) -> Any:
    """A route handler that answers with this page."""
    return lambda route: route.fulfill(status=200, content_type="text/html", body=html)


def _recorder(seen: list[str]) -> Any:
    """A route handler that notes each address it is asked for and answers "ok"."""

    def handle(route: Any) -> None:
        seen.append(route.request.url)
        route.fulfill(status=200, body="ok")

    return handle


def test_the_exit_page_can_be_set_by_the_clinic_but_only_to_a_web_address(context, chat, tmp_path):
    page = context.new_page()
    for given, expected in (("https://weather.example/today", "https://weather.example/today"),
                            ("javascript:alert(1)", NEUTRAL)):
        html = (f'<!doctype html><html lang="en"><title>t</title><body><script src="{chat.url}/webchat/widget.js" '
                f'data-exit-url="{given}"></script></body></html>')
        page.route(chat.url + "/exit-test.html", serve_html(html))
        seen: list[str] = []
        page.route(re.compile(r"^https://(weather\.example|www\.google\.com)/.*"), _recorder(seen))
        page.goto(chat.url + "/exit-test.html")
        page.evaluate("() => window.OIHWebchat.quickExit()")
        wait_for(page, lambda seen=seen: seen, "the exit page")
        assert seen[0] == expected
        page.unroute_all()


# ----------------------------------------------------------------------------- New chat


def test_new_chat_asks_first_then_deletes_the_server_copy(phone, site, chat, axe):
    page = phone
    talk(page, site)
    sender = stored_sender(page, chat)
    seed_person_data(chat, sender, "Nora Newchat")
    page.get_by_role("button", name="Start a new chat and forget this one").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("deleted from this device and from the assistant")
    expect(page.get_by_role("button", name="No, keep it")).to_be_focused()  # the safe answer first
    assert axe(page) == [], "confirmation open"
    page.keyboard.press("Enter")  # No: nothing changes
    expect(dialog).to_be_hidden()
    assert stored_sender(page, chat) == sender and stored_events(chat, sender) > 0
    expect(page.locator(".oihc-user")).to_have_count(1)
    page.get_by_role("button", name="Start a new chat and forget this one").click()
    page.get_by_role("button", name="Yes, delete it").click()
    expect(page.locator(".oihc-user")).to_have_count(0)
    expect(page.locator(".oihc-bot").first).to_be_visible()  # the new chat's greeting
    wait_idle(page)
    assert stored_sender(page, chat) not in (None, sender)
    assert stored_events(chat, sender) == 0
    assert person_data(chat, sender) == (0, 0)
    assert QUESTION not in json.dumps(page.evaluate("(k) => localStorage.getItem(k)", storage_key(chat)))
    page.reload()
    expect(page.locator(".oihc-user")).to_have_count(0)


# ----------------------------------------------------------------------------- expiry


def test_an_expired_transcript_is_removed_from_storage_on_load(phone, site, chat):
    page = phone
    talk(page, site)
    page.get_by_role("button", name="Close chat").click()
    page.evaluate("(key) => { const s = JSON.parse(localStorage.getItem(key)); s.updated = Date.now() - 61 * 60000;"
                  " localStorage.setItem(key, JSON.stringify(s)); }", storage_key(chat))
    page.reload()
    page.get_by_role("button", name=LAUNCHER).wait_for()
    assert widget_storage(page) == []  # gone at once, before anyone touches the chat
    assert page.locator(".oihc-msg").count() == 0


def test_an_open_page_left_idle_past_the_session_drops_its_transcript(phone, site, chat):
    page = phone
    page.clock.install()
    talk(page, site)
    page.clock.fast_forward("01:01:00")  # an hour and a minute on a shared computer
    expect(page.locator(".oihc-user")).to_have_count(0)
    wait_idle(page)
    stored = page.evaluate("(k) => localStorage.getItem(k) || ''", storage_key(chat))
    assert QUESTION not in stored and answer_start(TOPIC) not in stored


def test_a_refused_id_takes_its_transcript_with_it(phone, site, chat):
    page = phone
    talk(page, site)
    stale = "wc-" + "0" * 32 + "-" + "0" * 24  # as if the server's signing key had changed
    page.evaluate("([key, stale]) => { const s = JSON.parse(localStorage.getItem(key)); s.sender = stale;"
                  " localStorage.setItem(key, JSON.stringify(s)); }", [storage_key(chat), stale])
    page.reload()
    ask(page, "thanks")
    expect(page.locator(".oihc-bot .oihc-text", has_text="earlier chat had ended")).to_be_visible()
    wait_idle(page)
    expect(page.locator(".oihc-user")).to_have_count(1)  # only the new message
    expect(page.locator(".oihc-bot .oihc-text", has_text=answer_start(TOPIC))).to_have_count(0)
    stored = page.evaluate("(k) => localStorage.getItem(k)", storage_key(chat))
    assert QUESTION not in stored and stale not in stored


# ----------------------------------------------------------------------------- no global id


def test_no_global_exposes_the_conversation_id(phone, site, chat):
    page = phone
    talk(page, site)
    sender = stored_sender(page, chat)
    assert re.fullmatch(r"wc-[0-9a-f]{32}-[0-9a-f]{24}", sender)
    hits = page.evaluate("""(id) => {
        const hits = [];
        for (const name of Object.getOwnPropertyNames(window)) {
            if (name === 'localStorage' || name === 'sessionStorage') continue;  // storage, not globals
            let text = '';
            try { const v = window[name]; text = typeof v === 'string' ? v : JSON.stringify(v) || ''; }
            catch (e) { continue; }  // circular or unreadable: not a plain value
            if (text.includes(id)) hits.push(name);
        }
        return hits;
    }""", sender)
    assert page.evaluate("() => Object.keys(window.OIHWebchat).sort()") == ["close", "open", "quickExit"]
    assert page.evaluate("() => typeof window.OIHWebchat.senderId") == "undefined"
    assert hits == []


# ----------------------------------------------------------------------------- Spanish banner


def test_a_spanish_crisis_reply_gets_a_spanish_banner(phone, site, chat, axe):
    page = phone
    open_chat(page, site)
    ask(page, SPANISH_CRISIS)
    box = page.locator(".oihc-emergency-box")
    expect(box).to_be_visible()
    expect(page.get_by_role("heading", name="Ayuda de emergencia")).to_be_visible()
    assert box.get_attribute("lang") == "es"
    links = page.locator(".oihc-emergency .oihc-emergency-link").all_inner_texts()
    assert links and all(re.match(r"^(Llamar al|Mensaje al) ", t.replace("\n", " ")) for t in links), links
    joined = " ".join(links)
    assert "Emergencias" in joined and "Control de Envenenamientos" in joined and "marque 2" in joined
    expect(page.get_by_role("button", name="Cerrar la ayuda de emergencia")).to_be_visible()
    assert page.locator(".oihc-crisis").first.get_attribute("lang") == "es"  # read out in Spanish
    wait_idle(page)
    violations = axe(page)
    assert violations == [], json.dumps(violations, indent=2)
    page.reload()  # the banner keeps its language across a reload
    expect(page.get_by_role("heading", name="Ayuda de emergencia")).to_be_visible()


# ----------------------------------------------------------------------------- the server route


def issued(chat: Any) -> str:
    return requests.post(chat.url + "/webchat/session", timeout=30).json()["sender"]


def test_the_delete_route_needs_the_conversations_own_signed_id(chat):
    victim = issued(chat)
    replies = requests.post(chat.url + "/webchat/webhook", json={"sender": victim, "message": QUESTION}, timeout=60)
    assert replies.status_code == 200
    seed_person_data(chat, victim, "Vera Victimcase")
    before = stored_events(chat, victim)
    assert before > 0
    random_hex, signature = victim[3:35], victim[36:]
    attacker = issued(chat)
    forged = [
        f"wc-{random_hex}-{'0' * 24}",                       # the victim's id, signature guessed
        f"wc-{random_hex}-{attacker[36:]}",                  # the victim's id, another id's signature
        f"wc-{random_hex}-{signature[:-1]}{'0' if signature[-1] != '0' else '1'}",
        f"webchat:{victim}", victim.upper(), victim + " ", random_hex, "", None, 12,
    ]
    for sender in forged:
        resp = requests.post(chat.url + "/webchat/forget", json={"sender": sender}, timeout=30)
        assert resp.status_code == 403, (sender, resp.status_code)
    for body in (b"not json", b"[1, 2]", b""):
        resp = requests.post(chat.url + "/webchat/forget", data=body, timeout=30,
                             headers={"Content-Type": "application/json"})
        assert resp.status_code == 403, body
    assert stored_events(chat, victim) == before and person_data(chat, victim) == (1, 1)
    # The attacker's own valid id deletes the attacker's conversation only.
    assert requests.post(chat.url + "/webchat/forget", json={"sender": attacker}, timeout=30).json() == {"deleted": True}
    assert stored_events(chat, victim) == before and person_data(chat, victim) == (1, 1)
    # The owner can; and again (nothing left) is fine.
    for _ in range(2):
        resp = requests.post(chat.url + "/webchat/forget", json={"sender": victim}, timeout=30)
        assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    assert stored_events(chat, victim) == 0 and person_data(chat, victim) == (0, 0)
    # The same id goes on as a new, empty conversation.
    again = requests.post(chat.url + "/webchat/webhook", json={"sender": victim, "message": "hello"}, timeout=60)
    assert again.status_code == 200
    users = [e for e in chat.tracker(victim, "webchat")["events"] if e["event"] == "user"]
    assert [u["text"] for u in users] == ["hello"]


def test_the_delete_route_answers_cors_only_for_listed_origins(chat, allowed_origin_port):
    allowed = f"http://127.0.0.1:{allowed_origin_port}"
    for origin, status in ((allowed, 204), ("https://evil.example", 403)):
        resp = requests.options(chat.url + "/webchat/forget", timeout=30, headers={
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})
        assert resp.status_code == status, origin
        assert (resp.headers.get("Access-Control-Allow-Origin") == allowed) is (status == 204)
        assert "Access-Control-Allow-Credentials" not in resp.headers
