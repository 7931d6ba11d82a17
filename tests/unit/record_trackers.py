"""Record the action unit tests' trackers (tests/unit/trackers/*.json) from the real servers.

Run by hand, after changing a form, its slots or what Rasa puts on the tracker::

    PYTHONPATH=. .venv/bin/python tests/unit/record_trackers.py

(the same as ``pytest tests/unit/record_trackers.py``; the file is not collected by ``pytest
tests/unit``: its name does not start with ``test_``). It needs the trained model
(``python -m bot train``) and takes about a minute.

Why recorded, not written: a hand-written tracker holds what its author believed Rasa sends, and
the action tests then pass on a conversation Rasa never produces. Here the servers are the
conversation tests' own (the session ``chat`` fixture of tests/conftest.py, started by
bot/servers.py), each conversation is driven over REST to its point, and the tracker is read
through Rasa's API with ``include_events=ALL``: ``DialogueStateTracker.current_state(ALL)``,
exactly what ``RemoteAction._action_call_format`` (rasa/core/actions/action.py) sends the action
server as ``tracker``. For a point inside a turn (the questionnaire answered, before
``action_screening_result`` runs) the tracker is read with ``until=`` the timestamp of the event
just before that action: what Rasa sent that action.

Only what changes between two recordings of the same conversation is removed (``deterministic``):
timestamps, message ids, the model id, the NLU's ranking of other intents and the response
selector; floats (model scores) are rounded to two decimals. The sender ids are fixed names
(``recorded-<fixture>``), the servers' databases are fresh, so two recordings with the same model
give the same files. tests/unit/test_tracker_fixtures.py fails when a fixture no longer fits
domain.yml.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any, Optional

import pytest

from bot.tracker_events import since_latest_user
from tests.unit.conftest import TRACKERS

#: Keys whose values differ on every run (or every training) and that no action reads.
VOLATILE_KEYS = frozenset({"timestamp", "latest_event_time", "message_id", "model_id", "intent_ranking", "response_selector"})
#: Decimals kept of a float. With the timestamps gone, every float on these trackers is a model
#: score (intent and action confidences, the two NLU opinions): rounded, so a retrain moves them
#: less often.
SCORE_DECIMALS = 2

SCREENING_ANSWERS = ["yes", "yes", "yes", "no", "not sure", "no", "no", "skip", "yes"]


@dataclass(frozen=True)
class Recording:
    """One recorded point: the messages that lead there and what the tracker must show."""

    messages: tuple[str, ...]
    requested_slot: Optional[str]
    active_loop: Optional[str]
    #: Record what Rasa sent this action (inside the last turn), not the state after the turn.
    before_action: Optional[str] = None


CALLBACK_TO_CONTACT = ("/request_callback", "yes", "Ann Lee")
RECORDINGS = {
    "callback_contact_step": Recording(CALLBACK_TO_CONTACT, "callback_contact", "callback_form"),
    "callback_confirm_step": Recording(
        CALLBACK_TO_CONTACT + ("212 555 0147", "mornings"), "callback_confirm", "callback_form"
    ),
    "screening_first_question": Recording(("/start_screening",), "long_term_use", "screening_form"),
    "screening_all_answered": Recording(
        ("/start_screening", *SCREENING_ANSWERS), None, None, before_action="action_screening_result"
    ),
}


def deterministic(value: Any) -> Any:
    """``value`` without ``VOLATILE_KEYS`` and with rounded floats, at every depth."""
    if isinstance(value, dict):
        return {k: deterministic(v) for k, v in value.items() if k not in VOLATILE_KEYS}
    if isinstance(value, list):
        return [deterministic(v) for v in value]
    if isinstance(value, float):
        return round(value, SCORE_DECIMALS)
    return value


def read_tracker(chat: Any, sender: str, until: Optional[float] = None) -> dict[str, Any]:
    """The tracker as the action server receives it (``include_events=ALL``), read with the
    session's API token (``Chat.api``)."""
    params: dict[str, Any] = {"include_events": "ALL"}
    if until is not None:
        params["until"] = repr(until)
    resp = chat.api("GET", f"/conversations/{chat.conversation_id(sender)}/tracker", params=params)
    resp.raise_for_status()
    return resp.json()


def record(chat: Any, name: str, recording: Recording) -> dict[str, Any]:
    sender = f"recorded-{name}"
    for message in recording.messages:
        chat.send(sender, message)
    state = read_tracker(chat, sender)
    if recording.before_action is not None:
        events = state["events"]
        at = max(i for i, e in enumerate(events) if e["event"] == "action" and e["name"] == recording.before_action)
        state = read_tracker(chat, sender, until=events[at - 1]["timestamp"])
        assert not [e for e in since_latest_user(state["events"]) if e.get("name") == recording.before_action]
    return deterministic(state)


@pytest.mark.parametrize("name", sorted(RECORDINGS))
def test_record(chat: Any, name: str) -> None:
    """Drive the conversation, check it reached its point, and write the fixture."""
    recording = RECORDINGS[name]
    state = record(chat, name, recording)
    assert state["slots"]["requested_slot"] == recording.requested_slot, state["slots"]
    assert (state["active_loop"] or {}).get("name") == recording.active_loop, state["active_loop"]
    (TRACKERS / f"{name}.json").write_text(json.dumps(state, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q", "-p", "no:cacheprovider"]))
