"""Provenance (issue 13, point 4): a transcript shows exactly which text a patient saw.

The bot events of an FAQ answer carry the topic id, the content hash and the review date (or
"unreviewed") in their metadata, read back from the tracker store through Rasa's API. Checked on
both paths an answer can take: in Rasa's process (the FAQ fast path, bot/resilience.py; also what
answers while the action server is down) and through the action server (OIH_LOCAL_ACTIONS empty).
"""
from __future__ import annotations

import os
import signal
import uuid

import requests

from bot import servers
from bot.knowledge import cached_knowledge
from bot.paths import KNOWLEDGE_DIR
from bot.resilience import UNAVAILABLE_MARK
from bot.signoff import PROVENANCE_KEY, provenance
from bot.training import model_path

KB = cached_knowledge()
QUESTION = "is OIH the same as addiction?"
TOPIC = "oih_vs_addiction"


def _answer_events(events: list[dict]) -> list[dict]:
    return [e for e in events if e.get("event") == "bot" and PROVENANCE_KEY in (e.get("metadata") or {})]


def _check(events: list[dict]) -> None:
    expected = provenance(KB.faq(TOPIC), KNOWLEDGE_DIR)
    assert expected["review"] == "unreviewed"  # the repository ships with no sign-off
    answers = _answer_events(events)
    texts = [e["text"] for e in answers]
    assert KB.faq(TOPIC).answer in texts and any(t.startswith("Source: ") for t in texts), texts
    for event in answers:
        assert event["metadata"][PROVENANCE_KEY] == expected
    # Only FAQ answers claim a provenance: the greeting before it does not.
    assert all(e["metadata"][PROVENANCE_KEY]["topic"] == TOPIC for e in answers)


def test_answer_in_rasa_process_carries_topic_hash_and_review(chat, sender):
    chat.send(sender, "hi")
    chat.send(sender, QUESTION)
    _check(chat.tracker(sender)["events"])


def test_answer_through_the_action_server_carries_the_same_provenance(chat, server_dir):
    """A separate Rasa whose FAQ actions all go to the (shared) action server."""
    token = "provenance-api-token-" + uuid.uuid4().hex
    port = servers.free_port()
    env = {
        "OIH_LOCAL_ACTIONS": "", "OIH_API_TOKEN": token, "OIH_BIND": "127.0.0.1",
        "OIH_VAR_DIR": str(server_dir / "var-remote"), "OIH_TRACKER_DB": str(server_dir / "remote-tracker.db"),
        "OIH_REFERRALS_DB_URL": f"sqlite:///{server_dir / 'remote-referrals.db'}",
    }
    log_path = server_dir / "remote-servers.log"
    with open(log_path, "w") as log, servers.running(
        rasa_port=port, action_port=servers.free_port(), model=str(model_path()), extra_env=env, log=log,
    ) as running:
        sender = "provenance-" + uuid.uuid4().hex[:8]
        reply = requests.post(f"{running.url}/webhooks/rest/webhook", json={"sender": sender, "message": QUESTION},
                              timeout=60).json()
        assert any(r.get("text") == KB.faq(TOPIC).answer for r in reply)
        tracker = requests.get(f"{running.url}/conversations/rest:{sender}/tracker", params={"token": token},
                               timeout=30).json()
        # Proof that this answer came from the action server: without it, no FAQ answer here.
        actions = running.processes[0]
        os.killpg(actions.pid, signal.SIGKILL)
        actions.wait(timeout=30)
        later = requests.post(f"{running.url}/webhooks/rest/webhook",
                              json={"sender": sender, "message": "does it go away if i stop?"}, timeout=60).json()
        assert any(UNAVAILABLE_MARK in (r.get("text") or "") for r in later), later
    _check(tracker["events"])
