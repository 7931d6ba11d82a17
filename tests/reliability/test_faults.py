"""Faults, for real: the action server killed, Rasa restarted, PostgreSQL and Redis restarted.

These tests stop and restart the session's servers (``pause_session_servers``) and always leave
them running again, so the tests after them see healthy servers.
"""
from __future__ import annotations

import os
import signal
import time

import pytest
import requests

from bot.safety import load_clinic

CLINIC = load_clinic()
PHONE = CLINIC["clinic"]["phone"]
EMERGENCY = CLINIC["emergency"]["number"]
UNAVAILABLE_MARK = "part of this service is not working right now"  # bot/resilience.py


def joined(replies: list[dict]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def user_texts(chat, sender: str) -> list[str]:
    return [e["text"] for e in chat.tracker(sender)["events"] if e["event"] == "user"]


def test_action_server_killed_mid_conversation_still_answers_with_the_clinic_contact(
    chat, sender, session_servers, pause_session_servers
):
    assert "Source:" in joined(chat.send(sender, "is oih the same as addiction?"))
    running = session_servers()
    actions = running.processes[0]  # the action server (tests/conftest.py starts it first)
    os.killpg(actions.pid, signal.SIGKILL)
    actions.wait(timeout=30)
    try:
        # A callback request needs the action server (a form that stores personal data): the
        # patient gets the clinic's contact instead, once, although the form calls several actions.
        text = joined(chat.send(sender, "/request_callback"))
        assert UNAVAILABLE_MARK in text and PHONE in text and EMERGENCY in text, text
        assert text.count(UNAVAILABLE_MARK) == 1
        text = joined(chat.send(sender + "-q", "/start_screening"))
        assert text.count(UNAVAILABLE_MARK) == 1 and PHONE in text, text
        # FAQ answers run in Rasa's process (bot/resilience.py, FAQ fast path): still answered.
        assert "Source:" in joined(chat.send(sender + "-faq", "does it go away if i stop?"))
        # What never needed the action server still works: greetings, crisis and dosing replies.
        assert "information assistant" in joined(chat.send(sender + "-hi", "hi"))
        crisis = chat.send(sender + "-crisis", "my husband took too many pills and his lips are blue")
        assert EMERGENCY in crisis[0]["text"]
        assert "not able to answer" in joined(chat.send(sender + "-dose", "how many pills should i take?"))
    finally:
        with pause_session_servers():  # stop the rest, then start everything again
            pass
    # Back after the restart: the callback request works again.
    assert "phone number or email" in joined(chat.send(sender + "-after", "/request_callback"))


def test_rasa_restarted_conversation_continues_from_the_tracker_store(chat, sender, pause_session_servers):
    first = joined(chat.send(sender, "is oih the same as addiction?"))
    assert "not medical advice" in first  # shown once per conversation: now it has been shown
    chat.send(sender, "thanks")
    with pause_session_servers():
        for url in chat.urls:
            with pytest.raises(requests.ConnectionError):
                requests.get(f"{url}/status", timeout=5)
    assert user_texts(chat, sender) == ["is oih the same as addiction?", "thanks"]
    later = joined(chat.send(sender, "does it go away if i stop?"))
    assert "Source:" in later
    # The restarted server knows the disclaimer was already shown: the conversation continued.
    assert "not medical advice" not in later
    assert user_texts(chat, sender)[-1] == "does it go away if i stop?"


def test_postgres_restarted_next_messages_succeed(chat, sender, services):
    _postgres_only(chat, services)
    from sqlalchemy import create_engine, text

    assert "information assistant" in joined(chat.send(sender, "hi"))
    chat.send(sender, "is oih the same as addiction?")
    started = time.monotonic()
    services.restart_postgres()  # fast shutdown: every open connection is cut
    restart_seconds = time.monotonic() - started
    from bot import referrals

    referrals.dispose_engines()  # this test process's own pool (tests/conversation) died too
    # Every instance, right away: each has a pool of connections that all died.
    for url in chat.urls:
        resp = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": "thanks"},
                             headers=chat.rest_headers(), timeout=60)
        assert resp.status_code == 200 and "You're welcome" in joined(resp.json()), resp.text[:300]
    assert "Source:" in joined(chat.send(sender, "does it go away if i stop?"))
    # The turns were stored in PostgreSQL (not in a per-instance in-memory fallback).
    expected = ["hi", "is oih the same as addiction?"] + ["thanks"] * len(chat.urls) + ["does it go away if i stop?"]
    assert user_texts(chat, sender) == expected
    engine = create_engine(chat.tracker_db_url)
    try:
        with engine.connect() as conn:
            stored = conn.execute(
                text("SELECT count(*) FROM events WHERE sender_id = :s AND type_name = 'user'"), {"s": chat.conversation_id(sender)}
            ).scalar()
    finally:
        engine.dispose()
    assert stored == len(expected)
    print(f"\nPostgreSQL restart took {restart_seconds:.1f} s; all {len(chat.urls)} instances answered right after")


def test_redis_restarted_next_messages_succeed(chat, sender, services):
    """The lock store's client reconnects; no conversation state lives in Redis."""
    _postgres_only(chat, services)
    assert "information assistant" in joined(chat.send(sender, "hi"))
    services.stop_redis()
    try:
        # No lock store: Rasa cannot take the message. The REST channel answers with the
        # clinic's contact (bot/channels/rest.py), not with an error page or silence.
        resp = requests.post(f"{chat.url}/webhooks/rest/webhook", json={"sender": sender, "message": "hello?"},
                             headers=chat.rest_headers(), timeout=120)
        assert resp.status_code == 200 and UNAVAILABLE_MARK in joined(resp.json()), resp.text[:300]
    finally:
        services.start_redis()
    for url in chat.urls:
        resp = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": "thanks"},
                             headers=chat.rest_headers(), timeout=60)
        assert resp.status_code == 200 and "You're welcome" in joined(resp.json()), resp.text[:300]
    assert user_texts(chat, sender)[0] == "hi" and user_texts(chat, sender)[-len(chat.urls):] == ["thanks"] * len(chat.urls)


def _callback(chat, sender: str, name: str) -> str:
    chat.send(sender, "/request_callback")
    chat.send(sender, "yes")
    chat.send(sender, f"my name is {name}")
    chat.send(sender, "(212) 201-3344")  # an existing area code: the form checks numbers
    chat.send(sender, "mornings")
    return joined(chat.send(sender, "yes"))


def _requests_named(chat, name: str) -> list:
    from bot import referrals

    return [r for r in referrals.list_requests(None, db_url=chat.referrals_url) if r.name == name]


def _postgres_only(chat, services) -> None:
    if chat.profile != "prod":
        pytest.skip("the default profile has no PostgreSQL (OIH_TEST_PROFILE=prod runs this)")
    if services is None:
        pytest.skip("PostgreSQL is managed outside the tests (OIH_PG_HOST set): cannot restart it")


def test_postgres_restarted_forget_me_still_deletes_the_callback_requests(chat, sender, services):
    """bot/privacy.py retries once when the pooled connection died with the restart."""
    from bot import referrals

    _postgres_only(chat, services)
    name = "Rhea Restartpg"
    assert "request number" in _callback(chat, sender, name)
    services.restart_postgres()
    referrals.dispose_engines()  # this test process's own pool died too
    chat.send(sender, "forget me")
    assert "I deleted this conversation" in joined(chat.send(sender, "yes"))
    assert _requests_named(chat, name) == []


def test_postgres_restarted_next_callback_request_is_saved(chat, sender, services):
    from bot import referrals

    _postgres_only(chat, services)
    assert "request number" in _callback(chat, sender, "Rhea Beforerestart")  # the pool has a connection
    services.restart_postgres()
    referrals.dispose_engines()
    saved = _callback(chat, sender + "-2", "Rhea Afterrestart")
    assert "request number" in saved, saved
    assert len(_requests_named(chat, "Rhea Afterrestart")) == 1
