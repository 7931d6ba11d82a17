"""The web chat in real Chromium against the real servers: answers, buttons, history, a11y, XSS."""
from __future__ import annotations

import json
import re
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

import pytest
from playwright.sync_api import expect

from bot.knowledge import cached_knowledge
from tests.web.conftest import PHONE

LAUNCHER = "Questions about pain medicine? Chat"
QUESTION = "is OIH the same as addiction?"
TOPIC = "oih_vs_addiction"
XSS = "<img src=x onerror=alert(1)>"


def answer_start(topic: str) -> str:
    return cached_knowledge().faq(topic).answer[:40]


def topic_titled(title: str) -> str:
    return next(e.id for e in cached_knowledge().faqs.values() if e.title == title)


def open_chat(page: Any, site: str) -> None:
    page.goto(site)
    page.get_by_role("button", name=LAUNCHER).click()
    expect(page.locator("#oihc-input")).to_be_focused()
    expect(page.locator(".oihc-bot").first).to_be_visible()  # the greeting
    wait_idle(page)


def wait_idle(page: Any) -> None:
    """Until the typing indicator is gone (every request answered)."""
    expect(page.locator(".oihc-typing")).to_have_text("")


def ask(page: Any, text: str) -> None:
    page.locator("#oihc-input").fill(text)
    page.locator("#oihc-input").press("Enter")
    expect(page.locator(".oihc-user .oihc-text").last).to_contain_text(text)


def storage_key(chat: Any) -> str:
    """The widget's localStorage entry for this bot (web/widget.js STORAGE_KEY)."""
    return "oih-webchat:v1:" + chat.url


def stored_sender(page: Any, chat: Any) -> str | None:
    """The conversation id as the widget stored it (no global exposes it: web/widget.js)."""
    return page.evaluate("(key) => (JSON.parse(localStorage.getItem(key) || 'null') || {}).sender || null",
                         storage_key(chat))


def shadow_eval(page: Any, body: str) -> Any:
    """Evaluate ``body`` with ``root`` bound to the widget's shadow root."""
    return page.evaluate(f"() => {{ const root = document.getElementById('oih-webchat').shadowRoot; {body} }}")


def active_in_widget(page: Any) -> dict[str, Any]:
    return shadow_eval(page, """
        const el = root.activeElement;
        if (!el) return {};
        const style = getComputedStyle(el);
        return {id: el.id, cls: el.className, text: el.textContent, outline: style.outlineStyle,
                outlineWidth: parseFloat(style.outlineWidth)};""")


def test_demo_page_answers_a_question_and_a_related_question(page, site, artifacts):
    open_chat(page, site)
    ask(page, QUESTION)
    expect(page.locator(".oihc-bot .oihc-text", has_text=answer_start(TOPIC))).to_be_visible()
    related = page.locator(".oihc-bot", has_text="Related questions").last.locator(".oihc-quick")
    expect(related.first).to_be_visible()
    title = related.first.inner_text()
    related.first.click()
    expect(page.locator(".oihc-user .oihc-text").last).to_have_text("You said: " + title)
    expect(page.locator(".oihc-bot .oihc-text", has_text=answer_start(topic_titled(title)))).to_be_visible()
    wait_idle(page)
    page.screenshot(path=str(artifacts / "webchat-desktop.png"), full_page=False)


def test_conversation_survives_a_reload(page, site, chat):
    open_chat(page, site)
    ask(page, QUESTION)
    expect(page.locator(".oihc-bot .oihc-text", has_text=answer_start(TOPIC))).to_be_visible()
    wait_idle(page)
    before = page.locator(".oihc-msg").all_inner_texts()
    sender = stored_sender(page, chat)
    page.reload()
    expect(page.locator("#oihc-panel")).to_be_visible()  # still open
    expect(page.locator(".oihc-msg")).to_have_count(len(before))
    assert page.locator(".oihc-msg").all_inner_texts() == before
    assert stored_sender(page, chat) == sender
    # ...and the server-side conversation goes on under the same sender id.
    ask(page, "thanks")
    wait_idle(page)
    users = [e.get("text") for e in chat.tracker(sender, "webchat")["events"] if e["event"] == "user"]
    assert users[-2:] == [QUESTION, "thanks"]
    assert "webchat" == chat.tracker(sender, "webchat")["latest_input_channel"]


def test_the_conversation_id_comes_from_the_server_and_a_refused_one_is_replaced(page, site, chat):
    open_chat(page, site)
    ask(page, QUESTION)
    expect(page.locator(".oihc-bot .oihc-text", has_text=answer_start(TOPIC))).to_be_visible()
    wait_idle(page)
    sender = stored_sender(page, chat)
    assert re.fullmatch(r"wc-[0-9a-f]{32}-[0-9a-f]{24}", sender)  # issued by POST /webchat/session
    # As if the server's signing key had changed: the stored id is no longer accepted (403).
    key = "oih-webchat:v1:" + chat.url
    stale = "wc-" + "0" * 32 + "-" + "0" * 24
    page.evaluate("([key, stale]) => { const s = JSON.parse(localStorage.getItem(key)); s.sender = stale;"
                  " localStorage.setItem(key, JSON.stringify(s)); }", [key, stale])
    page.reload()
    expect(page.locator("#oihc-panel")).to_be_visible()
    ask(page, QUESTION)
    wait_idle(page)
    # Answered under a new id; the refused conversation's transcript is gone
    # (tests/web/test_webchat_privacy.py checks that in detail).
    expect(page.locator(".oihc-bot .oihc-text", has_text=answer_start(TOPIC))).to_have_count(1)
    expect(page.locator(".oihc-bot .oihc-text", has_text="can't reach the assistant")).to_have_count(0)
    assert stored_sender(page, chat) not in (stale, sender)


def test_axe_finds_no_wcag_22_aa_violations(page, site, axe):
    page.goto(site)
    page.get_by_role("button", name=LAUNCHER).wait_for()
    assert axe(page) == [], "closed widget"
    page.get_by_role("button", name=LAUNCHER).click()
    wait_idle(page)
    ask(page, QUESTION)
    expect(page.locator(".oihc-bot", has_text="Related questions")).to_be_visible()
    wait_idle(page)
    violations = axe(page)
    assert violations == [], json.dumps(violations, indent=2)
    page.set_viewport_size(PHONE)
    violations = axe(page)
    assert violations == [], "phone width: " + json.dumps(violations, indent=2)


def test_no_html_from_user_or_bot_is_ever_rendered(page, site, chat):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_chat(page, site)
    ask(page, XSS)
    wait_idle(page)
    expect(page.locator(".oihc-user .oihc-text").last).to_have_text("You said: " + XSS)
    # A hostile history (as if the bot or storage had sent markup) is shown as text too.
    key = "oih-webchat:v1:" + chat.url
    stored = page.evaluate("(key) => JSON.parse(localStorage.getItem(key))", key)
    stored["messages"].append({
        "from": "bot",
        "text": XSS + ' <script>window.pwned=1</script> javascript:alert(1) https://example.org/a"onmouseover=alert(1)',
        "buttons": [{"title": "<b>bold</b><img src=x onerror=alert(2)>", "payload": "/greet"}],
    })
    page.evaluate("([key, value]) => localStorage.setItem(key, JSON.stringify(value))", [key, stored])
    page.reload()
    expect(page.locator(".oihc-quick", has_text="<b>bold</b>")).to_be_visible()
    counts = shadow_eval(page, """
        const q = (s) => document.querySelectorAll(s).length + root.querySelectorAll(s).length;
        return {img: q('img'), script: q('script:not([src])'), b: q('b'),
                hrefs: Array.from(root.querySelectorAll('a')).map(a => a.getAttribute('href'))};""")
    assert counts["img"] == 0 and counts["b"] == 0 and counts["script"] == 0
    assert all(re.match(r"^(https?:|tel:|mailto:)", h) for h in counts["hrefs"]), counts["hrefs"]
    assert "https://example.org/a" in counts["hrefs"]
    assert page.evaluate("() => window.pwned") is None
    page.wait_for_timeout(500)
    assert dialogs == []


def test_phone_width(phone, site, artifacts):
    page = phone
    open_chat(page, site)
    ask(page, QUESTION)
    expect(page.locator(".oihc-bot .oihc-text", has_text=answer_start(TOPIC))).to_be_visible()
    wait_idle(page)
    box = page.locator("#oihc-panel").bounding_box()
    assert box["x"] == 0 and box["width"] == PHONE["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert shadow_eval(page, "const l = root.querySelector('.oihc-log'); return l.scrollWidth <= l.clientWidth;")
    for selector in ("#oihc-input", ".oihc-send", ".oihc-close"):
        b = page.locator(selector).bounding_box()
        assert b["x"] >= 0 and b["x"] + b["width"] <= PHONE["width"], selector
    small = shadow_eval(page, """
        return Array.from(root.querySelectorAll('button, input'))
          .filter(el => el.offsetParent !== null)
          .map(el => el.getBoundingClientRect())
          .filter(r => r.width < 24 || r.height < 24).length;""")
    assert small == 0, "targets smaller than 24 x 24 px"
    page.screenshot(path=str(artifacts / "webchat-phone.png"))


def test_keyboard_only(page, site):
    page.goto(site)
    for _ in range(15):  # Tab through the page to the launcher
        page.keyboard.press("Tab")
        if active_in_widget(page).get("cls") == "oihc-launcher":
            break
    focused = active_in_widget(page)
    assert focused.get("cls") == "oihc-launcher"
    assert focused["outline"] != "none" and focused["outlineWidth"] >= 2, "visible focus"
    page.keyboard.press("Enter")
    assert active_in_widget(page)["id"] == "oihc-input"
    wait_idle(page)
    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    expect(page.locator(".oihc-bot .oihc-text", has_text=answer_start(TOPIC))).to_be_visible()
    wait_idle(page)
    page.keyboard.press("Tab")
    assert active_in_widget(page)["cls"] == "oihc-send"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")  # back from the input into the last reply's buttons
    focused = active_in_widget(page)
    assert focused["cls"] == "oihc-quick", focused
    assert focused["outline"] != "none" and focused["outlineWidth"] >= 2, "visible focus"
    users_before = page.locator(".oihc-user").count()
    page.keyboard.press("Enter")
    expect(page.locator(".oihc-user")).to_have_count(users_before + 1)
    expect(page.locator(".oihc-user .oihc-text").last).to_have_text("You said: " + focused["text"])
    assert active_in_widget(page)["id"] == "oihc-input"  # ready for the next question
    wait_idle(page)
    page.keyboard.press("Escape")
    expect(page.locator("#oihc-panel")).to_be_hidden()
    assert active_in_widget(page)["cls"] == "oihc-launcher"


# ----------------------------------------------------------------------------- embedding


@pytest.fixture
def clinic_site(tmp_path: Path, chat, allowed_origin_port: int) -> Iterator[str]:
    """Another origin (a clinic's own site, listed in OIH_ALLOWED_ORIGINS) that embeds the widget."""
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Some clinic</title></head>'
        "<body><main><h1>Some clinic</h1><p>Welcome.</p></main>"
        f'<script src="{chat.url}/webchat/widget.js" data-bot-url="{chat.url}" defer></script>'
        "</body></html>",
        encoding="utf-8",
    )
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *a: None  # type: ignore[assignment]
    server = ThreadingHTTPServer(("127.0.0.1", allowed_origin_port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()


def test_one_script_tag_embeds_the_widget_on_another_site(page, clinic_site):
    open_chat(page, clinic_site)
    ask(page, QUESTION)
    expect(page.locator(".oihc-bot .oihc-text", has_text=answer_start(TOPIC))).to_be_visible()
