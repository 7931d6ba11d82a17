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
says how many requests were deleted, never who asked.
"""
from __future__ import annotations

import logging
import time

from bot import referrals
from bot.safety import load_clinic

log = logging.getLogger(__name__)

CONFIRM_BUTTONS = [
    {"title": "Yes, delete it", "payload": "/affirm"},
    {"title": "No, keep it", "payload": "/deny"},
]


def _clinic_name() -> str:
    return str(load_clinic()["clinic"].get("name") or "the clinic")


def confirm_text() -> str:
    return (
        "I can delete this conversation and any callback request you made in it. After that, I "
        "will not remember anything you told me here, and the clinic will not call you back "
        "about those requests. Do you want me to delete it?"
    )


def done_text(requests_deleted: int) -> str:
    if requests_deleted == 0:
        requests = "There were no callback requests to delete."
    elif requests_deleted == 1:
        requests = "I also deleted your callback request."
    else:
        requests = f"I also deleted your {requests_deleted} callback requests."
    return (
        f"Done. I deleted this conversation. {requests} If you write again, we start fresh. "
        f"To ask {_clinic_name()} about anything else they hold about you, contact them directly."
    )


def kept_text() -> str:
    return "Okay, I did not delete anything. What else can I help you with?"


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
