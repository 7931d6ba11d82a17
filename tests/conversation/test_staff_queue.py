"""The callback queue on the staff page (issue 14, point 7).

Requests are made through the session's real Rasa + action servers; the staff page's routes run
on their own small Sanic server (tests/conversation/staff_queue_server.py) over the same referrals
and tracker databases, with a staff token, and are driven over HTTP like a browser would.
"""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest
import requests

from bot import referrals, servers
from bot.processes import start_group, stop_group
from tests.conversation.test_callback import fill_request, joined, unique_name

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "staff-queue-token-for-tests-0123456789"


@pytest.fixture(scope="module")
def staff_url(chat, server_dir: Path) -> Iterator[str]:
    port = servers.free_port()
    tracker_url = chat.tracker_db_url  # SQLite file, or PostgreSQL in the prod profile
    env = {
        **os.environ, "PYTHONPATH": str(ROOT), "OIH_STAFF_TOKEN": TOKEN,
        "OIH_REFERRALS_DB_URL": chat.referrals_url, "OIH_VAR_DIR": str(chat.var_dir),
    }
    log = open(server_dir / "staff_queue.log", "w")
    proc = start_group(
        [sys.executable, str(Path(__file__).with_name("staff_queue_server.py")), str(port), tracker_url],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                log.flush()
                pytest.fail("staff server exited:\n" + (server_dir / "staff_queue.log").read_text()[-3000:])
            try:
                if requests.get(f"{url}/staff/queue", timeout=5).status_code == 401:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                pytest.fail("staff server did not start")
            time.sleep(0.3)
        yield url
    finally:
        stop_group(proc, grace=20)
        log.close()


def get(url: str, path: str, token: str | None = TOKEN, **params: str) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.get(f"{url}{path}", params=params, headers=headers, timeout=60, allow_redirects=False)


def make_request(chat, sender: str, contact: str = "(212) 555-0147") -> referrals.CallbackRequest:
    chat.send(sender, "/request_callback")
    name = unique_name()
    fill_request(chat, sender, name, contact=contact)
    assert "Your request number is" in joined(chat.send(sender, "yes"))
    rows = [r for r in referrals.list_requests(None, db_url=chat.referrals_url) if r.name == name]
    assert len(rows) == 1
    return rows[0]


def test_queue_needs_the_staff_token(staff_url):
    for path in ("/staff/queue", "/staff/queue.csv", "/staff/queue/ABCDEF"):
        assert get(staff_url, path, token=None).status_code == 401
        assert get(staff_url, path, token="wrong").status_code == 401
    resp = requests.post(f"{staff_url}/staff/queue/ABCDEF/done", timeout=30)
    assert resp.status_code == 401


def test_staff_work_the_queue(chat, staff_url, sender):
    first = make_request(chat, sender)
    second = make_request(chat, sender + "-b", contact="+44 20 7946 0958")

    page = get(staff_url, "/staff/queue")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.text
    # open requests oldest first, with reference, name, formatted contact, best time and topic
    assert html.index(first.reference) < html.index(second.reference)
    assert first.name in html and "(212) 555-0147" in html and "+44 20 7946 0958" in html
    assert "weekday mornings" in html and ">general<" in html
    assert "+12125550147" not in html  # shown formatted, not in storage format

    # the weekly table: counts only, no personal data
    weekly = html[html.index('id="weekly"'):]
    assert "Callback requests" in weekly and "Crisis replies" in weekly and "Dosing replies" in weekly
    assert first.name not in weekly and "555" not in weekly

    # open one: the view is recorded with who and when
    detail = get(staff_url, f"/staff/queue/{first.reference.lower()}")
    assert detail.status_code == 200 and first.name in detail.text and "(212) 555-0147 (phone)" in detail.text
    views = referrals.list_views(first.id, db_url=chat.referrals_url)
    assert [v.action for v in views][-1] == "open" and "list" in [v.action for v in views]
    assert views[-1].viewer.startswith("staff token ") and TOKEN not in views[-1].viewer
    assert "staff token" in detail.text  # the trail is on the page

    # export
    export = get(staff_url, "/staff/queue.csv", status="open")
    assert export.status_code == 200 and export.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in export.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(export.text)))
    mine = {r["reference"]: r for r in rows}
    assert mine[first.reference]["contact_display"] == "(212) 555-0147"
    assert mine[first.reference]["contact"] == "+12125550147"

    # mark done (a form POST)
    done = requests.post(f"{staff_url}/staff/queue/{first.reference}/done",
                         headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60, allow_redirects=False)
    assert done.status_code == 303
    assert done.headers["Location"].startswith("/staff/queue?") and f"done={first.reference}" in done.headers["Location"]
    after = get(staff_url, "/staff/queue", done=first.reference).text
    assert f"Request {first.reference} is marked done." in after
    assert f'id="request-{first.reference}"' not in after and f'id="request-{second.reference}"' in after
    assert referrals.get_request(first.reference, db_url=chat.referrals_url).status == "done"
    assert "done" in [v.action for v in referrals.list_views(first.id, db_url=chat.referrals_url)]


def test_a_cross_site_post_is_refused(chat, staff_url, sender):
    request = make_request(chat, sender)
    resp = requests.post(
        f"{staff_url}/staff/queue/{request.reference}/done",
        headers={"Authorization": f"Bearer {TOKEN}", "Origin": "https://evil.example"}, timeout=60,
    )
    assert resp.status_code == 403
    assert referrals.get_request(request.reference, db_url=chat.referrals_url).status == "open"


def test_weekly_table_counts_what_people_asked(chat, staff_url, sender):
    chat.send(sender, "what is opioid induced hyperalgesia?")
    chat.send(sender, "can I take an extra pill when the pain is bad?")
    html = get(staff_url, "/staff/queue").text
    table = html[html.index('id="weekly-table"'):html.index("</table>", html.index('id="weekly-table"'))]
    this_week = table.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    cells = [int(c.split("</td>", 1)[0]) for c in this_week.split("<td>")[1:]]
    answers, clarifications, _crisis, dosing, callbacks = cells
    assert answers + clarifications >= 1  # answered, or "did you mean" if the model is unsure
    assert dosing >= 1 and callbacks >= 1
    assert "Most asked topics" in html
    assert "opioid" not in table.lower()  # no message text


def test_unknown_reference_is_404(staff_url):
    assert get(staff_url, "/staff/queue/ZZZZZ9").status_code == 404
