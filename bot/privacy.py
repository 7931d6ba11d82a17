""""Forget me": what the patient is asked, what is deleted, and what they are told.

Three stores hold data about a conversation:
- the unanswered-questions report (``bot.unanswered``; entries found by the same salted hash),
  cleaned here by ``forget_unanswered``;
- the callback requests (``bot.referrals``; rows found by a salted hash of the sender id), deleted
  here, by the action server, through ``bot.referrals.forget_sender``;
- the conversation itself (Rasa's tracker store), deleted by Rasa's side
  (``bot.tracker_store.OIHSQLTrackerStore``) when it saves the turn in which ``action_forget_me``
  returned ``AllSlotsReset``. It cannot be done from the action server: Rasa writes the whole
  in-memory conversation back at the end of the turn.

Nothing is deleted before the patient confirms (``action_forget_me_ask`` asks first). The log
says how many requests were deleted, never who asked. What the patient reads is in
knowledge/privacy.yml (domain responses ``utter_forget_me_*``, built by bot/replies.py).

The web chat's "Quick exit" and "New chat" (bot/channels/webchat.py, ``POST /webchat/forget``)
delete the same three things without a chat turn: ``forget_conversation`` runs in Rasa's process,
under the conversation's lock (so a reply still being worked on is saved first and then deleted,
never written back after the deletion), and calls the same ``forget_person_data`` as the action.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from bot import referrals

log = logging.getLogger(__name__)

def done_response(requests_deleted: int) -> str:
    """The domain response after "yes" (wording: knowledge/privacy.yml ``done``), by how many
    callback requests were deleted; the count itself is filled in by Rasa (``{count}``)."""
    if requests_deleted == 0:
        return "utter_forget_me_done_none"
    return "utter_forget_me_done_one" if requests_deleted == 1 else "utter_forget_me_done_many"


def forget_unanswered(sender_id: str) -> int:
    """This conversation's entries in the unanswered-questions report (bot/unanswered.py)."""
    from bot import unanswered

    removed = unanswered.forget_sender(sender_id)
    log.info("forget me: removed %d unanswered-question entr%s", removed, "y" if removed == 1 else "ies")
    return removed


def forget_callback_requests(sender_id: str, *, db_url: str | None = None, attempts: int = 2) -> int:
    """``referrals.forget_sender`` with one retry: after a database restart the first pooled
    connection is dead (SQLAlchemy discards it on the error, so the second attempt reconnects)."""
    from sqlalchemy.exc import DBAPIError

    for attempt in range(1, attempts + 1):
        try:
            return referrals.forget_sender(sender_id, db_url=db_url)
        except DBAPIError as exc:
            if attempt == attempts or not exc.connection_invalidated:
                raise
            log.warning("forget me: database connection lost; retrying once")
            time.sleep(0.5)
    return 0  # pragma: no cover - the loop returns or raises


def forget_person_data(sender_id: str) -> int:
    """Everything of this conversation outside the tracker store: its callback requests and its
    unanswered-question entries. Returns how many callback requests were deleted."""
    deleted = forget_callback_requests(sender_id)
    forget_unanswered(sender_id)
    return deleted


@dataclass
class Forgotten:
    events: int
    callback_requests: int


async def delete_tracker(tracker_store: Any, sender_id: str) -> int:
    """Delete a conversation from Rasa's tracker store; returns how many events went (for the
    in-memory store, which keeps a conversation as one record: 1 or 0).

    Rasa wraps the configured store in a ``FailSafeTrackerStore``; the deletion goes to the store
    inside (``OIHSQLTrackerStore.delete``). Rasa's in-memory store (no endpoints file) is
    handled too; any other store cannot delete, which is an error rather than a silent no-op.
    """
    from rasa.core.tracker_store import InMemoryTrackerStore

    store = getattr(tracker_store, "_tracker_store", tracker_store)
    fallback = getattr(tracker_store, "_fallback_tracker_store", None)
    if isinstance(fallback, InMemoryTrackerStore):  # turns saved while the database was down
        fallback.store.pop(sender_id, None)
    if isinstance(store, InMemoryTrackerStore):
        return 1 if store.store.pop(sender_id, None) is not None else 0
    delete = getattr(store, "delete", None)
    if delete is None:
        raise NotImplementedError(f"{type(store).__name__} cannot delete a conversation")
    return int(await delete(sender_id))


async def forget_conversation(agent: Any, sender_id: str) -> Forgotten:
    """ "Forget me" without a chat turn: the conversation, its callback requests and its
    unanswered-question entries, under the conversation's lock (Rasa's lock store)."""
    async with agent.lock_store.lock(sender_id):
        events = await delete_tracker(agent.tracker_store, sender_id)
        requests = forget_person_data(sender_id)
    log.info("forget now: deleted a conversation (%d events, %d callback requests)", events, requests)
    return Forgotten(events, requests)
