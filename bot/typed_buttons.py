"""A button label typed as text counts as pressing that button.

People on Telegram, Slack or a phone keyboard often type what a button says ("yes, delete it",
"take the short questionnaire") instead of tapping it. When a message matches the title of one of
the buttons the assistant just offered (same words, ignoring case, punctuation and small typos),
it is parsed as that button's payload. The tracker keeps the words the person typed; only the
parse changes. Nothing else is guessed: a longer message that merely contains a label is parsed
as usual, and a crisis or dosing message never matches a button title.

Hooked into Rasa by bot/rasa_seams.py (``install``), which wraps
``MessageProcessor.parse_message``, the one place every channel's message passes with its tracker.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from rapidfuzz import fuzz

from bot.tracker_events import BOT, event_kind, since_latest_user

MIN_RATIO = 90.0
_WORDS = re.compile(r"[a-z0-9]+")


def _norm(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


def last_buttons(events: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The buttons of the assistant's latest turn (empty once the person has written after it)."""
    return [
        button
        for event in since_latest_user(list(events))
        if event_kind(event) == BOT
        for button in (event.get("data") or {}).get("buttons") or []
    ]


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


def pressed_payload(text: str, events: Iterable[Mapping[str, Any]]) -> str | None:
    """The payload of the button of the assistant's latest turn whose title ``text`` is, or None."""
    return payload_for(text, last_buttons(events))
