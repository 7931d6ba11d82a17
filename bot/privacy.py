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
"""
from __future__ import annotations

import logging
import time

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
