"""The callback-request queue on a real SQLite file, the validators, privacy of logs, and the CLI."""
from __future__ import annotations

import csv
import datetime as dt
import logging
from pathlib import Path

import pytest

from bot import referrals
from bot.referrals_cli import referrals_main

NAME = "Zelda Quinterro"
PHONE_TEXT = "(415) 555-0142"
PHONE = "+14155550142"
EMAIL = "zelda.q@example.org"


@pytest.fixture()
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh SQLite file per test, chosen through the environment like in production."""
    path = tmp_path / "sub" / "referrals.db"  # the folder does not exist yet: it is created
    monkeypatch.setenv(referrals.DB_URL_ENV, f"sqlite:///{path}")
    monkeypatch.setenv(referrals.SALT_ENV, "test-salt")
    yield path
    referrals.dispose_engines()


# ------------------------------------------------------------------ validation

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(415) 555-0142", "+14155550142"),
        ("415-555-0142", "+14155550142"),
        ("415.555.0142", "+14155550142"),
        ("4155550142", "+14155550142"),
        ("1-415-555-0142", "+14155550142"),
        ("+1 415 555 0142", "+14155550142"),
        ("+44 20 7946 0958", "+442079460958"),
        ("0044 20 7946 0958", "+442079460958"),
        ("+49 (30) 1234567", "+49301234567"),
        ("  tel:+61 412 345 678 ", "+61412345678"),
        ("(212) 555-0147", "+12125550147"),
    ],
)
def test_valid_phones_are_normalised(text: str, expected: str) -> None:
    assert referrals.validate_phone(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "", "12345", "555-12", "call me maybe", "415-555-CALL", "+1 (415 555 0142",
        "1234567890123456", "+0 415 555 0142", "++1 415 555 0142", "415+555+0142",
        "000-000-0000", "1111111", "911", "zelda.q@example.org",
        # issue 14: a digit missing or extra, an area code that does not exist, no area code
        "(212) 555-014", "(212) 555-01477", "(555) 201-3344", "555-0142",
        # a national number of another country without its country code is read as a US number
        "020 7946 0958",
    ],
)
def test_invalid_phones_are_rejected(text: str) -> None:
    assert referrals.validate_phone(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zelda.q@example.org", "zelda.q@example.org"),
        ("Zelda.Q@Example.ORG", "Zelda.Q@example.org"),
        ("first+tag@mail.co.uk", "first+tag@mail.co.uk"),
        ("mailto:a_b@sub.example.com", "a_b@sub.example.com"),
        (" o'neil@example.ie ", "o'neil@example.ie"),
    ],
)
def test_valid_emails(text: str, expected: str) -> None:
    assert referrals.validate_email(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "", "zelda", "zelda@", "@example.org", "zelda@example", "zelda@@example.org",
        "zelda@example..org", "zelda.@example.org", ".zelda@example.org", "ze lda@example.org",
        "zelda@-example.org", "zelda@example.c", "zelda@example.123", "zelda@exa_mple.org",
        "a" * 65 + "@example.org", "(415) 555-0142",
    ],
)
def test_invalid_emails_are_rejected(text: str) -> None:
    assert referrals.validate_email(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(415) 555-0142", ("phone", "+14155550142")),
        ("my cell is 415 555 0142", ("phone", "+14155550142")),
        ("call me on +44 20 7946 0958 please", ("phone", "+442079460958")),
        ("zelda.q@example.org", ("email", "zelda.q@example.org")),
        ("email me at zelda.q@example.org.", ("email", "zelda.q@example.org")),
        ("zelda@example", None),  # a broken email is not read as a phone number
        ("415 555", None),
        ("call 415 555 0142 or 415 555 0199", None),  # two numbers: ask which one
        ("", None),
        ("tomorrow morning", None),
    ],
)
def test_validate_contact(text: str, expected: tuple[str, str] | None) -> None:
    assert referrals.validate_contact(text) == expected


def test_sender_hash_is_salted_and_stable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(referrals.SALT_ENV, "salt-a")
    a1, a2 = referrals.sender_hash("user-1"), referrals.sender_hash("user-1")
    monkeypatch.setenv(referrals.SALT_ENV, "salt-b")
    b = referrals.sender_hash("user-1")
    assert a1 == a2 != b
    assert len(a1) == 64 and "user-1" not in a1
    monkeypatch.delenv(referrals.SALT_ENV)
    assert referrals.sender_hash("user-1") not in (a1, b)  # the dev default salt


# ------------------------------------------------------------------ queue round trip

def test_add_list_get_done_round_trip(db: Path) -> None:
    first = referrals.add_request(NAME, PHONE_TEXT, "weekday mornings", "screening", sender_id="s1")
    second = referrals.add_request("Bo Li", EMAIL, None, "dosing", sender_id="s2")
    assert db.exists()
    assert first.id != second.id
    assert first.contact == PHONE and first.contact_kind == "phone"
    assert second.contact == EMAIL and second.contact_kind == "email"
    assert first.created_at.tzinfo is not None
    assert first.sender_hash == referrals.sender_hash("s1") and "s1" != first.sender_hash

    assert [r.id for r in referrals.list_requests()] == [first.id, second.id]
    assert [r.id for r in referrals.list_requests("open")] == [first.id, second.id]

    got = referrals.get_request(first.id)
    assert got is not None and got.name == NAME and got.preferred_time == "weekday mornings"
    assert got.created_at.tzinfo == dt.timezone.utc and got.status == "open"

    done = referrals.mark_done(first.id)
    assert done is not None and done.status == "done" and done.done_at is not None
    again = referrals.mark_done(first.id)
    assert again is not None and again.done_at == done.done_at  # idempotent
    assert [r.id for r in referrals.list_requests("done")] == [first.id]
    assert [r.id for r in referrals.list_requests("open")] == [second.id]

    assert referrals.get_request(999) is None
    assert referrals.mark_done(999) is None


def test_db_url_parameter_overrides_the_environment(db: Path, tmp_path: Path) -> None:
    other = f"sqlite:///{tmp_path / 'other.db'}"
    referrals.add_request(NAME, PHONE_TEXT, db_url=other)
    assert len(referrals.list_requests(db_url=other)) == 1
    assert referrals.list_requests() == []


def test_add_request_rejects_bad_input(db: Path) -> None:
    with pytest.raises(ValueError) as exc:
        referrals.add_request(NAME, "not-a-number")
    assert "not-a-number" not in str(exc.value)  # errors never quote personal data
    with pytest.raises(ValueError):
        referrals.add_request("   ", PHONE_TEXT)
    with pytest.raises(ValueError):
        referrals.add_request(NAME, PHONE_TEXT, topic="urgent")
    with pytest.raises(ValueError):
        referrals.list_requests("pending")
    assert referrals.list_requests() == []


def test_free_text_is_cleaned(db: Path) -> None:
    r = referrals.add_request("  Ann\n\tMarie\x00 ", PHONE_TEXT, "after\r\n5pm" + " x" * 300)
    assert r.name == "Ann Marie"
    assert r.preferred_time.startswith("after 5pm") and len(r.preferred_time) <= 200


def test_export_csv(db: Path, tmp_path: Path) -> None:
    a = referrals.add_request(NAME, PHONE_TEXT, "mornings", "screening")
    b = referrals.add_request("=HYPERLINK(\"http://x\")", EMAIL, "-any time", "general")
    referrals.mark_done(a.id)
    out = tmp_path / "exports" / "callbacks.csv"
    assert referrals.export_csv(out) == 2
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [int(r["id"]) for r in rows] == [a.id, b.id]
    assert rows[0]["name"] == NAME and rows[0]["contact"] == PHONE and rows[0]["status"] == "done"
    assert rows[0]["done_at"] and rows[0]["created_at"].endswith("+00:00")
    assert rows[1]["name"].startswith("'=")  # no formula runs when staff open it in a spreadsheet
    assert rows[1]["preferred_time"] == "'-any time"
    assert "sender_hash" not in rows[0]
    assert referrals.export_csv(out, "open") == 1


def test_forget_sender_deletes_only_that_senders_requests(db: Path) -> None:
    referrals.add_request(NAME, PHONE_TEXT, sender_id="conv-1")
    referrals.add_request(NAME, EMAIL, sender_id="conv-1")
    keep = referrals.add_request("Bo Li", EMAIL, sender_id="conv-2")
    referrals.add_request("No Sender", EMAIL)
    assert referrals.forget_sender("conv-1") == 2
    assert referrals.forget_sender("conv-1") == 0
    assert referrals.forget_sender("unknown") == 0
    left = referrals.list_requests()
    assert len(left) == 2 and keep.id in [r.id for r in left]
    raw = db.read_bytes()
    assert b"conv-1" not in raw and b"conv-2" not in raw  # raw sender ids are never stored


def test_repr_has_no_personal_data(db: Path) -> None:
    r = referrals.add_request(NAME, PHONE_TEXT)
    assert NAME not in repr(r) and PHONE not in repr(r)


# ------------------------------------------------------------------ privacy of logs

def test_no_personal_data_in_logs(db: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    # Everything, and SQLAlchemy's engine logging switched on as someone debugging would do.
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.engine")
    a = referrals.add_request(NAME, PHONE_TEXT, "after lunch", "screening", sender_id="conv-9")
    b = referrals.add_request("Bo Li", EMAIL, None, "dosing", sender_id="conv-9")
    referrals.list_requests()
    referrals.get_request(a.id)
    referrals.mark_done(a.id)
    referrals.export_csv(tmp_path / "out.csv")
    with pytest.raises(ValueError):
        referrals.add_request(NAME, "555-CALL-ME")
    for argv in (["list", "--all"], ["show", str(b.id)], ["done", str(b.id)],
                 ["export", "--csv", str(tmp_path / "cli.csv")]):
        assert referrals_main(argv) == 0
    assert referrals.forget_sender("conv-9") == 2
    capsys.readouterr()

    assert caplog.records, "the operations should log their ids"
    assert any(r.name.startswith("sqlalchemy.engine") for r in caplog.records), "SQL was logged"
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    for secret in (NAME, "Zelda", "Quinterro", PHONE, "555-0142", "5550142", EMAIL, "example.org",
                   "Bo Li", "after lunch", "conv-9", "555-CALL-ME"):
        assert secret not in logged, secret
    assert str(a.id) in caplog.text


# ------------------------------------------------------------------ staff CLI

def test_cli_list_show_done_export(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert referrals_main(["list"]) == 0
    assert "No open callback requests." in capsys.readouterr().out

    a = referrals.add_request(NAME, PHONE_TEXT, "weekday mornings", "screening")
    b = referrals.add_request("Bo Li", EMAIL, None, "general")

    assert referrals_main(["list"]) == 0
    out = capsys.readouterr().out
    header = out.splitlines()[0]
    assert header.split()[:3] == ["ID", "Ref", "Created"] and "Contact" in header
    assert NAME in out and PHONE_TEXT in out and EMAIL in out and "2 request(s)." in out
    assert a.reference in out and b.reference in out

    assert referrals_main(["show", str(a.id)]) == 0
    out = capsys.readouterr().out
    assert "ID:" in out and NAME in out and f"{PHONE_TEXT} (phone)" in out
    assert f"Reference:      {a.reference}" in out and PHONE in out  # E.164 as stored, too
    assert "weekday mornings" in out and "Status:" in out and "open" in out
    assert referrals_main(["show", a.reference.lower()]) == 0  # by the reference the patient quotes
    assert NAME in capsys.readouterr().out

    assert referrals_main(["done", a.reference]) == 0
    assert f"Request {a.id} ({a.reference}) is done" in capsys.readouterr().out

    assert referrals_main(["list"]) == 0
    out = capsys.readouterr().out
    assert NAME not in out and "Bo Li" in out
    assert referrals_main(["list", "--status", "done"]) == 0
    assert NAME in capsys.readouterr().out
    assert referrals_main(["list", "--all"]) == 0
    out = capsys.readouterr().out
    assert NAME in out and "Bo Li" in out

    target = tmp_path / "staff.csv"
    assert referrals_main(["export", "--csv", str(target)]) == 0
    assert f"Exported 2 request(s) to {target}." in capsys.readouterr().out
    exported = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [int(r["id"]) for r in exported] == [a.id, b.id]


def test_cli_errors(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert referrals_main(["show", "42"]) == 1
    assert "No callback request with id 42." in capsys.readouterr().err
    assert referrals_main(["done", "42"]) == 1
    capsys.readouterr()
    assert referrals_main([]) == 2
    assert referrals_main(["show", "abc"]) == 1  # not an id, not a reference
    assert referrals_main(["export"]) == 2  # --csv is required
    assert referrals_main(["--help"]) == 0
    assert "list" in capsys.readouterr().out


def test_cli_db_url_option(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = f"sqlite:///{tmp_path / 'cli-other.db'}"
    referrals.add_request(NAME, PHONE_TEXT, db_url=other)
    assert referrals_main(["--db-url", other, "list"]) == 0
    assert NAME in capsys.readouterr().out
    assert referrals_main(["list"]) == 0
    assert "No open callback requests." in capsys.readouterr().out


def test_cli_table_truncates_long_cells(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    referrals.add_request("A" * 100, PHONE_TEXT, "b" * 150)
    assert referrals_main(["list"]) == 0
    out = capsys.readouterr().out
    assert "A" * 29 + "..." in out and "A" * 40 not in out


def test_default_is_a_sqlite_file_under_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.paths import VAR_DIR

    assert referrals.DEFAULT_DB_PATH == VAR_DIR / "referrals.db"
    monkeypatch.delenv(referrals.DB_URL_ENV, raising=False)
    assert referrals.database_url() == f"sqlite:///{VAR_DIR / 'referrals.db'}"
    # Point the default elsewhere so the test does not touch the real var/ folder.
    fake = tmp_path / "var" / "referrals.db"
    monkeypatch.setattr(referrals, "DEFAULT_DB_PATH", fake)
    try:
        referrals.add_request(NAME, PHONE_TEXT)
        assert fake.exists() and len(referrals.list_requests()) == 1
    finally:
        referrals.dispose_engines()


# ------------------------------------------------------------------ references, audit, counts

def test_references_are_random_unambiguous_and_unique(db: Path) -> None:
    rows = [referrals.add_request(f"P{i}", PHONE_TEXT) for i in range(40)]
    refs = [r.reference for r in rows]
    assert len(set(refs)) == len(refs)
    for ref in refs:
        assert len(ref) == referrals.REFERENCE_LENGTH
        assert set(ref) <= set(referrals.REFERENCE_ALPHABET)
        assert not set(ref) & set("0O1IL")  # nothing to misread on the phone
    assert refs != sorted(refs)  # not a counter


def test_a_reference_collision_draws_another(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = referrals.add_request(NAME, PHONE_TEXT)
    drawn = iter([first.reference, first.reference, "ZZZZZZ"])
    monkeypatch.setattr(referrals, "new_reference", lambda: next(drawn))
    second = referrals.add_request("Bo Li", EMAIL)
    assert second.reference == "ZZZZZZ"
    assert referrals.get_request(first.reference).name == NAME


def test_an_all_digit_reference_is_found_as_a_reference(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """References may be all digits ("234567"): they are found and marked done as references,
    not read as an id (a CI run once drew one, and the staff page could not find the request)."""
    referrals.add_request("Al Ma", PHONE_TEXT)
    monkeypatch.setattr(referrals, "new_reference", lambda: "234567")
    row = referrals.add_request(NAME, PHONE_TEXT)
    assert row.reference == "234567" and row.id != 234567
    assert referrals.get_request("234567").name == NAME
    assert referrals.get_request("234-567").name == NAME
    assert referrals.mark_done("234567").status == "done"
    assert referrals.get_request(row.id).name == NAME  # an int is always an id
    assert referrals.get_request(str(row.id)).name == NAME  # other digits: an id
    assert referrals.get_request("999999") is None


def test_references_are_added_to_an_old_database(tmp_path: Path) -> None:
    """A referrals database of the previous version (no reference column) is migrated."""
    import sqlite3

    path = tmp_path / "old.db"
    con = sqlite3.connect(path)
    con.execute(
        "CREATE TABLE callback_requests (id INTEGER PRIMARY KEY, created_at DATETIME NOT NULL, "
        "name VARCHAR(120) NOT NULL, contact VARCHAR(320) NOT NULL, contact_kind VARCHAR(10) NOT NULL, "
        "preferred_time VARCHAR(200), topic VARCHAR(20) NOT NULL, sender_hash VARCHAR(64), "
        "status VARCHAR(10) NOT NULL, done_at DATETIME)"
    )
    con.execute("INSERT INTO callback_requests VALUES (1, '2026-01-05 10:00:00', 'Old One', "
                "'+12125550147', 'phone', NULL, 'general', NULL, 'open', NULL)")
    con.commit()
    con.close()
    url = f"sqlite:///{path}"
    try:
        old = referrals.get_request(1, db_url=url)
        assert old.name == "Old One" and len(old.reference) == referrals.REFERENCE_LENGTH
        new = referrals.add_request(NAME, PHONE_TEXT, db_url=url)
        assert new.reference != old.reference
    finally:
        referrals.dispose_engines()


@pytest.mark.parametrize(("contact", "shown"), [
    ("+12125550147", "(212) 555-0147"),
    ("+442079460958", "+44 20 7946 0958"),
    ("zelda.q@example.org", "zelda.q@example.org"),
    ("", ""),
])
def test_contacts_are_shown_formatted(contact: str, shown: str) -> None:
    assert referrals.display_contact(contact) == shown


def test_views_are_recorded_for_the_audit(db: Path) -> None:
    a = referrals.add_request(NAME, PHONE_TEXT)
    b = referrals.add_request("Bo Li", EMAIL)
    referrals.record_views([a, b], "staff token 1a2b3c4d", "list")
    referrals.record_views([a], "staff token 1a2b3c4d", "open")
    views = referrals.list_views()
    assert [(v.request_id, v.action) for v in views] == [(a.id, "list"), (b.id, "list"), (a.id, "open")]
    assert all(v.viewer == "staff token 1a2b3c4d" and v.viewed_at for v in views)
    assert [v.action for v in referrals.list_views(a.id)] == ["list", "open"]


def test_weekly_callback_counts(db: Path) -> None:
    referrals.add_request(NAME, PHONE_TEXT)
    referrals.add_request("Bo Li", EMAIL)
    counts = referrals.weekly_callback_counts()
    monday = referrals.week_start(referrals.utcnow())
    assert counts == {monday: 2} and monday.weekday() == 0
