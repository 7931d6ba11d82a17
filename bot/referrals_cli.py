"""Staff command for the callback queue: ``python -m bot referrals list | show ID | done ID | export``.

ID is the request's number or its reference ("K7M2QX", the one the patient was given); phone
numbers are shown formatted ("(212) 555-0147"), as staff dial them.

Kept apart from ``bot/cli.py`` so the queue's command can be tested on its own (``referrals_main``
takes argv and returns an exit code instead of calling ``sys.exit``). Output goes to stdout for
the staff member at the terminal; it shows names and contacts because that is its purpose, but
nothing here writes them to a log.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence

from bot import referrals
from bot.referrals import CallbackRequest

_TABLE_COLUMNS = ("ID", "Ref", "Created (UTC)", "Status", "Topic", "Name", "Contact", "Preferred time")
_MAX_CELL = 32


def _when(value: dt.datetime | None) -> str:
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M") if value else "-"


def _cell(value: object) -> str:
    text = " ".join(str(value if value not in (None, "") else "-").split())
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 3] + "..."


def format_table(rows: Sequence[CallbackRequest]) -> str:
    """A plain aligned table: readable in any terminal, easy to paste into an email."""
    body = [
        [str(r.id), r.reference, _when(r.created_at), r.status, r.topic, r.name, r.contact_display,
         r.preferred_time]
        for r in rows
    ]
    cells = [list(_TABLE_COLUMNS)] + [[_cell(v) for v in row] for row in body]
    widths = [max(len(row[i]) for row in cells) for i in range(len(_TABLE_COLUMNS))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_request(r: CallbackRequest) -> str:
    """Every field of one request, one per line (no truncation, unlike the table)."""
    fields = [
        ("ID", r.id),
        ("Reference", r.reference or "-"),
        ("Status", r.status),
        ("Created (UTC)", _when(r.created_at)),
        ("Done (UTC)", _when(r.done_at) if r.done_at else "-"),
        ("Topic", r.topic),
        ("Name", r.name),
        ("Contact", f"{r.contact_display} ({r.contact_kind})"),
        ("Stored as", r.contact),
        ("Preferred time", r.preferred_time or "-"),
    ]
    width = max(len(k) for k, _ in fields)
    return "\n".join(f"{k + ':':<{width + 1}} {v}" for k, v in fields)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot referrals",
        description="Work through the callback requests that patients left with the assistant.",
    )
    parser.add_argument(
        "--db-url",
        default=None,
        help=f"database URL (default: ${referrals.DB_URL_ENV} or sqlite:///var/referrals.db)",
    )
    # --db-url is accepted after the command too ("referrals list --db-url URL"), which is how
    # people type it; SUPPRESS keeps a value given before the command.
    db_url = argparse.ArgumentParser(add_help=False)
    db_url.add_argument("--db-url", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p_list = sub.add_parser(
        "list", parents=[db_url], help="list requests (open ones unless told otherwise)"
    )
    group = p_list.add_mutually_exclusive_group()
    group.add_argument("--status", choices=referrals.STATUSES, default="open")
    group.add_argument("--all", action="store_true", help="open and done requests")

    p_show = sub.add_parser("show", parents=[db_url], help="show one request in full (by id or reference)")
    p_show.add_argument("id", metavar="ID_OR_REF")

    p_done = sub.add_parser("done", parents=[db_url], help="mark a request as done (by id or reference)")
    p_done.add_argument("id", metavar="ID_OR_REF")

    p_export = sub.add_parser("export", parents=[db_url], help="export requests to a CSV file")
    p_export.add_argument("--csv", required=True, metavar="FILE", help="file to write")
    p_export.add_argument("--status", choices=referrals.STATUSES, default=None,
                          help="only open or only done requests (default: all)")
    return parser


def referrals_main(argv: list[str]) -> int:
    """Run one staff command; returns the exit code (0 ok, 1 not found, 2 usage error)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help and on usage errors
        return int(exc.code or 0)

    if args.command == "list":
        status = None if args.all else args.status
        rows = referrals.list_requests(status, db_url=args.db_url)
        if not rows:
            label = "" if status is None else f"{status} "
            print(f"No {label}callback requests.")
            return 0
        print(format_table(rows))
        print(f"\n{len(rows)} request(s).")
        return 0

    if args.command in ("show", "done"):
        fetch = referrals.get_request if args.command == "show" else referrals.mark_done
        request = fetch(args.id, db_url=args.db_url)
        if request is None:
            print(f"No callback request with id {args.id}.", file=sys.stderr)
            return 1
        if args.command == "show":
            print(format_request(request))
        else:
            print(f"Request {request.id} ({request.reference}) is done (since {_when(request.done_at)} UTC).")
        return 0

    if args.command == "export":
        count = referrals.export_csv(args.csv, args.status, db_url=args.db_url)
        print(f"Exported {count} request(s) to {args.csv}.")
        return 0

    parser.print_usage(sys.stderr)  # unreachable: argparse enforces the choices
    return 2
