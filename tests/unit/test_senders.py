"""Conversation ids cannot be forged (security review H1): namespaces and signed web chat ids."""
from __future__ import annotations

import asyncio
import os
import stat
from types import SimpleNamespace

import pytest

from bot import senders


def test_conversation_ids_are_namespaced_and_reversible():
    assert senders.conversation_id("telegram", 6001) == "telegram:6001"
    assert senders.platform_id("telegram:6001") == "6001"
    assert senders.platform_id("slack:U123") == "U123"
    assert senders.platform_id("rest:a:b") == "a:b"
    assert senders.platform_id("other:x") == "other:x"  # only our channels' prefixes are removed


def test_namespaced_sets_the_channel_whatever_the_client_sent():
    seen = []

    async def on_new_message(message):
        seen.append(message.sender_id)

    handler = senders.namespaced(on_new_message, "rest")
    asyncio.run(handler(SimpleNamespace(sender_id="telegram:6001")))
    assert seen == ["rest:telegram:6001"]


def test_webchat_ids_are_signed():
    key = b"k" * 32
    issued = senders.issue_webchat_id(key)
    assert senders.WEBCHAT_ID_RE.match(issued) and len(issued) <= 64  # fits the widget's storage check
    assert senders.valid_webchat_id(issued, key)
    assert not senders.valid_webchat_id(issued, b"other-key" * 4)
    forged = issued[:-1] + ("0" if issued[-1] != "0" else "1")
    assert not senders.valid_webchat_id(forged, key)
    for bad in ("123456789", "U0123ABCD", "web-" + "0" * 32, "", None, 5):
        assert not senders.valid_webchat_id(bad, key)


def test_per_install_secret_is_private_and_shared(tmp_path):
    first = senders._read_or_create_secret(tmp_path / "webchat.secret")
    again = senders._read_or_create_secret(tmp_path / "webchat.secret")
    assert first == again and len(first) >= 32
    assert stat.S_IMODE(os.stat(tmp_path / "webchat.secret").st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["webchat.secret"]


def test_short_webchat_secret_is_refused(monkeypatch):
    senders.webchat_secret.cache_clear()
    monkeypatch.setenv(senders.WEBCHAT_SECRET_ENV, "short")
    with pytest.raises(ValueError):
        senders.webchat_secret()
    senders.webchat_secret.cache_clear()
