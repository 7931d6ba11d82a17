"""The callback-request queue: patients ask to be called back, clinic staff work through the list.

Storage is SQLAlchemy 1.4 so that the same code runs on the embedded default (a SQLite file under
``var/``) and on PostgreSQL in production; only the URL in ``OIH_REFERRALS_DB_URL`` changes.

Privacy rules this module keeps, and why:
- Names and contact details are personal data. They go into the database (staff need them to call
  back) and to staff screens, but never into logs: log lines only carry request ids, topics and
  the kind of contact. The engine is created with ``hide_parameters=True`` so a database error
  cannot print a name into a traceback either, and the model's ``repr`` shows no personal fields.
- The conversation's sender id is not stored. Only a salted hash of it is, so that "forget me"
  can delete that person's requests without the database linking rows to chat transcripts.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import hmac
import logging
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from sqlalchemy import Column, DateTime, Integer, String, create_engine, delete, event, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, declarative_base, sessionmaker
from sqlalchemy.types import TypeDecorator

from bot.paths import VAR_DIR

log = logging.getLogger(__name__)

ContactKind = Literal["phone", "email"]
Status = Literal["open", "done"]

DB_URL_ENV = "OIH_REFERRALS_DB_URL"
SALT_ENV = "OIH_SENDER_SALT"
#: Development salt. Set OIH_SENDER_SALT in production: with a public salt, a known sender id
#: could be matched to its hash.
DEV_SALT = "oih-dev-sender-salt-not-for-production"
DEFAULT_DB_PATH = VAR_DIR / "referrals.db"

TOPICS: tuple[str, ...] = ("screening", "dosing", "general")
STATUSES: tuple[str, ...] = ("open", "done")
MAX_NAME = 120
MAX_PREFERRED_TIME = 200

Base = declarative_base()


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class UTCDateTime(TypeDecorator):
    """Stores UTC and always returns timezone-aware UTC datetimes.

    SQLite has no time zones and hands back naive datetimes; without this, a value would come back
    as naive from SQLite but aware from PostgreSQL, and comparisons would fail on one of them.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: object) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: object) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


class CallbackRequest(Base):
    """One request to be called (or emailed) back by the clinic."""

    __tablename__ = "callback_requests"

    id = Column(Integer, primary_key=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    name = Column(String(MAX_NAME), nullable=False)
    contact = Column(String(320), nullable=False)
    contact_kind = Column(String(10), nullable=False)
    preferred_time = Column(String(MAX_PREFERRED_TIME), nullable=True)
    topic = Column(String(20), nullable=False, default="general")
    sender_hash = Column(String(64), nullable=True, index=True)
    status = Column(String(10), nullable=False, default="open", index=True)
    done_at = Column(UTCDateTime, nullable=True)

    def __repr__(self) -> str:
        # No name or contact here: reprs end up in logs and tracebacks.
        return f"<CallbackRequest id={self.id} topic={self.topic} status={self.status}>"


# --------------------------------------------------------------------------------------------
# Engine and sessions
# --------------------------------------------------------------------------------------------

_ENGINE_LOG_NAME = "oih_referrals"
_ENGINE_LOGGER = f"sqlalchemy.engine.Engine.{_ENGINE_LOG_NAME}"
_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def database_url(db_url: str | None = None) -> str:
    """The URL to use: the argument, else ``OIH_REFERRALS_DB_URL``, else the SQLite default.

    Read at call time (not import time) so tests and the CLI can point at another database.
    """
    return db_url or os.environ.get(DB_URL_ENV) or f"sqlite:///{DEFAULT_DB_PATH}"


def get_engine(db_url: str | None = None) -> Engine:
    """One engine per URL per process, with the table created on first use.

    Two guards keep personal data out of SQLAlchemy's own logging, whatever the app's log config:
    ``hide_parameters`` removes bound values from logged statements and error messages, and the
    engine's own logger is capped at INFO, because at DEBUG SQLAlchemy logs every result row
    (names and phone numbers included) even with hidden parameters.
    """
    url = database_url(db_url)
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            parsed = make_url(url)
            if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
                Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            logging.getLogger(_ENGINE_LOGGER).setLevel(logging.INFO)
            engine = create_engine(
                url, future=True, hide_parameters=True, echo=False, logging_name=_ENGINE_LOG_NAME,
                pool_pre_ping=True,  # survive a database restart: check pooled connections first
            )
            if parsed.get_backend_name() == "sqlite":
                event.listen(engine, "connect", _sqlite_secure_delete)
            Base.metadata.create_all(engine)
            _engines[url] = engine
    return engine


def _sqlite_secure_delete(dbapi_connection: object, _record: object) -> None:
    """Deleted requests are overwritten with zeros in the file, whatever the SQLite build's default."""
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    try:
        cursor.execute("PRAGMA secure_delete=ON")
    finally:
        cursor.close()


def dispose_engines() -> None:
    """Close all pooled connections (tests call this so temporary SQLite files can be removed)."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


@contextmanager
def session_scope(db_url: str | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error.

    ``expire_on_commit=False`` lets callers read the returned objects after the session closes.
    """
    factory = sessionmaker(bind=get_engine(db_url), expire_on_commit=False, future=True)
    session = factory()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------

_PHONE_CHARS_RE = re.compile(r"^\+?[\d\s\-().\/]+$")
_PHONE_IN_TEXT_RE = re.compile(r"(?:\+|\b00|\()?\d[\d\s\-().\/]{5,}\d")
_EMAIL_LOCAL_RE = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_EMAIL_LABEL_RE = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_EMAIL_IN_TEXT_RE = re.compile(r"[^\s<>(),;:\"]+@[^\s<>(),;:\"]+")


def validate_phone(text: str) -> str | None:
    """A normalised phone number, or None when ``text`` is not one.

    Accepts US formats ("(555) 123-4567", "555.123.4567", "1-555-123-4567") and international
    ones ("+44 20 7946 0958", "0044 20 7946 0958"), with 7 to 15 digits (the E.164 maximum).
    Output: E.164 ("+15551234567") when the country is known, that is when the number starts with
    "+" or "00", or is a ten-digit North American number; other numbers keep their digits only
    ("02079460958"), because guessing a country code could make staff dial the wrong number.
    Letters, several "+" and runs of one repeated digit are rejected.
    """
    if not isinstance(text, str):
        return None
    raw = text.strip()
    if raw.lower().startswith("tel:"):
        raw = raw[4:].strip()
    if not raw or not _PHONE_CHARS_RE.match(raw):
        return None
    if raw.count("(") != raw.count(")"):
        return None
    digits = re.sub(r"\D", "", raw)
    international = raw.startswith("+")
    if not international and digits.startswith("00"):
        digits, international = digits[2:], True
    if not 7 <= len(digits) <= 15 or len(set(digits)) == 1:
        return None
    if international:
        if digits[0] == "0":
            return None  # country codes never start with 0
        return "+" + digits
    if len(digits) == 10 and digits[0] in "23456789":
        return "+1" + digits
    if len(digits) == 11 and digits[0] == "1" and digits[1] in "23456789":
        return "+" + digits
    return digits


def validate_email(text: str) -> str | None:
    """A normalised email address (domain lower-cased), or None when ``text`` is not one.

    Deliberately stricter than RFC 5322: no quoted local parts, no IP-literal domains, a dotted
    domain with a letters-only top level. Such addresses are valid in theory but almost always a
    typo in a chat box, and a callback that cannot arrive is worse than asking again.
    """
    if not isinstance(text, str):
        return None
    raw = text.strip()
    if raw.lower().startswith("mailto:"):
        raw = raw[7:].strip()
    if not raw or len(raw) > 254 or raw.count("@") != 1 or any(c.isspace() for c in raw):
        return None
    local, domain = raw.split("@")
    if not local or len(local) > 64 or not _EMAIL_LOCAL_RE.match(local):
        return None
    labels = domain.split(".")
    if len(labels) < 2 or not all(_EMAIL_LABEL_RE.match(label) for label in labels):
        return None
    if not re.fullmatch(r"[A-Za-z]{2,63}", labels[-1]):
        return None
    return f"{local}@{domain.lower()}"


def validate_contact(text: str) -> tuple[ContactKind, str] | None:
    """("phone", number) or ("email", address) found in a reply, or None.

    People answer "my cell is 555-123-4567" or "email me at ann@example.org", so the phone number
    or address is picked out of a short sentence. Anything with an "@" is treated as an email
    attempt only, so a broken address is never misread as a phone number.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    stripped = text.strip().rstrip(".!")
    if "@" in stripped:
        found = _EMAIL_IN_TEXT_RE.findall(stripped)
        if len(found) != 1:
            return None
        email = validate_email(found[0].strip(".!?'"))
        return ("email", email) if email else None
    phone = validate_phone(stripped)
    if phone:
        return ("phone", phone)
    candidates = _PHONE_IN_TEXT_RE.findall(stripped)
    if len(candidates) == 1:
        phone = validate_phone(candidates[0].strip())
        if phone:
            return ("phone", phone)
    return None


def _clean_text(value: str | None, limit: int) -> str | None:
    """Strip control characters and squeeze spaces; free text goes to staff screens and CSV."""
    if value is None:
        return None
    cleaned = " ".join("".join(ch if ch.isprintable() else " " for ch in str(value)).split())
    return cleaned[:limit] or None


@functools.lru_cache(maxsize=1)
def _warn_dev_salt() -> None:
    """Warn once per process, not on every request."""
    log.warning("%s is not set: using the development salt for sender hashes", SALT_ENV)


def sender_hash(sender_id: str) -> str:
    """Salted SHA-256 (HMAC-SHA256, the salt as key) of a conversation sender id.

    HMAC rather than sha256(salt + id) because it is the standard keyed construction and has no
    length-extension quirks; either way the raw sender id is never stored.
    """
    salt = os.environ.get(SALT_ENV)
    if not salt:
        _warn_dev_salt()
        salt = DEV_SALT
    return hmac.new(salt.encode("utf-8"), str(sender_id).encode("utf-8"), hashlib.sha256).hexdigest()


# --------------------------------------------------------------------------------------------
# Queue operations
# --------------------------------------------------------------------------------------------


def add_request(
    name: str,
    contact: str,
    preferred_time: str | None = None,
    topic: str = "general",
    sender_id: str | None = None,
    *,
    db_url: str | None = None,
) -> CallbackRequest:
    """Validate and save one callback request; returns the saved (detached) row.

    ``contact`` is validated again here even if the form already did, because this is the last
    gate before the database. Errors never quote the value (they might be logged by a caller).
    """
    clean_name = _clean_text(name, MAX_NAME)
    if not clean_name:
        raise ValueError("name is required")
    parsed = validate_contact(contact)
    if parsed is None:
        raise ValueError("contact is not a valid phone number or email address")
    kind, value = parsed
    if topic not in TOPICS:
        raise ValueError(f"topic must be one of {TOPICS}")
    request = CallbackRequest(
        created_at=utcnow(),
        name=clean_name,
        contact=value,
        contact_kind=kind,
        preferred_time=_clean_text(preferred_time, MAX_PREFERRED_TIME),
        topic=topic,
        sender_hash=sender_hash(sender_id) if sender_id else None,
        status="open",
    )
    with session_scope(db_url) as session:
        session.add(request)
        session.flush()
        request_id = request.id
    log.info("callback request %s saved (topic=%s, contact_kind=%s)", request_id, topic, kind)
    return request


def list_requests(status: str | None = None, *, db_url: str | None = None) -> list[CallbackRequest]:
    """Requests oldest first (the queue order staff work in), optionally only "open" or "done"."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES} or None")
    stmt = select(CallbackRequest).order_by(CallbackRequest.created_at, CallbackRequest.id)
    if status is not None:
        stmt = stmt.where(CallbackRequest.status == status)
    with session_scope(db_url) as session:
        return list(session.execute(stmt).scalars())


def get_request(request_id: int, *, db_url: str | None = None) -> CallbackRequest | None:
    with session_scope(db_url) as session:
        return session.get(CallbackRequest, int(request_id))


def mark_done(request_id: int, *, db_url: str | None = None) -> CallbackRequest | None:
    """Mark a request done; None if there is no such id.

    Idempotent: marking a done request again keeps its first ``done_at``, so the record shows when
    the call was actually handled.
    """
    with session_scope(db_url) as session:
        request = session.get(CallbackRequest, int(request_id))
        if request is None:
            return None
        if request.status != "done":
            request.status = "done"
            request.done_at = utcnow()
            log.info("callback request %s marked done", request.id)
        return request


def forget_sender(sender_id: str, *, db_url: str | None = None) -> int:
    """Delete every request made from this conversation ("forget me"); returns how many."""
    digest = sender_hash(sender_id)
    with session_scope(db_url) as session:
        stmt = select(CallbackRequest).where(CallbackRequest.sender_hash == digest)
        rows = list(session.execute(stmt).scalars())
        for row in rows:
            session.delete(row)
        ids = [row.id for row in rows]
    log.info("forgot sender: deleted %d callback request(s) %s", len(ids), ids)
    return len(ids)


def purge_done_before(cutoff: dt.datetime, *, db_url: str | None = None) -> int:
    """Retention: delete requests marked done before ``cutoff``; returns how many. Open requests
    stay until staff handle them (deleting one would lose a patient's request unseen)."""
    with session_scope(db_url) as session:
        result = session.execute(
            delete(CallbackRequest).where(CallbackRequest.status == "done", CallbackRequest.done_at < cutoff)
        )
        count = int(result.rowcount or 0)
    log.info("retention: deleted %d handled callback request(s)", count)
    return count


CSV_COLUMNS: tuple[str, ...] = (
    "id", "created_at", "status", "done_at", "topic", "name", "contact_kind", "contact",
    "preferred_time",
)


def _csv_safe(value: str) -> str:
    """Neutralise spreadsheet formulas in free text ("=HYPERLINK(...)" typed as a name).

    Staff open the export in Excel or LibreOffice; a cell starting with = + - @ would run as a
    formula there. A leading apostrophe makes it plain text.
    """
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _iso(value: dt.datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else ""


def export_csv(path: str | Path, status: str | None = None, *, db_url: str | None = None) -> int:
    """Write requests to a CSV file for staff; returns the number of rows.

    The sender hash is left out: it is only for "forget me". Phone numbers are written as
    validated ("+15551234567") and are not formula-escaped; every free-text field is.
    """
    rows = list_requests(status, db_url=db_url)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS)
        for r in rows:
            contact = r.contact if r.contact_kind == "phone" else _csv_safe(r.contact)
            writer.writerow([
                r.id, _iso(r.created_at), r.status, _iso(r.done_at), r.topic, _csv_safe(r.name),
                r.contact_kind, contact, _csv_safe(r.preferred_time or ""),
            ])
    log.info("exported %d callback request(s) to CSV", len(rows))
    return len(rows)
