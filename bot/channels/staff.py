"""``/staff``: the FAQ tool for clinic staff, as a page served by the Rasa server.

Registered in ``credentials.yml`` as ``bot.channels.staff.StaffInput:``. It sends no messages to
the assistant; it is a channel only because channels are how Rasa lets a project add routes.

The page shows the same search as ``python -m bot faq search`` (``bot.retrieval.search``), every
topic's answer with its sources and review date, and the report of questions the assistant could
not answer (``bot.unanswered.summary``).

The callback queue (``/staff/queue``; rendering in ``bot/staff_queue.py``): open callback requests
oldest first with reference, name, formatted contact, best time and topic; "Open" one
(``/staff/queue/<reference>``), "Mark done" (POST ``/staff/queue/<reference>/done``, refused when
posted from another origin), CSV export (``/staff/queue.csv[?status=open]``), and a weekly table of
what people asked (counts only). Every view of a request's details is recorded (who, when, what)
in ``callback_request_views`` and shown on the request. These routes use the same
``check_access`` as the FAQ tool, whatever it checks.

Access: the token in the environment variable ``OIH_STAFF_TOKEN``, sent as
``Authorization: Bearer <token>`` or as ``?token=<token>`` (a bookmark for staff). Without the
right token: 401. If the variable is unset or empty the page is disabled: 503 with a message that
says how to enable it. All text on the page is HTML-escaped; the page sends no-store, no-referrer
(the token may be in its URL) and a Content-Security-Policy that allows no script at all.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import html
import os
from typing import Any, Awaitable, Callable
from urllib.parse import urlencode, urlparse

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

TOKEN_ENV = "OIH_STAFF_TOKEN"
MAX_QUERY_CHARS = 200
SEARCH_LIMIT = 5
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "X-Robots-Tag": "noindex, nofollow",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
}

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1b1b;
       margin: 0 auto; max-width: 60rem; padding: 1rem 1.25rem 3rem; line-height: 1.5; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 2px solid #1f4e79; }
h3 { font-size: 1.05rem; margin-bottom: 0.25rem; }
a { color: #0b4f8a; }
:focus-visible { outline: 3px solid #b8470b; outline-offset: 2px; }
label { display: block; font-weight: 600; }
input[type=search] { font: inherit; min-height: 44px; width: min(30rem, 100%); padding: 0.4rem;
                     border: 2px solid #5f6b77; border-radius: 6px; }
button { font: inherit; min-height: 44px; padding: 0.4rem 1rem; background: #1f4e79; color: #fff;
         border: 0; border-radius: 6px; }
.meta { color: #4a5561; font-size: 0.9rem; margin: 0.25rem 0; }
.topic { border-top: 1px solid #c9d1d9; padding: 0.5rem 0; }
table { border-collapse: collapse; } td, th { border: 1px solid #c9d1d9; padding: 0.3rem 0.6rem; text-align: left; }
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def expected_token() -> str:
    return os.environ.get(TOKEN_ENV, "").strip()


def presented_token(request: Request) -> str:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return (request.args.get("token") or "").strip()


def check_access(request: Request) -> HTTPResponse | None:
    """None when the request may see the page; otherwise the refusal to send."""
    expected = expected_token()
    if not expected:
        return response.text(
            f"The staff page is disabled: set the environment variable {TOKEN_ENV} to a long random "
            "token on the server and restart it. Then open /staff?token=<token>.",
            status=503,
            headers=HEADERS,
        )
    given = presented_token(request)
    if not given or not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        return response.text(
            "Unauthorized: open /staff?token=<token> or send 'Authorization: Bearer <token>'.",
            status=401,
            headers={**HEADERS, "WWW-Authenticate": 'Bearer realm="staff"'},
        )
    return None


def _topic_html(kb: Any, entry: Any, heading_level: int = 3, score: float | None = None) -> str:
    sources = "".join(
        f"<li>{_e(kb.sources[c.source].citation)}: "
        f"section &ldquo;{_e(c.heading)}&rdquo;</li>"
        for c in entry.sources
    )
    score_html = f' <span class="meta">score {score:.1f}</span>' if score is not None else ""
    h = f"h{heading_level}"
    return (
        f'<div class="topic" id="topic-{_e(entry.id)}">'
        f"<{h}>{_e(entry.title)}{score_html}</{h}>"
        f'<p class="meta">Topic id: <code>{_e(entry.id)}</code> &middot; Reviewed {_e(entry.reviewed_date.isoformat())} '
        f"by {_e(entry.reviewed_by)}</p>"
        f"<p>{_e(entry.answer)}</p>"
        f"<p class=\"meta\">Sources:</p><ul>{sources}</ul>"
        "</div>"
    )


def render_page(query: str, token_in_url: str | None) -> str:
    """The whole page as a string (pure function of the knowledge base and the report)."""
    from bot import unanswered
    from bot.knowledge import cached_knowledge
    from bot.retrieval import search

    kb = cached_knowledge()
    hidden_token = (
        f'<input type="hidden" name="token" value="{_e(token_in_url)}">' if token_in_url else ""
    )
    parts = [
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Staff: OIH assistant FAQ</title><style>{STYLE}</style></head><body>",
        "<header><h1>OIH assistant: staff FAQ tool</h1>"
        '<nav aria-label="Sections"><a href="#search">Search</a> &middot; <a href="#topics">All topics</a>'
        ' &middot; <a href="#unanswered">Unanswered questions</a>'
        f' &middot; <a href="{_e("/staff/queue" + ("?" + urlencode({"token": token_in_url}) if token_in_url else ""))}">'
        'Callback queue</a></nav></header><main>',
        '<h2 id="search">Search</h2>'
        '<form method="get" action="" role="search">'
        '<label for="q">Words from a question, answer or title</label>'
        f'<input type="search" id="q" name="q" value="{_e(query)}" maxlength="{MAX_QUERY_CHARS}"> '
        f"{hidden_token}<button type=\"submit\">Search</button></form>",
    ]
    if query:
        hits = search(query, limit=SEARCH_LIMIT)
        if hits:
            parts.append(f'<p id="results-summary">{len(hits)} best topics for &ldquo;{_e(query)}&rdquo;:</p>')
            parts.append('<div id="results">')
            parts.extend(_topic_html(kb, kb.faq(h.topic), 3, h.score) for h in hits)
            parts.append("</div>")
        else:
            parts.append(f'<p id="results-summary">Nothing found for &ldquo;{_e(query)}&rdquo;.</p>')
    parts.append(f'<h2 id="topics">All topics ({len(kb.faqs)})</h2>')
    parts.extend(_topic_html(kb, entry) for entry in kb.faqs.values())
    rows = unanswered.summary()
    parts.append(f'<h2 id="unanswered">Unanswered questions ({len(rows)} distinct)</h2>')
    if rows:
        parts.append(
            "<p>Personal details were masked before these were saved. Add the common ones to "
            "<code>knowledge/faq/</code>.</p>"
            '<table><thead><tr><th scope="col">Times asked</th><th scope="col">Question</th></tr></thead><tbody>'
        )
        parts.extend(f"<tr><td>{count}</td><td>{_e(question)}</td></tr>" for question, count in rows)
        parts.append("</tbody></table>")
    else:
        parts.append("<p>None recorded yet.</p>")
    parts.append("</main></body></html>")
    return "".join(parts)


# --------------------------------------------------------------------------------------------
# Callback queue helpers (bot/staff_queue.py renders; these run in a worker thread)
# --------------------------------------------------------------------------------------------


def _token_in_url(request: Request) -> str | None:
    return request.args.get("token") if "token" in request.args else None


def staff_viewer(request: Request) -> str:
    """Who is looking, for the audit table: the signed-in staff member once staff logins exist
    (``request.ctx.staff_user``), else which token (a hash prefix, never the token) and from where.
    """
    user = getattr(request.ctx, "staff_user", None)
    if user:
        who = str(user)
    else:
        digest = hashlib.sha256(presented_token(request).encode("utf-8")).hexdigest()[:8]
        who = f"staff token {digest}"
    return f"{who} from {request.remote_addr or request.ip}"


def _cross_site(request: Request) -> HTTPResponse | None:
    """Refuse a state change posted from another site (a browser sends Origin with a POST)."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlparse(origin).netloc != request.host:
        return response.text("Forbidden: cross-site request.", status=403, headers=HEADERS)
    return None


def _queue_page(engine: Any, token_in_url: str | None, viewer: str, notice: str) -> str:
    from bot import referrals, staff_queue

    rows = referrals.list_requests("open")
    referrals.record_views(rows, viewer, "list")  # names and contacts are on screen
    activity = staff_queue.weekly_activity(engine)
    return staff_queue.render_queue(rows, activity, token_in_url, STYLE, notice)


def _request_page(reference: str, token_in_url: str | None, viewer: str) -> str | None:
    from bot import referrals, staff_queue

    row = referrals.get_request(reference)
    if row is None:
        return None
    referrals.record_views([row], viewer, "open")
    return staff_queue.render_request(row, referrals.list_views(row.id), token_in_url, STYLE)


def _queue_csv(status: str | None, viewer: str) -> str:
    from bot import referrals

    rows = referrals.list_requests(status)
    referrals.record_views(rows, viewer, "export")
    return referrals.rows_csv(rows)


class StaffInput(InputChannel):
    """The /staff page (no messages to the assistant)."""

    @classmethod
    def name(cls) -> str:
        return "staff"

    def url_prefix(self) -> str:
        return "/"  # the page is /staff, not /webhooks/staff/

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        staff = Blueprint("oih_staff", __name__)

        @staff.route("/staff", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            refused = check_access(request)
            if refused is not None:
                return refused
            query = " ".join((request.args.get("q") or "").split())[:MAX_QUERY_CHARS]
            token_in_url = request.args.get("token") if "token" in request.args else None
            # Loading the spaCy pipeline and scoring are CPU work: keep them off the event loop.
            body = await asyncio.get_running_loop().run_in_executor(None, render_page, query, token_in_url)
            return response.html(body, headers=HEADERS)

        # ---------------------------------------------------------------- callback queue
        # Behind the same check_access as the FAQ tool; rendering in bot/staff_queue.py.

        @staff.route("/staff/queue", methods=["GET"])
        async def queue_page(request: Request) -> HTTPResponse:
            refused = check_access(request)
            if refused is not None:
                return refused
            from bot import staff_queue

            engine = staff_queue.tracker_engine_of(request.app)
            done = " ".join((request.args.get("done") or "").split())[:12]
            notice = f"Request {done} is marked done." if done else ""
            body = await asyncio.get_running_loop().run_in_executor(
                None, _queue_page, engine, _token_in_url(request), staff_viewer(request), notice
            )
            return response.html(body, headers=HEADERS)

        @staff.route("/staff/queue.csv", methods=["GET"])
        async def queue_csv(request: Request) -> HTTPResponse:
            refused = check_access(request)
            if refused is not None:
                return refused
            status = request.args.get("status")
            status = status if status in ("open", "done") else None
            text = await asyncio.get_running_loop().run_in_executor(
                None, _queue_csv, status, staff_viewer(request)
            )
            filename = f"callback-requests-{dt.date.today().isoformat()}.csv"
            return response.text(
                text, content_type="text/csv; charset=utf-8",
                headers={**HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'},
            )

        @staff.route("/staff/queue/<reference>", methods=["GET"])
        async def queue_request(request: Request, reference: str) -> HTTPResponse:
            refused = check_access(request)
            if refused is not None:
                return refused
            body = await asyncio.get_running_loop().run_in_executor(
                None, _request_page, reference, _token_in_url(request), staff_viewer(request)
            )
            if body is None:
                return response.text("No such callback request.", status=404, headers=HEADERS)
            return response.html(body, headers=HEADERS)

        @staff.route("/staff/queue/<reference>/done", methods=["POST"])
        async def queue_done(request: Request, reference: str) -> HTTPResponse:
            refused = check_access(request) or _cross_site(request)
            if refused is not None:
                return refused
            from bot import referrals, staff_queue

            def mark() -> Any:
                row = referrals.mark_done(reference)
                if row is not None:
                    referrals.record_views([row], staff_viewer(request), "done")
                return row

            row = await asyncio.get_running_loop().run_in_executor(None, mark)
            if row is None:
                return response.text("No such callback request.", status=404, headers=HEADERS)
            target = staff_queue.link("/staff/queue", _token_in_url(request), done=row.reference or str(row.id))
            return response.redirect(target, status=303, headers=HEADERS)

        return staff
