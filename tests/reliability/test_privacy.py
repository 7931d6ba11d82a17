"""Privacy: no phone number or e-mail address in any log; "forget me" deletes what it says.

The servers' combined log (Rasa + action server, at their normal level) is captured by the session
fixture; after real callback requests and free-text messages carrying a phone number and an e-mail
address, neither appears in it (nor in the unanswered-questions file under var/). "Forget me"
asks first, and on "yes" deletes the conversation from the tracker store and the person's callback
requests from the referrals database, and nothing of anyone else.
"""
from __future__ import annotations

import random
import re
import string
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from bot import referrals


def joined(replies: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text") or "" for m in replies)


def unique_name() -> str:
    return "Priya " + "".join(random.choices(string.ascii_lowercase, k=9)).capitalize()


def unique_phone() -> tuple[str, str]:
    """(as typed, the 7 digits after the area code) of a (212) number no other test uses."""
    line = f"{random.randint(200, 999)}{random.randint(1000, 9999)}"
    return f"(212) {line[:3]}-{line[3:]}", line  # an existing area code: the form checks numbers


def callback_request(chat, sender: str, name: str, contact: str) -> str:
    """A full callback request, confirmed; returns the confirmation reply."""
    assert "phone number or email" in joined(chat.send(sender, "/request_callback"))
    assert "What name" in joined(chat.send(sender, "yes"))
    assert "phone number or email address" in joined(chat.send(sender, f"my name is {name}"))
    assert "good time" in joined(chat.send(sender, contact))
    assert "Shall I send this?" in chat.send(sender, "weekday mornings")[-1]["text"]
    saved = joined(chat.send(sender, "yes"))
    assert "request number" in saved, saved
    return saved


def requests_named(chat, name: str) -> list[referrals.CallbackRequest]:
    return [r for r in referrals.list_requests(None, db_url=chat.referrals_url) if r.name == name]


def stored_events(chat, sender: str) -> int:
    engine = create_engine(chat.tracker_db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": chat.conversation_id(sender)}).scalar())
    finally:
        engine.dispose()


def all_logs(server_log: Path, var_dir: Path) -> str:
    parts = [server_log.read_text(encoding="utf-8", errors="replace")]
    if var_dir.exists():
        parts += [p.read_text(encoding="utf-8", errors="replace") for p in var_dir.rglob("*") if p.is_file()]
    return "\n".join(parts)


def test_phone_numbers_and_emails_never_appear_in_the_logs(chat, server_log):
    typed_phone, digits = unique_phone()
    token = uuid.uuid4().hex[:10]
    email = f"Pat.{token}@Example.ORG"
    name_a, name_b = unique_name(), unique_name()
    a, b, c = (f"privacy-{uuid.uuid4().hex[:10]}" for _ in range(3))

    callback_request(chat, a, name_a, typed_phone)
    callback_request(chat, b, name_b, f"email me at {email}")
    # Outside any form, in free text, in questions the bot cannot answer (noted for the content
    # team), and inside a crisis and a dosing message.
    for message in (
        f"my number is {typed_phone}, call me",
        f"you can write to {email} about my pain",
        f"what is the weather at {email} {typed_phone}",
        f"i took too many pills call {typed_phone}",
        f"how many mg should i take, text me at 555{digits}",
    ):
        assert chat.send(c, message)

    assert len(requests_named(chat, name_a)) == 1 and len(requests_named(chat, name_b)) == 1  # really saved
    logs = all_logs(server_log, chat.var_dir)
    assert len(logs) > 1000  # the log really captured the servers
    needles = [typed_phone, digits, f"{digits[:3]}-{digits[3:]}", f"555{digits}", email, email.lower(), token]
    found = [n for n in needles if n.lower() in logs.lower()]
    assert not found, f"personal data in the logs: {found}"
    for name in (name_a, name_b):
        assert name.split()[1] not in logs, "a callback name is in the logs"
    assert not re.search(r"[\w.+-]+@example\.org", logs, re.IGNORECASE)


def test_forget_me_asks_first_then_deletes_the_conversation_and_callback_requests(chat, sender):
    name, other_name = unique_name(), unique_name()
    typed_phone, _ = unique_phone()
    other = sender + "-other"
    callback_request(chat, sender, name, typed_phone)
    callback_request(chat, other, other_name, unique_phone()[0])
    chat.send(sender, "is oih the same as addiction?")
    assert len(requests_named(chat, name)) == 1
    assert stored_events(chat, sender) > 0

    replies = chat.send(sender, "please delete my data")
    assert "Do you want me to delete it?" in replies[-1]["text"]
    assert [b["payload"] for b in replies[-1]["buttons"]] == ["/affirm", "/deny"]
    assert len(requests_named(chat, name)) == 1  # nothing deleted before the answer

    done = joined(chat.send(sender, "yes"))
    assert "I deleted this conversation" in done and "deleted your callback request" in done
    assert stored_events(chat, sender) == 0
    assert requests_named(chat, name) == []
    # Nobody else's data went with it.
    assert len(requests_named(chat, other_name)) == 1
    assert stored_events(chat, other) > 0

    # The next message starts a new, empty conversation.
    assert "information assistant" in joined(chat.send(sender, "hi"))
    users = [e["text"] for e in chat.tracker(sender)["events"] if e["event"] == "user"]
    assert users == ["hi"]


def test_forget_me_no_keeps_everything(chat, sender):
    name = unique_name()
    callback_request(chat, sender, name, unique_phone()[0])
    before = stored_events(chat, sender)
    assert "Do you want me to delete it?" in joined(chat.send(sender, "forget me"))
    assert "did not delete anything" in joined(chat.send(sender, "no"))
    assert stored_events(chat, sender) > before
    assert len(requests_named(chat, name)) == 1


def test_after_forget_me_no_byte_of_the_name_or_phone_is_left(chat, sender, server_dir):
    """Conversation, callback request and unanswered-question entry; then "forget me". Every file
    the servers wrote (var/, the tracker and referrals databases with their WAL, the log) is read
    as bytes: neither the name nor the phone number may be anywhere in them."""
    name = unique_name()
    surname = name.split()[1]
    typed_phone, digits = unique_phone()
    callback_request(chat, sender, name, typed_phone)
    chat.send(sender, f"{name} here, can i go swimming with {surname} tomorrow at the lake")  # unanswerable
    chat.send(sender, f"my number again is {typed_phone}")
    assert "Do you want me to delete it?" in joined(chat.send(sender, "please delete my data"))
    assert "I deleted this conversation" in joined(chat.send(sender, "yes"))

    # The number as typed, as 7 digits, or with its area code and country code ("2125550123",
    # "+12125550123"), but never inside a longer run of digits: the tracker is full of long
    # decimals (intent confidences, timestamps), and 7 random digits turned up inside one of them
    # once (CI, round thirty-nine), which says nothing about the phone number.
    phone = re.compile(rb"(?<!\d)(?:\+?1)?(?:212)?" + digits.encode() + rb"(?!\d)")
    needles = [surname.encode(), f"{digits[:3]}-{digits[3:]}".encode()]
    files = [p for p in server_dir.rglob("*") if p.is_file()]
    assert any(p.parent.name == "var" for p in files)
    if chat.profile == "default":  # the prod profile keeps both in PostgreSQL (purge runs VACUUM)
        assert any(p.name == "tracker.db" for p in files) and any(p.name == "referrals.db" for p in files)
    for path in files:
        data = path.read_bytes()
        found = [n.decode() for n in needles if n in data or n.lower() in data.lower()]
        found += [m.decode() for m in phone.findall(data)]
        assert not found, f"{found} left in {path.relative_to(server_dir)}"


def test_files_under_var_are_private(chat):
    import os
    import stat

    assert stat.S_IMODE(os.stat(chat.var_dir).st_mode) == 0o700
    for path in chat.var_dir.rglob("*"):
        if path.is_file():
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path.name
