"""The recorded trackers (tests/unit/trackers/) still fit domain.yml and the form they stand at.

Why: the action unit tests are only as true as their trackers. A fixture recorded before a slot,
a step, an action or an intent was added or renamed still loads, and the tests would go on
passing on a conversation Rasa can no longer produce. Each check below fails on such a change;
the fix is to re-record (tests/unit/record_trackers.py), not to edit the JSON by hand.
"""
from __future__ import annotations

import json
from typing import Any

import pytest
from rasa.shared.core.constants import DEFAULT_ACTION_NAMES, DEFAULT_INTENTS, DEFAULT_SLOT_NAMES
from rasa_sdk import Tracker

from tests.unit.conftest import TRACKERS
from tests.unit.record_trackers import RECORDINGS, deterministic

NAMES = sorted(RECORDINGS)


def load(name: str) -> dict[str, Any]:
    return json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8"))


def intent_names(domain: dict[str, Any]) -> set[str]:
    return {i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]} | set(DEFAULT_INTENTS)


def test_every_recording_has_its_fixture_and_no_other_fixture_exists() -> None:
    assert sorted(p.stem for p in TRACKERS.glob("*.json")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_the_fixture_is_a_recorded_tracker(name: str) -> None:
    """What the recorder writes: nothing volatile left, and rasa-sdk reads it."""
    state = load(name)
    assert deterministic(state) == state
    assert state["sender_id"] == f"rest:recorded-{name}"
    assert Tracker.from_dict(state).sender_id == state["sender_id"]


@pytest.mark.parametrize("name", NAMES)
def test_its_slots_are_the_domains_slots(name: str, domain: dict[str, Any]) -> None:
    assert set(load(name)["slots"]) - DEFAULT_SLOT_NAMES == set(domain["slots"])


@pytest.mark.parametrize("name", NAMES)
def test_it_stands_where_it_was_recorded_on_a_step_of_the_form(name: str, domain: dict[str, Any]) -> None:
    """The active form and the requested slot are the recording's, and the form's slots are what
    a real form at that step holds: every step before it answered, it and every later one empty."""
    state, recording = load(name), RECORDINGS[name]
    slots = state["slots"]
    assert slots["requested_slot"] == recording.requested_slot
    assert (state["active_loop"] or {}).get("name") == recording.active_loop
    form = recording.active_loop or _form_of(state)
    required = domain["forms"][form]["required_slots"]
    if recording.requested_slot is None:  # the form is complete
        assert all(slots[s] is not None for s in required), slots
        return
    assert recording.requested_slot in required
    step = required.index(recording.requested_slot)
    assert all(slots[s] is not None for s in required[:step]), slots
    assert all(slots[s] is None for s in required[step:]), slots


def _form_of(state: dict[str, Any]) -> str:
    """The form the conversation ran last (for a fixture recorded after the form ended)."""
    loops = [e["name"] for e in state["events"] if e["event"] == "active_loop" and e.get("name")]
    return loops[-1]


@pytest.mark.parametrize("name", NAMES)
def test_its_actions_and_intents_are_the_domains(name: str, domain: dict[str, Any]) -> None:
    known_actions = (
        set(domain["actions"]) | set(domain["responses"]) | set(domain["forms"]) | set(DEFAULT_ACTION_NAMES)
    )
    events = load(name)["events"]
    actions = {e["name"] for e in events if e["event"] == "action"}
    intents = {e["parse_data"]["intent"]["name"] for e in events if e["event"] == "user"}
    assert actions - known_actions == set()
    assert intents - intent_names(domain) == set()
