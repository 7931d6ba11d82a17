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

Access (security review L1): the token in the environment variable ``OIH_STAFF_TOKEN`` (at least
32 characters; shorter or unset: the page is disabled, 503), presented either

* as ``Authorization: Bearer <token>`` (scripts), or
* once, in the sign-in form (``POST /staff/login``, the token in the body), which sets a session
  cookie ``oih_staff`` (``Secure; HttpOnly; SameSite=Strict; Path=/staff``, 8 hours; an HMAC of its
  expiry keyed with the token, so changing the token ends every session) and redirects to ``/staff``.

A token in the URL (``?token=``) is refused (400) and never checked: it would end up in browser
history, proxy logs and screenshots. Failed attempts are rate-limited per client address
(``OIH_STAFF_MAX_FAILURES``, default 5, per 10 minutes): then 429 with ``Retry-After``, even for the
right token, until the window has passed (sessions keep working). All text on the page is
HTML-escaped; the page sends no-store, no-referrer and a Content-Security-Policy that allows no
script at all.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import functools
import hashlib
import hmac
import html
import os
import time
from collections import deque
from typing import Any, Awaitable, Callable
from urllib.parse import urlparse

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
.signoff { font-weight: 700; margin: 0.25rem 0; }
.signoff.unsigned { color: #8a1c1c; } .signoff.stale { color: #7a4b00; } .signoff.signed { color: #1d5b1d; }
table { border-collapse: collapse; } td, th { border: 1px solid #c9d1d9; padding: 0.3rem 0.6rem; text-align: left; }
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


MIN_TOKEN_CHARS = 32
COOKIE = "oih_staff"
SESSION_SECONDS = 8 * 3600
FAILURE_WINDOW_SECONDS = 600


def expected_token() -> str:
    return os.environ.get(TOKEN_ENV, "").strip()


def bearer_token(request: Request) -> str:
    auth = request.headers.get("authorization", "")
    return auth[7:].strip() if auth.lower().startswith("bearer ") else ""


def _same(given: str, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))


def session_value(token: str, expires: int) -> str:
    sig = hmac.new(token.encode("utf-8"), f"staff-session:{expires}".encode(), hashlib.sha256).hexdigest()
    return f"{expires}.{sig}"


def valid_session(value: str, token: str, now: float | None = None) -> bool:
    expires, _, _sig = (value or "").partition(".")
    if not expires.isdigit() or int(expires) < (time.time() if now is None else now):
        return False
    return _same(value, session_value(token, int(expires)))


class FailureLimiter:
    """Failed sign-ins per client address in a sliding window (in memory, per process)."""

    def __init__(self, limit: int, window: float = FAILURE_WINDOW_SECONDS) -> None:
        self.limit, self.window = limit, window
        self.failures: dict[str, deque[float]] = {}

    def _recent(self, client: str, now: float) -> deque[float]:
        times = self.failures.setdefault(client, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            self.failures.pop(client, None)
        return times

    def retry_after(self, client: str, now: float | None = None) -> int:
        """Seconds until this client may try again (0: it may)."""
        now = time.monotonic() if now is None else now
        times = self._recent(client, now)
        return int(times[0] + self.window - now) + 1 if len(times) >= self.limit else 0

    def failed(self, client: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        self._recent(client, now)
        self.failures.setdefault(client, deque()).append(now)
        if len(self.failures) > 10_000:  # bounded memory under a flood of addresses
            self.failures.pop(next(iter(self.failures)))


def _disabled(expected: str) -> HTTPResponse | None:
    if len(expected) >= MIN_TOKEN_CHARS:
        return None
    why = "is not set" if not expected else f"is shorter than {MIN_TOKEN_CHARS} characters"
    return response.text(
        f"The staff page is disabled: {TOKEN_ENV} {why}. Set it to a long random token on the server "
        "(python -c \"import secrets; print(secrets.token_urlsafe(32))\") and restart it.",
        status=503, headers=HEADERS,
    )


LOGIN_PAGE = (
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>Staff sign-in: OIH assistant</title><style>{style}</style></head><body><main>"
    "<h1>Staff sign-in</h1><p>{message}</p>"
    '<form method="post" action="/staff/login"><label for="token">Staff token</label>'
    '<input type="password" id="token" name="token" autocomplete="current-password" required> '
    '<button type="submit">Sign in</button></form></main></body></html>'
)


def login_page(message: str, status: int, extra: dict[str, str] | None = None) -> HTTPResponse:
    return response.html(LOGIN_PAGE.format(style=STYLE, message=_e(message)), status=status,
                         headers={**HEADERS, **(extra or {})})


def _topic_html(kb: Any, entry: Any, review: Any, heading_level: int = 3, score: float | None = None) -> str:
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
        f'<p class="signoff {_e(review.state)}">{_e(review.label)}</p>'
        f'<p class="meta">Topic id: <code>{_e(entry.id)}</code> &middot; content hash <code>{_e(review.content_hash)}</code>'
        f" &middot; last content edit {_e(entry.reviewed_date.isoformat())} by {_e(entry.reviewed_by)}</p>"
        f"<p>{_e(entry.answer)}</p>"
        f"<p class=\"meta\">Sources:</p><ul>{sources}</ul>"
        "</div>"
    )


def _signoff_summary(reviews: dict[str, Any]) -> str:
    """How many answers a clinician has signed off: unsigned and stale ones are marked below."""
    count = {state: sum(1 for r in reviews.values() if r.state == state) for state in ("signed", "stale", "unsigned")}
    return (
        f'<p id="signoff-summary">Clinical sign-off: <strong>{count["signed"]} of {len(reviews)}</strong> answers '
        f'signed off; <strong>{count["stale"]}</strong> changed since their sign-off; <strong>{count["unsigned"]}</strong> '
        "never signed off. Make the review packet with <code>python -m bot review</code> (docs/review.md).</p>"
    )


def render_page(query: str) -> str:
    """The whole page as a string (pure function of the knowledge base and the report)."""
    from bot import signoff, unanswered
    from bot.knowledge import cached_knowledge
    from bot.paths import KNOWLEDGE_DIR
    from bot.retrieval import search

    kb = cached_knowledge()
    reviews = signoff.statuses(kb, KNOWLEDGE_DIR)
    parts = [
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Staff: OIH assistant FAQ</title><style>{STYLE}</style></head><body>",
        "<header><h1>OIH assistant: staff FAQ tool</h1>"
        '<nav aria-label="Sections"><a href="#search">Search</a> &middot; <a href="#topics">All topics</a>'
        ' &middot; <a href="#unanswered">Unanswered questions</a>'
        ' &middot; <a href="/staff/queue">'
        'Callback queue</a></nav></header><main>',
        '<h2 id="search">Search</h2>'
        '<form method="get" action="" role="search">'
        '<label for="q">Words from a question, answer or title</label>'
        f'<input type="search" id="q" name="q" value="{_e(query)}" maxlength="{MAX_QUERY_CHARS}"> '
        "<button type=\"submit\">Search</button></form>",
    ]
    if query:
        hits = search(query, limit=SEARCH_LIMIT)
        if hits:
            parts.append(f'<p id="results-summary">{len(hits)} best topics for &ldquo;{_e(query)}&rdquo;:</p>')
            parts.append('<div id="results">')
            parts.extend(_topic_html(kb, kb.faq(h.topic), reviews[h.topic], 3, h.score) for h in hits)
            parts.append("</div>")
        else:
            parts.append(f'<p id="results-summary">Nothing found for &ldquo;{_e(query)}&rdquo;.</p>')
    parts.append(f'<h2 id="topics">All topics ({len(kb.faqs)})</h2>')
    parts.append(_signoff_summary(reviews))
    parts.extend(_topic_html(kb, entry, reviews[entry.id]) for entry in kb.faqs.values())
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


def staff_viewer(request: Request) -> str:
    """Who is looking, for the audit table: the signed-in staff member once staff logins exist
    (``request.ctx.staff_user``), else which token (a hash prefix, never the token) and from where.
    """
    user = getattr(request.ctx, "staff_user", None)
    if user:
        who = str(user)
    else:
        credential = bearer_token(request) or request.cookies.get(COOKIE, "")
        digest = hashlib.sha256(credential.encode("utf-8")).hexdigest()[:8]
        who = f"staff token {digest}" if bearer_token(request) else f"staff session {digest}"
    return f"{who} from {client_address(request)}"


def client_address(request: Request) -> str:
    """The address failed sign-ins are counted for.

    Behind nginx every request comes from nginx's address, so one person failing on purpose would
    lock every staff member out. With ``SANIC_REAL_IP_HEADER=x-real-ip`` (set it only when Rasa is
    reachable solely through the proxy, which sets that header: deploy/nginx/oih.conf) Sanic gives
    the client's address as ``remote_addr``; without it ``remote_addr`` is empty and the peer counts.
    """
    return request.remote_addr or request.ip


def _cross_site(request: Request) -> HTTPResponse | None:
    """Refuse a state change posted from another site (a browser sends Origin with a POST)."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlparse(origin).netloc != request.host:
        return response.text("Forbidden: cross-site request.", status=403, headers=HEADERS)
    return None


def _queue_page(engine: Any, viewer: str, notice: str) -> str:
    from bot import referrals, staff_queue

    rows = referrals.list_requests("open")
    referrals.record_views(rows, viewer, "list")  # names and contacts are on screen
    activity = staff_queue.weekly_activity(engine)
    return staff_queue.render_queue(rows, activity, STYLE, notice)


def _request_page(reference: str, viewer: str) -> str | None:
    from bot import referrals, staff_queue

    row = referrals.get_request(reference)
    if row is None:
        return None
    referrals.record_views([row], viewer, "open")
    return staff_queue.render_request(row, referrals.list_views(row.id), STYLE)


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
        limiter = FailureLimiter(int(os.environ.get("OIH_STAFF_MAX_FAILURES") or 5))

        def limited(request: Request) -> HTTPResponse | None:
            wait = limiter.retry_after(client_address(request))
            if wait:
                return response.text("Too many failed attempts. Try again later.", status=429,
                                     headers={**HEADERS, "Retry-After": str(wait)})
            return None

        def check_access(request: Request) -> HTTPResponse | None:
            """None when the request carries a valid session cookie or the right bearer token;
            otherwise the response to send (503 disabled, 400 token in the URL, 401, 429)."""
            expected = expected_token()
            refused = _disabled(expected)
            if refused is not None:
                return refused
            if "token" in request.args:  # never checked, never counted: it must not be in URLs
                return response.text(
                    "The staff token is not accepted in the address (it would be kept in browser history "
                    "and logs). Open /staff and sign in, or send 'Authorization: Bearer <token>'.",
                    status=400, headers=HEADERS,
                )
            if valid_session(request.cookies.get(COOKIE, ""), expected):
                return None
            given = bearer_token(request)
            if not given:
                return login_page("Sign in with the staff token.", 401, {"WWW-Authenticate": 'Bearer realm="staff"'})
            refused = limited(request)
            if refused is not None:
                return refused
            if not _same(given, expected):
                limiter.failed(client_address(request))
                return response.text("Unauthorized: wrong token.", status=401,
                                     headers={**HEADERS, "WWW-Authenticate": 'Bearer realm="staff"'})
            return None

        def staff_only(handler: Callable[..., Awaitable[HTTPResponse]]) -> Callable[..., Awaitable[HTTPResponse]]:
            """Every staff route behind the one ``check_access``: no route can forget it."""

            @functools.wraps(handler)
            async def guarded(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
                refused = check_access(request)
                if refused is not None:
                    return refused
                return await handler(request, *args, **kwargs)

            return guarded

        @staff.route("/staff", methods=["GET"])
        @staff_only
        async def page(request: Request) -> HTTPResponse:
            query = " ".join((request.args.get("q") or "").split())[:MAX_QUERY_CHARS]
            # Loading the spaCy pipeline and scoring are CPU work: keep them off the event loop.
            body = await asyncio.get_running_loop().run_in_executor(None, render_page, query)
            return response.html(body, headers=HEADERS)

        # ---------------------------------------------------------------- callback queue
        # Behind the same check_access as the FAQ tool; rendering in bot/staff_queue.py.

        @staff.route("/staff/queue", methods=["GET"])
        @staff_only
        async def queue_page(request: Request) -> HTTPResponse:
            from bot import staff_queue

            engine = staff_queue.tracker_engine_of(request.app)
            done = " ".join((request.args.get("done") or "").split())[:12]
            notice = f"Request {done} is marked done." if done else ""
            body = await asyncio.get_running_loop().run_in_executor(
                None, _queue_page, engine, staff_viewer(request), notice
            )
            return response.html(body, headers=HEADERS)

        @staff.route("/staff/queue.csv", methods=["GET"])
        @staff_only
        async def queue_csv(request: Request) -> HTTPResponse:
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
        @staff_only
        async def queue_request(request: Request, reference: str) -> HTTPResponse:
            body = await asyncio.get_running_loop().run_in_executor(
                None, _request_page, reference, staff_viewer(request)
            )
            if body is None:
                return response.text("No such callback request.", status=404, headers=HEADERS)
            return response.html(body, headers=HEADERS)

        @staff.route("/staff/queue/<reference>/done", methods=["POST"])
        @staff_only
        async def queue_done(request: Request, reference: str) -> HTTPResponse:
            refused = _cross_site(request)
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
            target = staff_queue.link("/staff/queue", done=row.reference or str(row.id))
            return response.redirect(target, status=303, headers=HEADERS)

        @staff.route("/staff/login", methods=["POST"])
        async def login(request: Request) -> HTTPResponse:
            expected = expected_token()
            refused = _disabled(expected) or limited(request)
            if refused is not None:
                return refused
            given = (request.form.get("token") or "").strip() if request.form else ""
            if not _same(given, expected):
                limiter.failed(client_address(request))
                return login_page("That token is not right. Try again.", 401)
            expires = int(time.time()) + SESSION_SECONDS
            resp = response.redirect("/staff", status=303, headers=HEADERS)
            resp.cookies[COOKIE] = session_value(expected, expires)
            cookie = resp.cookies[COOKIE]
            cookie["path"], cookie["max-age"], cookie["secure"], cookie["httponly"] = "/staff", SESSION_SECONDS, True, True
            cookie["samesite"] = "Strict"
            return resp

        @staff.route("/staff/logout", methods=["POST"])
        async def logout(_: Request) -> HTTPResponse:
            resp = response.redirect("/staff", status=303, headers=HEADERS)
            resp.cookies[COOKIE] = ""
            cookie = resp.cookies[COOKIE]
            cookie["path"], cookie["max-age"], cookie["secure"], cookie["httponly"] = "/staff", 0, True, True
            cookie["samesite"] = "Strict"
            return resp

        return staff
