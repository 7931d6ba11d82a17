"""The callback queue on the staff page, worked in real Chromium (issue 14, point 7).

Requests come from real conversations (the session's Rasa + action servers); the staff routes
run on the small Sanic server of tests/conversation/test_staff_queue.py over the same databases.
The page uses no JavaScript: links, one form per "Mark done", and a CSV download.
"""
from __future__ import annotations

import csv
import io

from playwright.sync_api import expect

from bot import referrals
from tests.conversation.test_staff_queue import TOKEN, make_request, staff_url  # noqa: F401 - fixture
from tests.web.conftest import ARTIFACTS, PHONE


def test_staff_open_mark_done_and_export_in_chromium(chat, staff_url, sender, context):  # noqa: F811
    request = make_request(chat, sender)
    page = context.new_page()
    # the token as a header, the way scripts and a reverse proxy's staff SSO present it (a token in
    # the address is refused; the sign-in form and its cookie are tested in test_channels.py)
    page.set_extra_http_headers({"Authorization": f"Bearer {TOKEN}"})
    page.goto(f"{staff_url}/staff/queue")
    row = page.locator(f"#request-{request.reference}")
    expect(row).to_contain_text(request.name)
    expect(row).to_contain_text("(212) 555-0147")

    # open it: the details and the audit trail
    row.get_by_role("link", name="Open").click()
    expect(page.locator("#request")).to_contain_text(request.name)
    expect(page.locator("#audit-table")).to_contain_text("staff token")
    page.go_back()

    # export: a real download of the CSV
    with page.expect_download() as info:
        page.get_by_role("link", name="Export all requests as CSV").click()
    rows = list(csv.DictReader(io.StringIO(open(info.value.path(), encoding="utf-8").read())))
    assert request.reference in [r["reference"] for r in rows]

    # mark done: the form posts, the page comes back with a notice and without the request
    page.locator(f"#request-{request.reference}").get_by_role("button", name="Mark done").click()
    expect(page.get_by_role("status")).to_contain_text(f"Request {request.reference} is marked done.")
    expect(page.locator(f"#request-{request.reference}")).to_have_count(0)
    assert referrals.get_request(request.reference, db_url=chat.referrals_url).status == "done"

    # on a phone, the table becomes one card per request and nothing scrolls sideways
    make_request(chat, sender + "-p")
    page.set_viewport_size(PHONE)
    page.goto(f"{staff_url}/staff/queue")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "staff-queue-phone.png"), full_page=True)
