"""The callback queue on the staff page: what front-desk staff work from, without a command line.

``bot/channels/staff.py`` adds the routes (behind the page's own access check) and calls the pure
functions here:

- ``render_queue`` lists open requests oldest first (reference, received, name, formatted
  contact, best time, topic), each with "Open" and "Mark done", a CSV export link, and the weekly
  table of what people asked;
- ``render_request`` shows one request and who has viewed it;
- ``weekly_activity`` counts, per week, FAQ answers, clarifications, crisis and dosing replies
  (from Rasa's tracker store) and callback requests (from the queue), plus the most asked topics.
  Counts and topic ids only: no text a person typed, no sender id, no name or contact.

Every view of personal details is recorded with ``bot.referrals.record_views`` (who, when, what),
for the clinic's audit; the page shows that trail on each request.
"""
from __future__ import annotations

import datetime as dt
import html
import logging
from dataclasses import dataclass, field
from typing import Any, Iterable
from urllib.parse import quote, urlencode

import sqlalchemy as sa

from bot import referrals
from bot.referrals import CallbackRequest, RequestView

log = logging.getLogger(__name__)

WEEKS = 8
TOP_TOPICS = 5
#: Action names counted in the weekly table (Rasa's ``events.action_name``).
ANSWER_ACTION = "action_answer_faq"
CLARIFY_ACTION = "action_clarify"
DOSING_ACTION = "utter_dosing"
CRISIS_PREFIX = "utter_crisis"  # one emergency reply per crisis (the support line is not counted)
CRISIS_EXCLUDE = ("utter_crisis_support",)
TOPIC_INTENT_PREFIX = "faq_"
WEEKLY_COLUMNS = (
    ("answers", "Questions answered"),
    ("clarifications", "Clarifications (\u201cdid you mean\u201d)"),
    ("crisis", "Crisis replies"),
    ("dosing", "Dosing replies"),
    ("callbacks", "Callback requests"),
)


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _when(value: dt.datetime | None) -> str:
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M") if value else "-"


# --------------------------------------------------------------------------------------------
# Weekly counts
# --------------------------------------------------------------------------------------------


@dataclass
class WeeklyActivity:
    weeks: list[dt.date]
    counts: dict[dt.date, dict[str, int]]
    topics: list[tuple[str, int]] = field(default_factory=list)
    conversations_available: bool = True


def weekly_activity(
    tracker_engine: sa.engine.Engine | None, weeks: int = WEEKS, *, db_url: str | None = None,
    now: dt.datetime | None = None,
) -> WeeklyActivity:
    """Counts per week (Monday, UTC) for the last ``weeks`` weeks, newest first.

    ``tracker_engine`` is the SQL engine of Rasa's tracker store (table ``events``); without it
    (another tracker store, or the page running outside Rasa) only the callback column is filled.
    Only ``type_name``, ``action_name``, ``intent_name`` and ``timestamp`` are read: never the
    ``data`` column that holds what people typed.
    """
    current = referrals.week_start(now or referrals.utcnow())
    week_list = [current - dt.timedelta(weeks=i) for i in range(weeks)]
    since = dt.datetime.combine(week_list[-1], dt.time(), tzinfo=dt.timezone.utc)
    counts: dict[dt.date, dict[str, int]] = {w: {k: 0 for k, _ in WEEKLY_COLUMNS} for w in week_list}
    topics: dict[str, int] = {}
    available = tracker_engine is not None
    if tracker_engine is not None:
        try:
            events = sa.table(
                "events", sa.column("type_name"), sa.column("action_name"),
                sa.column("intent_name"), sa.column("timestamp"),
            )
            stmt = sa.select(
                events.c.type_name, events.c.action_name, events.c.intent_name, events.c.timestamp
            ).where(events.c.timestamp >= since.timestamp()).where(events.c.type_name.in_(("action", "user")))
            with tracker_engine.connect() as conn:
                for kind, action, intent, stamp in conn.execute(stmt):
                    week = referrals.week_start(dt.datetime.fromtimestamp(float(stamp), dt.timezone.utc))
                    row = counts.get(week)
                    if row is None:
                        continue
                    if kind == "user":
                        if intent and intent.startswith(TOPIC_INTENT_PREFIX):
                            topic = intent[len(TOPIC_INTENT_PREFIX):]
                            topics[topic] = topics.get(topic, 0) + 1
                        continue
                    if action == ANSWER_ACTION:
                        row["answers"] += 1
                    elif action == CLARIFY_ACTION:
                        row["clarifications"] += 1
                    elif action == DOSING_ACTION:
                        row["dosing"] += 1
                    elif action and action.startswith(CRISIS_PREFIX) and action not in CRISIS_EXCLUDE:
                        row["crisis"] += 1
        except sa.exc.SQLAlchemyError as exc:
            log.warning("weekly table: tracker store not readable (%s)", type(exc).__name__)
            available = False
    for week, n in referrals.weekly_callback_counts(weeks, db_url=db_url).items():
        if week in counts:
            counts[week]["callbacks"] = n
    top = sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TOPICS]
    return WeeklyActivity(week_list, counts, top, available)


def tracker_engine_of(app: Any) -> sa.engine.Engine | None:
    """The SQL engine of the running Rasa's tracker store, if it is an SQL one."""
    agent = getattr(getattr(app, "ctx", None), "agent", None)
    store = getattr(agent, "tracker_store", None)
    store = getattr(store, "_tracker_store", store)  # Rasa wraps stores (AwaitableTrackerStore)
    engine = getattr(store, "engine", None)
    return engine if isinstance(engine, sa.engine.Engine) else None


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

QUEUE_STYLE = """
.queue td, .queue th { vertical-align: top; }
.queue form { display: inline; margin: 0; }
.queue button, a.button { font: inherit; min-height: 44px; padding: 0.4rem 0.8rem; background: #1f4e79; vertical-align: middle; box-sizing: border-box; line-height: 1.75;
  color: #fff; border: 0; border-radius: 6px; text-decoration: none; display: inline-block; }
.scroll { overflow-x: auto; max-width: 100%; }
.ref { font-family: ui-monospace, Menlo, Consolas, monospace; font-weight: 700; letter-spacing: 0.05em; }
.notice { background: #e8f1e4; border-left: 4px solid #2e6b1f; padding: 0.5rem 0.75rem; }
@media (max-width: 40rem) { .queue thead { display: none; } .queue tr { display: block; margin-bottom: 1rem; }
  .queue td { display: block; border: 0; padding: 0.1rem 0; } .queue td::before { content: attr(data-label) ": ";
  font-weight: 600; } }
"""


def link(path: str, **params: str) -> str:
    """A staff URL with its query (never a token: staff sign in with a session cookie)."""
    return path + ("?" + urlencode(params) if params else "")


def _page(title: str, body: Iterable[str], style: str) -> str:
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{style}{QUEUE_STYLE}</style></head><body>"
        + "".join(body) + "</body></html>"
    )


def _nav() -> str:
    return (
        '<nav aria-label="Staff pages"><a href="' + _e(link("/staff")) + '">FAQ tool</a>'
        ' &middot; <a href="' + _e(link("/staff/queue")) + '">Callback queue</a>'
        ' &middot; <a href="' + _e(link("/staff/queue.csv")) + '">Export CSV</a></nav>'
    )


def _done_form(r: CallbackRequest) -> str:
    action = link(f"/staff/queue/{quote(r.reference or str(r.id))}/done")
    return (
        f'<form method="post" action="{_e(action)}">'
        f'<button type="submit" aria-label="Mark done: request {_e(r.reference)}">Mark done</button></form>'
    )


def render_queue(
    rows: list[CallbackRequest], activity: WeeklyActivity, style: str = "",
    notice: str = "",
) -> str:
    """The queue page: open requests oldest first, the export link, and the weekly table."""
    parts = [
        "<header><h1>Callback queue</h1>", _nav(), "</header><main>",
    ]
    if notice:
        parts.append(f'<p class="notice" role="status">{_e(notice)}</p>')
    parts.append(f'<h2 id="open">Open requests ({len(rows)}), oldest first</h2>')
    if rows:
        parts.append(
            '<table class="queue"><thead><tr><th scope="col">Reference</th><th scope="col">Received (UTC)</th>'
            '<th scope="col">Name</th><th scope="col">Contact</th><th scope="col">Best time</th>'
            '<th scope="col">Topic</th><th scope="col">Actions</th></tr></thead><tbody>'
        )
        for r in rows:
            open_url = link(f"/staff/queue/{quote(r.reference or str(r.id))}")
            parts.append(
                f'<tr id="request-{_e(r.reference)}">'
                f'<td data-label="Reference" class="ref">{_e(r.reference)}</td>'
                f'<td data-label="Received">{_e(_when(r.created_at))}</td>'
                f'<td data-label="Name">{_e(r.name)}</td>'
                f'<td data-label="Contact">{_e(r.contact_display)}</td>'
                f'<td data-label="Best time">{_e(r.preferred_time or "Any time")}</td>'
                f'<td data-label="Topic">{_e(r.topic)}</td>'
                f'<td data-label="Actions"><a class="button" href="{_e(open_url)}" aria-label="Open request {_e(r.reference)}">Open</a> '
                f"{_done_form(r)}</td></tr>"
            )
        parts.append("</tbody></table>")
    else:
        parts.append("<p>No open callback requests.</p>")
    parts.append(
        '<p><a href="' + _e(link("/staff/queue.csv")) + '">Export all requests as CSV</a> '
        '&middot; <a href="' + _e(link("/staff/queue.csv", status="open")) + '">open ones only</a></p>'
    )
    parts.append(render_weekly(activity))
    parts.append("</main>")
    return _page("Staff: callback queue", parts, style)


def render_weekly(activity: WeeklyActivity) -> str:
    head = "".join(f'<th scope="col">{_e(label)}</th>' for _, label in WEEKLY_COLUMNS)
    body = "".join(
        f'<tr><th scope="row">{_e(week.isoformat())}</th>'
        + "".join(f"<td>{activity.counts[week][key]}</td>" for key, _ in WEEKLY_COLUMNS)
        + "</tr>"
        for week in activity.weeks
    )
    parts = [
        '<h2 id="weekly">What people asked, per week</h2>',
        "<p>Counts only: no messages, names or contact details. Weeks start on Monday (UTC).</p>",
        f'<div class="scroll" tabindex="0" role="region" aria-label="Weekly counts">'
        f'<table id="weekly-table"><thead><tr><th scope="col">Week of</th>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>",
    ]
    if not activity.conversations_available:
        parts.append("<p>Conversation counts are not available from this tracker store.</p>")
    if activity.topics:
        parts.append(
            f'<h3>Most asked topics, last {len(activity.weeks)} weeks</h3><table id="topics-table"><thead><tr>'
            '<th scope="col">Topic</th><th scope="col">Times asked</th></tr></thead><tbody>'
            + "".join(f"<tr><td><code>{_e(t)}</code></td><td>{n}</td></tr>" for t, n in activity.topics)
            + "</tbody></table>"
        )
    return "".join(parts)


def render_request(
    r: CallbackRequest, views: list[RequestView], style: str = "",
) -> str:
    """One request in full, with the audit trail of who viewed it."""
    fields = [
        ("Reference", r.reference), ("Status", r.status), ("Received (UTC)", _when(r.created_at)),
        ("Done (UTC)", _when(r.done_at) if r.done_at else "-"), ("Topic", r.topic), ("Name", r.name),
        ("Contact", f"{r.contact_display} ({r.contact_kind})"), ("Best time", r.preferred_time or "Any time"),
    ]
    parts = [
        f"<header><h1>Callback request <span class=\"ref\">{_e(r.reference)}</span></h1>",
        _nav(), "</header><main><dl id=\"request\">",
        "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in fields), "</dl>",
    ]
    if r.status != "done":
        parts.append(_done_form(r))
    parts.append('<h2 id="audit">Viewed by</h2><div class="scroll"><table id="audit-table"><thead><tr><th scope="col">When (UTC)</th>'
                 '<th scope="col">Who</th><th scope="col">What</th></tr></thead><tbody>')
    parts.extend(
        f"<tr><td>{_e(_when(v.viewed_at))}</td><td>{_e(v.viewer)}</td><td>{_e(v.action)}</td></tr>" for v in views
    )
    parts.append("</tbody></table></div></main>")
    return _page(f"Staff: request {r.reference}", parts, style)
