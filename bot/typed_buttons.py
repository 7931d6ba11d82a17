"""A button label typed as text counts as pressing that button.

People on Telegram, Slack or a phone keyboard often type what a button says ("yes, delete it",
"take the short questionnaire") instead of tapping it. When a message matches the title of one of
the buttons the assistant just offered (same words, ignoring case, punctuation and small typos),
it is parsed as that button's payload. The tracker keeps the words the person typed; only the
parse changes. Nothing else is guessed: a longer message that merely contains a label is parsed
as usual, and a crisis or dosing message never matches a button title.

Installed with the other Rasa seams (bot/resilience.py ``install``) by wrapping
``MessageProcessor.parse_message``, the one place every channel's message passes with its tracker.
"""
from __future__ import annotations

import functools
import re
from typing import Any, Iterable, Mapping

from rapidfuzz import fuzz

MIN_RATIO = 90.0
_WORDS = re.compile(r"[a-z0-9]+")


def _norm(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


def last_buttons(events: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The buttons of the assistant's latest turn (empty once the person has written after it)."""
    buttons: list[Mapping[str, Any]] = []
    for event in reversed(list(events)):
        kind = event.get("event")
        if kind == "user":
            break
        if kind == "bot":
            buttons = list((event.get("data") or {}).get("buttons") or []) + buttons
    return buttons


def payload_for(text: str, buttons: Iterable[Mapping[str, Any]]) -> str | None:
    """The payload of the button whose title ``text`` is, or None."""
    typed = _norm(text)
    if not typed or text.lstrip().startswith("/"):
        return None
    for button in buttons:
        title, payload = _norm(str(button.get("title") or "")), button.get("payload")
        if not title or not isinstance(payload, str):
            continue
        if typed == title or (len(typed) >= 4 and fuzz.ratio(typed, title) >= MIN_RATIO):
            return payload
    return None


def install() -> None:
    """Wrap ``MessageProcessor.parse_message`` once per process (idempotent)."""
    from rasa.core.channels.channel import UserMessage
    from rasa.core.processor import MessageProcessor

    original = MessageProcessor.parse_message
    if getattr(original, "_oih_buttons", False):
        return

    @functools.wraps(original)
    async def parse_message(self: Any, message: Any, tracker: Any = None, only_output_properties: bool = True) -> Any:
        if tracker is not None and message.text:
            events = [e.as_dict() for e in list(tracker.events)[-12:]]
            payload = payload_for(message.text, last_buttons(events))
            if payload is not None:
                pressed = UserMessage(payload, message.output_channel, message.sender_id,
                                      input_channel=message.input_channel, metadata=message.metadata)
                parsed = await original(self, pressed, tracker, only_output_properties)
                parsed["text"] = message.text
                return parsed
        return await original(self, message, tracker, only_output_properties)

    parse_message._oih_buttons = True  # type: ignore[attr-defined]
    MessageProcessor.parse_message = parse_message  # type: ignore[method-assign]
