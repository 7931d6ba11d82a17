"""Retention: ``python -m bot purge`` deletes what is older than ``OIH_RETENTION_DAYS`` (default 30).

What goes (security review M4):
- conversations whose latest event is older than the cut-off (every event of them: a conversation
  is kept or deleted whole, so an active one never loses its beginning);
- callback requests marked done before the cut-off (open ones stay until staff handle them);
- unanswered-question entries recorded before the cut-off.
Then the deleted bytes: SQLite databases get ``secure_delete`` (zeroed rows), a WAL checkpoint
(TRUNCATE) and ``VACUUM`` (rebuilds the file without free pages); PostgreSQL tables get ``VACUUM``
(dead rows are otherwise kept until autovacuum; backups and WAL archives keep what they hold until
they expire: set their retention to match).

Run it daily (docs/operations.md: a systemd timer or cron line). It prints counts only, never content.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from bot.paths import ROOT, VAR_DIR

log = logging.getLogger(__name__)

RETENTION_ENV = "OIH_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 30


@dataclass
class PurgeResult:
    conversations: int = 0
    events: int = 0
    callback_requests: int = 0
    unanswered: int = 0

    def __str__(self) -> str:
        return (f"deleted {self.conversations} conversation(s) ({self.events} events), "
                f"{self.callback_requests} handled callback request(s), {self.unanswered} unanswered-question entr(ies)")


def retention_days(env: dict[str, str] | None = None) -> int:
    raw = (env if env is not None else os.environ).get(RETENTION_ENV) or str(DEFAULT_RETENTION_DAYS)
    days = int(raw)
    if days < 1:
        raise ValueError(f"{RETENTION_ENV} must be a whole number of days, at least 1")
    return days


def tracker_db_url(endpoints: str = "endpoints.yml") -> str:
    """The tracker store's SQLAlchemy URL, as Rasa builds it from an endpoints file."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.core.utils import read_endpoints_from_path

    os.environ.setdefault("OIH_TRACKER_DB", str(VAR_DIR / "tracker.db"))
    os.environ.setdefault("ACTION_ENDPOINT_URL", "http://127.0.0.1:5055/webhook")
    os.environ.setdefault("OIH_ACTIONS_SECRET", "-" * 32)  # only to read the file; unused here
    path = Path(endpoints) if Path(endpoints).is_absolute() else ROOT / endpoints
    cfg = read_endpoints_from_path(path).tracker_store
    if cfg is None:
        raise ValueError(f"{endpoints} has no tracker_store")
    kw: dict[str, Any] = cfg.kwargs
    return str(SQLTrackerStore.get_db_url(
        kw.get("dialect", "sqlite"), cfg.url, kw.get("port"), kw.get("db", "rasa.db"),
        kw.get("username"), kw.get("password"), kw.get("login_db"), kw.get("query"),
    ))


def scrub(engine: Any) -> None:
    """Make deleted rows unrecoverable from the database files (see the module docstring)."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA secure_delete=ON")
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.exec_driver_sql("VACUUM")
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    elif engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM")


def _sqlite_secure(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
    finally:
        cursor.close()


def purge_conversations(db_url: str, cutoff: dt.datetime) -> tuple[int, int]:
    """(conversations, events) deleted: every conversation whose latest event is before ``cutoff``."""
    from sqlalchemy import event, inspect

    engine = create_engine(db_url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_secure)
    try:
        if not inspect(engine).has_table("events"):
            return 0, 0
        old = ("SELECT sender_id FROM events GROUP BY sender_id HAVING max(timestamp) < :cutoff")
        with engine.begin() as conn:
            senders = [row[0] for row in conn.execute(text(old), {"cutoff": cutoff.timestamp()})]
            events = 0
            for sender in senders:
                events += conn.execute(text("DELETE FROM events WHERE sender_id = :s"), {"s": sender}).rowcount or 0
        scrub(engine)
        return len(senders), events
    finally:
        engine.dispose()


def purge(days: int | None = None, endpoints: str = "endpoints.yml", tracker_url: str | None = None,
          referrals_url: str | None = None, var_dir: Path = VAR_DIR,
          now: dt.datetime | None = None) -> PurgeResult:
    from bot import referrals, unanswered

    days = retention_days() if days is None else days
    cutoff = (now or dt.datetime.now(dt.timezone.utc)) - dt.timedelta(days=days)
    result = PurgeResult()
    result.conversations, result.events = purge_conversations(tracker_url or tracker_db_url(endpoints), cutoff)
    result.callback_requests = referrals.purge_done_before(cutoff, db_url=referrals_url)
    scrub(referrals.get_engine(referrals_url))
    result.unanswered = unanswered.purge_older_than(cutoff, var_dir)
    log.info("retention (%d days): %s", days, result)
    return result
