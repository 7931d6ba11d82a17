"""Limits on what a message may cost before any tokenizer sees it (security review H3).

spaCy's tokenizer is quadratic in the length of a run of punctuation with no space in it
(measured on this project's pipeline: ``$`` x 2000 took 3.9 s, ``$(`` x 1000 4.0 s, ``a$`` x 1000
0.002 s), and Rasa serves every conversation from one event loop, so one such message made every
other patient wait. Two rules, applied by every channel (bot/channels/) and again by the first
NLU component (bot/components/text_normalizer.py, which also covers Rasa's HTTP API):

* ``collapse_runs``: a run of one repeated character that is not a letter, digit or space is
  collapsed to three (``!!!!!!!`` -> ``!!!``), and what is left of a longer run of mixed symbols is
  broken by a space every ``SYMBOL_CHUNK`` characters. Letters and digits are never touched (phone
  numbers such as 555-0000 keep every digit). Both are linear and keep what a person meant.
* ``MAX_MESSAGE_CHARS`` (1,000 by default, what the web chat lets a patient type): a longer message
  is not processed and the person is told so kindly (``too_long_text``), never silently cut.
"""
from __future__ import annotations

import os
import re
from typing import Any, Awaitable, Callable

MAX_MESSAGE_CHARS = int(os.environ.get("OIH_MAX_MESSAGE_CHARS", "1000"))
MAX_RUN = 3
SYMBOL_CHUNK = 8

# One symbol (anything but a letter, digit or whitespace; "_" counts as a symbol) repeated.
_SAME_RUN = re.compile(r"((?:[^\w\s]|_))\1{%d,}" % MAX_RUN)
_SYMBOL_RUN = re.compile(r"(?:[^\w\s]|_){%d,}" % (SYMBOL_CHUNK + 1))


def _chunked(match: re.Match[str]) -> str:
    run = match.group(0)
    return " ".join(run[i:i + SYMBOL_CHUNK] for i in range(0, len(run), SYMBOL_CHUNK))


def collapse_runs(text: str) -> str:
    """``text`` with symbol runs made harmless for the tokenizer (see the module docstring)."""
    if not text:
        return text
    text = _SAME_RUN.sub(lambda m: m.group(1) * MAX_RUN, text)
    return _SYMBOL_RUN.sub(_chunked, text)


def too_long(text: str, limit: int | None = None) -> bool:
    return len(text) > (MAX_MESSAGE_CHARS if limit is None else limit)


#: The last resort when knowledge/ cannot be read: kept in Python (allowed by
#: tests/unit/test_reply_wording.py) because this reply must always carry the emergency number.
_MINIMAL_TOO_LONG = "Sorry, that message is too long for me to read. If this is an emergency, call {emergency} now."


def too_long_text(limit: int | None = None) -> str:
    """The kind reply to an over-long message (knowledge/conversation.yml ``too_long``); it always
    carries the emergency number. Channels send it before Rasa runs, so it is filled here."""
    limit = MAX_MESSAGE_CHARS if limit is None else limit
    number = "911"
    try:
        from bot.knowledge import cached_clinic, texts
        from bot.replies import squash

        number = cached_clinic().emergency.number or "911"
        text = squash(texts("conversation.yml")["too_long"]).format(limit=f"{limit:,}", emergency=number)
    except Exception:  # noqa: BLE001 - a broken knowledge/ must not silence this reply
        return _MINIMAL_TOO_LONG.format(emergency=number)
    return text if number in text else _MINIMAL_TOO_LONG.format(emergency=number)


def limited(on_new_message: Callable[[Any], Awaitable[Any]]) -> Callable[[Any], Awaitable[Any]]:
    """Wrap a platform channel's ``on_new_message`` (Telegram, Slack): runs collapsed; an
    over-long message is answered with ``too_long_text`` and not processed."""

    async def handler(message: Any) -> Any:
        text = message.text or ""
        if too_long(text):
            await message.output_channel.send_response(message.sender_id, {"text": too_long_text()})
            return None
        message.text = collapse_runs(text)
        return await on_new_message(message)

    return handler
