"""Action unit tests' set-up: recorded trackers (tests/unit/trackers/*.json) and the domain.

As rasa-demo and financial-demo do, an action runs directly, ``await action.run(dispatcher,
tracker, domain)``, on a rasa-sdk ``Tracker`` built from a JSON fixture: no Rasa server, no
action server, no trained model. The fixtures are recorded from the real servers, not written by
hand: each is the tracker dict Rasa sends the action server (``current_state`` with every event)
at one point of a real conversation over REST, a form waiting for the person's reply (or, for
``screening_all_answered``, what ``action_screening_result`` receives). ``tracker_at`` appends the
reply with the intent and the SafetyScreen record a test chooses, so one fixture serves many cases.

Re-recording (after changing a form, its slots, or an action or intent the fixtures show; the
checks in test_tracker_fixtures.py say when): with a trained model (``python -m bot train``), run
``PYTHONPATH=. .venv/bin/python tests/unit/record_trackers.py``. It starts the conversation
tests' servers (tests/conftest.py ``chat``), drives each conversation of its ``RECORDINGS``, and
rewrites tests/unit/trackers/*.json; timestamps, message and model ids are removed and scores
rounded, so an unchanged bot records the same files. Review the diff like any other change.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Callable, Optional

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TRACKERS = Path(__file__).resolve().parent / "trackers"


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """domain.yml as a dict: forms and slots are what the validation actions read from it."""
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def user_turn(
    text: str, intent: str, confidence: float = 0.95, safety: Optional[dict[str, Any]] = None
) -> dict[str, Any]:
    """A parsed message as Rasa puts it on the tracker (``safety``: the SafetyScreen's record)."""
    message: dict[str, Any] = {"text": text, "intent": {"name": intent, "confidence": confidence}}
    if safety is not None:
        message["safety"] = safety
    return message


@pytest.fixture(scope="session")
def loaded_knowledge() -> None:
    """Read knowledge/ once per session, so each action test measures the action, not the load."""
    from bot.knowledge import cached_knowledge
    from bot.screening import cached_screening

    cached_knowledge()
    cached_screening()


@pytest.fixture
def tracker_at(loaded_knowledge: None) -> Callable[..., Any]:
    """``tracker_at(fixture, text, intent, ...)``: the recorded tracker plus the person's reply."""
    from rasa_sdk import Tracker

    def build(name: str, text: Optional[str] = None, intent: str = "inform", confidence: float = 0.95,
              safety: Optional[dict[str, Any]] = None, after: Optional[list[dict[str, Any]]] = None) -> Tracker:
        state = json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8"))
        state = copy.deepcopy(state)
        if text is not None:
            message = user_turn(text, intent, confidence, safety)
            state["latest_message"] = message
            state["events"].append({"event": "user", "text": text, "parse_data": message})
        state["events"].extend(after or [])
        return Tracker.from_dict(state)

    return build
