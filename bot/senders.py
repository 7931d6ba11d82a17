"""Conversation ids that cannot be forged (security review H1).

Rasa keys every conversation by the sender id a channel gives it, and all channels share one
tracker store. Before this module, REST and the web chat accepted any sender id, so anyone could
post as Telegram chat ``6001`` or Slack user ``U123`` and read, submit or delete that person's
callback request. Two rules:

* **Namespaced per channel.** The conversation id is ``<channel>:<id>`` (``rest:``, ``webchat:``,
  ``telegram:``, ``slack:``), set by the channel itself (``namespaced``), never by the request.
  A REST sender ``6001`` is the conversation ``rest:6001``, a different one from Telegram's
  ``telegram:6001``. Output channels strip the prefix again (``platform_id``) to address the
  platform's chat or user; the REST channel answers with the id the client sent.
* **The web chat's id is issued by the server and signed.** ``POST /webchat/session`` returns
  ``wc-<32 hex random>-<24 hex HMAC-SHA256>``; the webhook accepts only ids with a valid signature
  (``valid_webchat_id``). The key is ``OIH_WEBCHAT_SECRET`` (at least 32 characters; set the same
  value on every instance), else a random per-install key kept in ``var/webchat.secret`` (0600,
  created once, atomically, so instances sharing var/ agree). Changing the key ends every open web
  chat (the widget asks for a new id).
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path
from typing import Any, Awaitable, Callable

CHANNELS = ("rest", "webchat", "telegram", "slack")
WEBCHAT_SECRET_ENV = "OIH_WEBCHAT_SECRET"
WEBCHAT_SECRET_FILE = "webchat.secret"
MIN_SECRET_CHARS = 32
_SIG_HEX = 24
WEBCHAT_ID_RE = re.compile(r"^wc-([0-9a-f]{32})-([0-9a-f]{%d})$" % _SIG_HEX)


def conversation_id(channel: str, sender: Any) -> str:
    """``<channel>:<sender>``: the id Rasa stores the conversation under."""
    return f"{channel}:{sender}"


def platform_id(conversation: Any) -> str:
    """The platform's own id (Telegram chat, Slack user or channel, REST sender) of a conversation."""
    text = str(conversation)
    channel, sep, rest = text.partition(":")
    return rest if sep and channel in CHANNELS else text


def namespaced(
    on_new_message: Callable[[Any], Awaitable[Any]], channel: str
) -> Callable[[Any], Awaitable[Any]]:
    """Wrap a channel's ``on_new_message`` so every message gets the channel's namespace."""

    async def handler(message: Any) -> Any:
        message.sender_id = conversation_id(channel, message.sender_id)
        return await on_new_message(message)

    return handler


def _read_or_create_secret(path: Path) -> bytes:
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, secrets.token_hex(32).encode())
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)  # atomic: fails if another process made it first; then use theirs
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_bytes().strip()


@functools.lru_cache(maxsize=4)
def webchat_secret(var_dir: str | None = None) -> bytes:
    value = os.environ.get(WEBCHAT_SECRET_ENV, "").strip()
    if value:
        if len(value) < MIN_SECRET_CHARS:
            raise ValueError(f"{WEBCHAT_SECRET_ENV} must be at least {MIN_SECRET_CHARS} characters")
        return value.encode()
    from bot.paths import VAR_DIR

    return _read_or_create_secret(Path(var_dir or VAR_DIR) / WEBCHAT_SECRET_FILE)


def _signature(random_hex: str, key: bytes) -> str:
    return hmac.new(key, f"webchat:{random_hex}".encode(), hashlib.sha256).hexdigest()[:_SIG_HEX]


def issue_webchat_id(key: bytes | None = None) -> str:
    random_hex = secrets.token_hex(16)
    return f"wc-{random_hex}-{_signature(random_hex, key or webchat_secret())}"


def valid_webchat_id(sender: Any, key: bytes | None = None) -> bool:
    if not isinstance(sender, str):
        return False
    match = WEBCHAT_ID_RE.match(sender)
    if not match:
        return False
    return hmac.compare_digest(match.group(2), _signature(match.group(1), key or webchat_secret()))
