"""Rasa's SQL tracker store with two additions both profiles need: reconnects and "forget me".

Named in endpoints.yml (SQLite) and endpoints.prod.yml (PostgreSQL) as
``type: bot.tracker_store.OIHSQLTrackerStore`` with exactly the parameters of Rasa's ``type: SQL``.

1. **Reconnect after a database restart** (PostgreSQL), **no fsync per message** (SQLite). Rasa 3.6 creates its engine without
   ``pool_pre_ping``; after PostgreSQL restarts, every pooled connection is dead, and Rasa's
   fail-safe wrapper then silently serves the conversation from an in-memory store (the patient's
   context is lost, and another instance never sees those turns). With ``pool_pre_ping`` each
   checkout tests its connection first and replaces a dead one, so the next message after a
   restart reads and writes the real database. On SQLite (the default profile) connections are
   pooled instead of opened per query, in WAL mode (see ``_sqlite_pragmas``); measured with
   ``make bench``.

2. **"Forget me".** Rasa 3.6 has no tracker delete, and the action server cannot delete the
   conversation itself: Rasa saves the whole in-memory tracker again at the end of the turn
   (``save`` appends every event the database does not have, i.e. all of them once the rows are
   gone). So the deletion happens here, inside ``save``, under the conversation's lock: when the
   turn being saved ran ``action_forget_me`` *and* that action returned its ``AllSlotsReset``
   (it only does after the patient confirmed and the callback requests were deleted), every row
   of that sender is deleted and nothing is written back. The next message starts a new, empty
   conversation.
"""
from __future__ import annotations

import logging
from typing import Any, Optional

import sqlalchemy as sa
from rasa.core.tracker_store import create_engine_kwargs
from rasa.shared.core.events import ActionExecuted, AllSlotsReset
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.pool import QueuePool

from bot.rasa_seams import DataOnlySQLTrackerStore
from bot.tracker_events import since_latest_user

logger = logging.getLogger(__name__)

FORGET_ACTION = "action_forget_me"


def forget_confirmed(tracker: DialogueStateTracker) -> bool:
    """True when the latest turn ran ``action_forget_me`` and it returned ``AllSlotsReset``."""
    after_action = False
    for event in reversed(since_latest_user(tracker.events)):
        if isinstance(event, AllSlotsReset):
            after_action = True
        elif isinstance(event, ActionExecuted):
            if event.action_name == FORGET_ACTION and after_action:
                return True
            if event.action_name != "action_listen":
                after_action = False
    return False


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL journal + synchronous=NORMAL: one fsync per checkpoint instead of per commit.

    SQLite's defaults (rollback journal, synchronous=FULL) fsync on every commit, i.e. on every
    message; Rasa's calls are synchronous, so the whole server waits for the disk. In WAL mode a
    crash of the process loses nothing; a power cut can lose the last transactions, never corrupt
    the file. Readers (staff tools, tests) no longer block the writer either.
    """
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        # Deleted rows are overwritten with zeros ("forget me", purge), not just unlinked. Debian's
        # SQLite has it on by default; other builds do not (security review M4).
        cursor.execute("PRAGMA secure_delete=ON")
    finally:
        cursor.close()


def checkpoint(engine: Any) -> None:
    """SQLite: move the WAL into the database file and truncate the WAL (best effort)."""
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except Exception as exc:  # noqa: BLE001 - the delete itself succeeded; the next checkpoint will do
        logger.warning("forget me: WAL checkpoint failed (%s)", type(exc).__name__)


class OIHSQLTrackerStore(DataOnlySQLTrackerStore):
    """``SQLTrackerStore`` + ``pool_pre_ping`` + ``delete`` + forget-me on save.

    The engine swap and the faster ``_retrieve`` reach into Rasa's private API: they are in
    ``bot.rasa_seams.DataOnlySQLTrackerStore``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        if self.engine.dialect.name == "sqlite":
            engine = sa.create_engine(
                url, poolclass=QueuePool, pool_size=2, max_overflow=8,
                connect_args={"check_same_thread": False},
            )
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.use_engine(engine)

    async def save(self, tracker: DialogueStateTracker) -> None:
        if forget_confirmed(tracker):
            deleted = await self.delete(tracker.sender_id)
            # The count only: the sender id may be a phone number on some channels.
            logger.info("forget me: deleted a conversation (%d events)", deleted)
            return
        await super().save(tracker)

    async def delete(self, sender_id: str) -> int:
        """Delete every stored event of ``sender_id`` (all sessions); returns how many.

        On SQLite the deleted rows are zeroed (``secure_delete``) in the pages written to the WAL;
        a ``wal_checkpoint(TRUNCATE)`` then copies those pages into the database file and empties
        the WAL, whose older frames still held the text. After it, no byte of the conversation is
        left in either file (tests/reliability/test_retention.py). PostgreSQL keeps dead rows
        until VACUUM: ``python -m bot purge`` runs it.
        """
        with self.session_scope() as session:
            deleted = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id == sender_id)
                .delete(synchronize_session=False)
            )
            session.commit()
        if self.engine.dialect.name == "sqlite":
            checkpoint(self.engine)
        return int(deleted or 0)

    async def count_events(self, sender_id: str) -> int:
        """How many events are stored for ``sender_id`` (for tests and staff checks)."""
        with self.session_scope() as session:
            return int(
                session.query(sa.func.count(self.SQLEvent.id)).filter(self.SQLEvent.sender_id == sender_id).scalar()
                or 0
            )


def tracker_store_from_endpoints(path: str, domain: Optional[Any] = None) -> OIHSQLTrackerStore:
    """The tracker store an endpoints file describes (tests use it to look at the database)."""
    from rasa.core.utils import read_endpoints_from_path

    endpoints = read_endpoints_from_path(path)
    cfg = endpoints.tracker_store
    if cfg is None:
        raise ValueError(f"{path} has no tracker_store")
    return OIHSQLTrackerStore(domain=domain, host=cfg.url, **cfg.kwargs)
