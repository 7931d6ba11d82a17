"""Retention and forgetting (security review M3, M4): purge, redaction, forget, private files."""
from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import stat

import pytest

from bot import referrals, unanswered
from bot.retention import purge, retention_days

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.timezone.utc)
OLD = NOW - dt.timedelta(days=45)
RECENT = NOW - dt.timedelta(days=2)


def _store(path):
    from rasa.shared.core.domain import Domain

    from bot.tracker_store import OIHSQLTrackerStore

    return OIHSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(path))


def _save(store, sender: str, text: str, when: dt.datetime) -> None:
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker(sender, [])
    tracker.update(UserUttered(text, timestamp=when.timestamp()))
    asyncio.run(store.save(tracker))


def _all_bytes(folder) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_retention_days_default_and_checks():
    assert retention_days({}) == 30
    assert retention_days({"OIH_RETENTION_DAYS": "7"}) == 7
    with pytest.raises(ValueError):
        retention_days({"OIH_RETENTION_DAYS": "0"})


def test_purge_removes_what_is_older_than_the_retention_and_its_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("OIH_SENDER_SALT", "unit-test-salt")
    db, var = tmp_path / "tracker.db", tmp_path / "var"
    refs = f"sqlite:///{tmp_path / 'referrals.db'}"
    store = _store(db)
    _save(store, "rest:old", "my name is Oldname Qzxv", OLD)
    _save(store, "rest:new", "my name is Newname Qzxv", RECENT)
    store.engine.dispose()
    old_req = referrals.add_request("Oldreq Person", "212-555-0144", sender_id="rest:old", db_url=refs)
    referrals.mark_done(old_req.id, db_url=refs)
    open_req = referrals.add_request("Openreq Person", "212-555-0155", sender_id="rest:x", db_url=refs)
    with referrals.session_scope(refs) as session:  # backdate the first one's done_at
        session.get(referrals.CallbackRequest, old_req.id).done_at = OLD
        session.get(referrals.CallbackRequest, open_req.id).created_at = OLD
    unanswered.record("old question about swimming", [], var_dir=var)
    rows = unanswered.read_all(var)
    rows[0]["at"] = OLD.isoformat()
    (var / unanswered.LOG_FILE).write_text(json.dumps(rows[0]) + "\n")
    unanswered.record("new question about flying", [], var_dir=var)

    result = purge(days=30, tracker_url=f"sqlite:///{db}", referrals_url=refs, var_dir=var, now=NOW)
    referrals.dispose_engines()

    assert (result.conversations, result.callback_requests, result.unanswered) == (1, 1, 1)
    data = (tmp_path / "tracker.db").read_bytes()
    assert b"Oldname" not in data and b"Newname" in data
    assert b"Oldreq" not in (tmp_path / "referrals.db").read_bytes()
    assert [r.name for r in referrals.list_requests(None, db_url=refs)] == ["Openreq Person"]  # open stays
    assert [r["question"] for r in unanswered.read_all(var)] == ["new question about flying"]
    assert b"Oldname" not in _all_bytes(tmp_path) and b"swimming" not in _all_bytes(tmp_path)


def test_forget_deletes_the_conversation_bytes_from_sqlite(tmp_path):
    store = _store(tmp_path / "tracker.db")
    _save(store, "rest:a", "call Forgetme Qzxv on 5552013377", RECENT)
    _save(store, "rest:b", "someone else", RECENT)
    assert asyncio.run(store.delete("rest:a")) == 1
    store.engine.dispose()
    everything = _all_bytes(tmp_path)
    assert b"Forgetme" not in everything and b"5552013377" not in everything
    assert b"someone else" in everything


def test_unanswered_keeps_only_redacted_text_and_forgets_a_sender(tmp_path, monkeypatch):
    monkeypatch.setenv("OIH_SENDER_SALT", "unit-test-salt")
    unanswered.record("my name is Zed Testperson and I live at 12 Elm Street, what is the weather",
                      ["what_is_oih"], var_dir=tmp_path, sender_id="rest:a")
    unanswered.record("Priya Qwerty here from Riverside, can i swim", [], var_dir=tmp_path, sender_id="rest:b")
    text = (tmp_path / unanswered.LOG_FILE).read_text()
    questions = " ".join(r["question"] for r in unanswered.read_all(tmp_path))
    for secret in ("Testperson", "Elm", "12", "Priya", "Qwerty", "Riverside"):
        assert secret not in questions, secret
    assert "rest:a" not in text  # only a salted hash of the conversation id
    assert "what is the weather" in text and "can i swim" in text
    assert stat.S_IMODE(os.stat(tmp_path / unanswered.LOG_FILE).st_mode) == 0o600
    assert unanswered.forget_sender("rest:a", tmp_path) == 1
    assert [r["question"] for r in unanswered.read_all(tmp_path)] == [unanswered.redact("Priya Qwerty here from Riverside, can i swim")]
    assert "weather" not in (tmp_path / unanswered.LOG_FILE).read_text()


@pytest.mark.parametrize("question, kept", [
    ("Does OIH go away if I stop Oxycodone?", "Does OIH go away if I stop Oxycodone?"),
    ("is it my fault?", "is it my fault?"),
    ("what is the weather at pat.x@example.org (555) 234-5678", "what is the weather at [email] (#"),
])
def test_redaction_keeps_ordinary_questions(question, kept):
    assert unanswered.redact(question) == kept


def test_purge_command_runs_and_prints_counts_only(tmp_path):
    import subprocess
    import sys

    from bot.paths import ROOT

    env = {**os.environ, "OIH_VAR_DIR": str(tmp_path / "var"), "PYTHONPATH": str(ROOT),
           "OIH_TRACKER_DB": str(tmp_path / "tracker.db"), "OIH_REFERRALS_DB_URL": f"sqlite:///{tmp_path / 'r.db'}"}
    _save(_store(tmp_path / "tracker.db"), "rest:old", "Oldname Qzxv", OLD)
    done = subprocess.run([sys.executable, "-m", "bot", "purge", "--days", "30"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "deleted 1 conversation(s)" in done.stdout and "Oldname" not in done.stdout
    assert stat.S_IMODE(os.stat(tmp_path / "r.db").st_mode) == 0o600  # created under umask 077
