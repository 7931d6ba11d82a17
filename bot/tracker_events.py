"""Reading a conversation's events: one place for "what happened since ..." and "latest intent".

Two kinds of tracker read the same history: rasa-sdk's ``Tracker`` on the action server holds
events as dicts (``{"event": "user", ...}``), Rasa's ``DialogueStateTracker`` holds event objects
(``UserUttered`` ...). Both spell an event's kind the same way: the dict's ``"event"`` value is
the object's ``type_name`` ("user", "bot", "action", "active_loop", "session_started", ...). So
every helper here works on either, and this module imports neither Rasa nor rasa-sdk: it is
tested without them, and actions/ and bot/ share it.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional, Reversible, TypeVar

E = TypeVar("E")

USER = "user"
BOT = "bot"
ACTION = "action"
SESSION_STARTED = "session_started"


def event_kind(event: Any) -> Optional[str]:
    """"user", "bot", "action", ...: a dict's ``event`` key or an event object's ``type_name``."""
    if isinstance(event, Mapping):
        return event.get("event")
    return getattr(event, "type_name", None)


def since_latest(events: Reversible[E], kind: str) -> list[E]:
    """The events after the latest one of ``kind``, oldest first; all of them when there is none.

    Walks back from the end and stops at the first match, so a long conversation costs only its
    latest turn (Rasa's tracker events are a deque: no slicing).
    """
    tail: list[E] = []
    for event in reversed(events):
        if event_kind(event) == kind:
            break
        tail.append(event)
    tail.reverse()
    return tail


def since_latest_user(events: Reversible[E]) -> list[E]:
    """What happened since the person's latest message (everything, before their first)."""
    return since_latest(events, USER)


def bot_texts(events: Iterable[Any]) -> list[str]:
    """The texts of the bot messages among ``events`` (empty text for a message without one)."""
    texts = []
    for event in events:
        if event_kind(event) == BOT:
            text = event.get("text") if isinstance(event, Mapping) else getattr(event, "text", None)
            texts.append(text or "")
    return texts


def action_names(events: Iterable[Any]) -> list[str]:
    """The names of the actions run among ``events``, in order (``name`` / ``action_name``)."""
    names = []
    for event in events:
        if event_kind(event) == ACTION:
            name = event.get("name") if isinstance(event, Mapping) else getattr(event, "action_name", None)
            if name:
                names.append(name)
    return names


def intent_name(message: Any) -> Optional[str]:
    """The intent of a parsed message: a ``latest_message``/``parse_data`` dict or a ``UserUttered``."""
    if message is None:
        return None
    intent = message.get("intent") if isinstance(message, Mapping) else getattr(message, "intent", None)
    return (intent or {}).get("name")


def latest_intent(tracker: Any) -> Optional[str]:
    """The intent of the person's latest message (None before the first, or when unparsed)."""
    return intent_name(tracker.latest_message)


def latest_text(tracker: Any) -> str:
    """The text of the person's latest message ("" before the first)."""
    message = tracker.latest_message
    text = message.get("text") if isinstance(message, Mapping) else getattr(message, "text", None)
    return str(text or "")
