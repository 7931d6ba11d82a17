"""A crisis reply in the web chat, in real Chromium at phone width (375 px) against the real servers.

The reply is shown from its start (the first message holds the numbers), and an emergency banner
with tap-to-call (and tap-to-text) links stays above the conversation until the person closes it.
"""
from __future__ import annotations

import json
import re
from typing import Any

from playwright.sync_api import expect

from bot.channels.webchat import emergency_contacts
from tests.web.conftest import DESKTOP, PHONE
from tests.web.test_webchat import (
    QUESTION,
    TOPIC,
    active_in_widget,
    answer_start,
    ask,
    open_chat,
    shadow_eval,
    wait_idle,
)

CRISIS = "my husband took too many pills and he will not wake up"
BANNER_LINKS = ".oihc-emergency .oihc-emergency-link"


def expected_hrefs() -> list[str]:
    """The banner's links, from knowledge/clinic.yml as the channel reads it."""
    hrefs = []
    for contact in emergency_contacts():
        digits = re.sub(r"[^\d+]", "", contact["number"])
        hrefs.append("tel:" + digits)
        if contact["sms"]:
            hrefs.append("sms:" + digits)
    return hrefs


def geometry(page: Any) -> dict[str, Any]:
    """Where the log, the banner and the first crisis message are (viewport coordinates)."""
    return shadow_eval(page, """
        const r = (el) => { if (!el) return null; const b = el.getBoundingClientRect();
                            return {top: b.top, bottom: b.bottom, left: b.left, right: b.right}; };
        const log = root.querySelector('.oihc-log');
        return {log: r(log), banner: r(root.querySelector('.oihc-emergency-box')),
                crisis: r(root.querySelector('.oihc-crisis')), last: r(log.lastElementChild),
                overflow: log.scrollHeight > log.clientHeight, innerHeight: window.innerHeight};""")


def test_a_crisis_reply_is_shown_from_its_start_under_an_emergency_banner(phone, site, artifacts, axe):
    page = phone
    open_chat(page, site)
    ask(page, QUESTION)  # something above, so that the log has to scroll
    expect(page.locator(".oihc-bot .oihc-text", has_text=answer_start(TOPIC))).to_be_visible()
    wait_idle(page)
    expect(page.locator(BANNER_LINKS)).to_have_count(0)  # an ordinary answer raises nothing

    ask(page, CRISIS)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Emergency help")
    expect(page.locator(BANNER_LINKS).first).to_be_visible()
    wait_idle(page)

    hrefs = [page.locator(BANNER_LINKS).nth(i).get_attribute("href") for i in range(page.locator(BANNER_LINKS).count())]
    assert hrefs == expected_hrefs()
    assert {"tel:911", "tel:988", "sms:988", "tel:18002221222"} <= set(hrefs)  # clinic.yml's US numbers
    for contact in emergency_contacts():  # each link names its number and what it is
        expect(alert.get_by_role("link", name=re.compile(f"Call {re.escape(contact['number'])}"))).to_contain_text(
            contact["label"])

    g = geometry(page)
    assert g["overflow"], "the test needs a conversation longer than the log"
    assert g["log"]["top"] - 1 <= g["crisis"]["top"] < g["log"]["bottom"] - 40, g  # its top is in view
    assert 0 <= g["crisis"]["top"] < g["innerHeight"], g
    assert g["banner"]["bottom"] <= g["crisis"]["top"] + 1, g  # not hidden behind the banner
    assert 0 <= g["banner"]["top"] and g["banner"]["bottom"] < g["innerHeight"] / 2, g
    assert g["banner"]["left"] >= 0 and g["banner"]["right"] <= PHONE["width"], g
    # the message with the numbers is the one at the top of the view
    first = page.locator(".oihc-crisis .oihc-text").first
    for contact in emergency_contacts():
        expect(first).to_contain_text(contact["number"])

    # readable at 375 px: nothing cut off sideways, 44 px targets
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert shadow_eval(page, "const b = root.querySelector('.oihc-emergency-box'); return b.scrollWidth <= b.clientWidth;")
    small = shadow_eval(page, """
        return Array.from(root.querySelectorAll('.oihc-emergency a, .oihc-emergency button'))
          .map(el => el.getBoundingClientRect()).filter(r => r.width < 44 || r.height < 44).length;""")
    assert small == 0, "banner targets smaller than 44 x 44 px"
    page.screenshot(path=str(artifacts / "webchat-crisis-phone.png"))

    violations = axe(page)
    assert violations == [], "phone width, banner raised: " + json.dumps(violations, indent=2)
    page.set_viewport_size(DESKTOP)  # the same conversation in the desktop panel
    expect(page.locator(BANNER_LINKS).first).to_be_visible()
    violations = axe(page)
    assert violations == [], "desktop, banner raised: " + json.dumps(violations, indent=2)
    page.screenshot(path=str(artifacts / "webchat-crisis-desktop.png"))


def test_the_banner_stays_until_the_person_closes_it_with_the_keyboard(phone, site, axe):
    page = phone
    open_chat(page, site)
    ask(page, CRISIS)
    expect(page.locator(BANNER_LINKS).first).to_be_visible()
    wait_idle(page)

    # further messages: an ordinary reply is scrolled to its end, the banner stays in view. (Right
    # after a crisis a vague message gets crisis-mode help; asking for the clinic leaves it.)
    ask(page, "can I talk to someone at the clinic")
    answer = page.locator(".oihc-bot .oihc-text", has_text="You can reach")
    expect(answer).to_be_visible()
    wait_idle(page)
    ask(page, "thanks")
    wait_idle(page)
    expect(page.locator(BANNER_LINKS)).to_have_count(len(expected_hrefs()))
    g = geometry(page)
    assert 0 <= g["banner"]["top"] and g["banner"]["bottom"] <= g["log"]["top"] + 1, g
    assert g["last"]["bottom"] <= g["log"]["bottom"] + 1, g  # the newest message is in view

    # ...and a reload (the conversation is kept, and so is the banner)
    page.reload()
    expect(page.locator(BANNER_LINKS).first).to_be_visible()
    wait_idle(page)

    # Tab from the chat's own close button reaches the banner's close button
    page.locator(".oihc-close").focus()
    for _ in range(5):
        page.keyboard.press("Tab")
        if active_in_widget(page).get("cls") == "oihc-emergency-close":
            break
    focused = active_in_widget(page)
    assert focused.get("cls") == "oihc-emergency-close", focused
    assert focused["outline"] != "none" and focused["outlineWidth"] >= 2, "visible focus"
    page.keyboard.press("Enter")
    expect(page.locator(BANNER_LINKS)).to_have_count(0)
    assert active_in_widget(page).get("id") == "oihc-input"  # focus goes on, not lost
    expect(page.locator(".oihc-crisis").first).to_be_attached()  # the messages themselves stay
    violations = axe(page)
    assert violations == [], "after closing: " + json.dumps(violations, indent=2)

    page.reload()  # closed stays closed
    expect(page.locator(".oihc-crisis").first).to_be_attached()
    wait_idle(page)
    expect(page.locator(BANNER_LINKS)).to_have_count(0)

    ask(page, CRISIS)  # a new crisis raises it again
    expect(page.locator(BANNER_LINKS)).to_have_count(len(expected_hrefs()))
    wait_idle(page)


def test_past_harm_gets_no_alarm_and_the_widget_only_trusts_numbers(phone, site):
    """The widget's side of the marker, with the assistant's replies stubbed in the browser.

    Past harm (``alarm: false``) is a crisis reply without the banner; contacts that are not phone
    numbers never become links; a label is text, not markup.
    """
    page = phone
    replies = {
        "past": [{"text": "Thank you for telling me.", "emergency": {"kind": "past_harm", "alarm": False,
                                                                     "contacts": [{"label": "L", "number": "988"}]}}],
        "now": [
            {"text": "Call now.", "emergency": {"kind": "overdose", "alarm": True, "contacts": [
                {"label": "Bad", "number": "javascript:alert(1)"},
                {"label": "<b>Emergency</b>", "number": "911"},
                {"label": "Line", "number": "988", "sms": True},
            ]}},
            {"text": "You did the right thing.", "emergency": {"kind": "overdose", "alarm": True}},
        ],
    }

    def fulfil(route: Any) -> None:
        message = json.loads(route.request.post_data or "{}").get("message", "")
        body = replies.get(message, [{"text": "Hello."}])
        route.fulfill(status=200, content_type="application/json", body=json.dumps(body))

    page.route("**/webchat/webhook", fulfil)
    open_chat(page, site)
    ask(page, "past")
    expect(page.locator(".oihc-bot .oihc-text", has_text="Thank you for telling me.")).to_be_visible()
    wait_idle(page)
    expect(page.locator(BANNER_LINKS)).to_have_count(0)
    expect(page.locator(".oihc-crisis")).to_have_count(0)

    ask(page, "now")
    expect(page.locator(BANNER_LINKS).first).to_be_visible()
    wait_idle(page)
    hrefs = [page.locator(BANNER_LINKS).nth(i).get_attribute("href") for i in range(page.locator(BANNER_LINKS).count())]
    assert hrefs == ["tel:911", "tel:988", "sms:988"]
    expect(page.locator(".oihc-emergency")).to_contain_text("<b>Emergency</b>")
    assert shadow_eval(page, "return root.querySelectorAll('.oihc-emergency b').length;") == 0
    expect(page.locator(".oihc-crisis")).to_have_count(2)
