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
import io
import logging
import os
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

import email_validator
import phonenumbers
from sqlalchemy import Column, DateTime, Integer, String, create_engine, delete, event, inspect, select
from sqlalchemy import text as sa_text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
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
_REFERENCE_ATTEMPTS = 5
#: Request references: six characters without look-alikes (no 0/O, 1/I/L), easy to read aloud.
#: 31**6 (about 887 million) values, drawn at random: not guessable, never reused.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 6

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
    #: What the person quotes on the phone ("K7M2QX"); random, never reused (see new_reference).
    reference = Column(String(REFERENCE_LENGTH), nullable=True, unique=True, index=True)

    def __repr__(self) -> str:
        # No name or contact here: reprs end up in logs and tracebacks.
        return f"<CallbackRequest id={self.id} ref={self.reference} topic={self.topic} status={self.status}>"

    @property
    def contact_display(self) -> str:
        """The contact as staff dial or type it: "(212) 555-0147", "+44 20 7946 0958", an address."""
        return display_contact(self.contact, self.contact_kind)


class RequestView(Base):
    """Audit trail: who saw a request's personal details on the staff page, and when.

    Holds no personal data of the patient (only the request id and reference); ``viewer`` is the
    staff identity the page knows (see bot/channels/staff.py), ``action`` what was done.
    """

    __tablename__ = "callback_request_views"

    id = Column(Integer, primary_key=True)
    request_id = Column(Integer, nullable=False, index=True)
    reference = Column(String(REFERENCE_LENGTH), nullable=True)
    viewed_at = Column(UTCDateTime, nullable=False, default=utcnow)
    viewer = Column(String(120), nullable=False)
    action = Column(String(20), nullable=False, default="open")

    def __repr__(self) -> str:
        return f"<RequestView request={self.request_id} action={self.action}>"


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
            _migrate(engine)
            _engines[url] = engine
    return engine


def _migrate(engine: Engine) -> None:
    """Bring a database made by an earlier version up to date (``create_all`` adds no columns).

    Added here: ``callback_requests.reference``. Existing rows get a fresh random reference, so
    staff can quote every open request the same way.
    """
    if _has_reference_column(engine):
        return
    try:
        _add_references(engine)
    except DBAPIError:
        # Another process (a second server starting at the same moment) migrated first.
        if not _has_reference_column(engine):
            raise


def _has_reference_column(engine: Engine) -> bool:
    return "reference" in {c["name"] for c in inspect(engine).get_columns(CallbackRequest.__tablename__)}


def _add_references(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa_text(f"ALTER TABLE callback_requests ADD COLUMN reference VARCHAR({REFERENCE_LENGTH})"))
        ids = [row[0] for row in conn.execute(sa_text("SELECT id FROM callback_requests"))]
        used: set[str] = set()
        for request_id in ids:
            ref = new_reference()
            while ref in used:
                ref = new_reference()
            used.add(ref)
            conn.execute(sa_text("UPDATE callback_requests SET reference = :r WHERE id = :i"), {"r": ref, "i": request_id})
        conn.execute(sa_text(
            "CREATE UNIQUE INDEX IF NOT EXISTS ix_callback_requests_reference ON callback_requests (reference)"
        ))
    log.info("referrals database migrated: added request references to %d row(s)", len(ids))


def new_reference() -> str:
    """A random reference like "K7M2QX" (``secrets``: not predictable from earlier ones)."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def normalize_reference(value: str) -> str:
    """What a person or staff member typed ("k7m-2qx ") as a stored reference ("K7M2QX")."""
    return re.sub(r"[^A-Za-z0-9]", "", str(value or "")).upper()


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
# Phone numbers: Google's libphonenumber (the ``phonenumbers`` package) for the clinic's region
# (``region:`` in knowledge/clinic.yml, default US). It knows which area codes and lengths exist,
# so "(212) 555-014" (a digit missing) and made-up area codes are refused instead of being stored
# for staff to dial in vain. E-mail: ``email-validator`` with ``check_deliverability=False``: the
# syntax and the domain's shape are checked, nothing is looked up on the network.

DEFAULT_REGION = "US"
_EMAIL_IN_TEXT_RE = re.compile(r"[^\s<>(),;:\"]+@[^\s<>(),;:\"]+")
_LETTERS_RE = re.compile(r"[A-Za-z]")
_PHONE_CHARS_RE = re.compile(r"^\+?[\d\s\-().\/]+$")


def clinic_region() -> str:
    """Two-letter region of the clinic's phone numbers (knowledge/clinic.yml ``clinic.region``)."""
    try:
        from bot.knowledge import cached_clinic

        region = cached_clinic().region.upper()
    except Exception:  # noqa: BLE001 - a missing or broken file must not stop the queue
        region = ""
    return region if len(region) == 2 and region.isalpha() else DEFAULT_REGION


def _parse_number(raw: str, region: str) -> phonenumbers.PhoneNumber | None:
    if raw.startswith("00"):
        raw = "+" + raw[2:]  # "0044 20 ..." is how much of the world types "+44 20 ..."
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def validate_phone(text: str, region: str | None = None) -> str | None:
    """The number in E.164 ("+12125550147"), or None when ``text`` is not one valid number.

    A number without a country code is read in the clinic's region; "+44 ..." or "0044 ..." in
    that country. Only numbers that exist in the numbering plan are accepted (length, area code),
    so a missing or extra digit is caught here rather than by staff. Letters are refused
    ("415-555-CALL" would be valid for libphonenumber, but is a typo in a chat box).
    """
    if not isinstance(text, str):
        return None
    raw = text.strip()
    if raw.lower().startswith("tel:"):
        raw = raw[4:].strip()
    if not raw or not _PHONE_CHARS_RE.match(raw) or raw.count("(") != raw.count(")"):
        return None
    number = _parse_number(raw, region or clinic_region())
    if number is None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_email(text: str) -> str | None:
    """A normalised address (domain lower-cased), or None when ``text`` is not one.

    No network look-up (``check_deliverability=False``): the chat must answer at once and work
    offline, and a look-up would tell a DNS server who is asking for a callback.
    """
    if not isinstance(text, str):
        return None
    raw = text.strip()
    if raw.lower().startswith("mailto:"):
        raw = raw[7:].strip()
    if not raw or len(raw) > 254:
        return None
    try:
        result = email_validator.validate_email(raw, check_deliverability=False)
    except email_validator.EmailNotValidError:
        return None
    # Two checks stricter than the library, both typos in a chat box far more often than real:
    # a local part over 64 characters (RFC 5321's limit) and a one-letter or numeric top level.
    if len(result.local_part) > 64 or not re.fullmatch(r"[A-Za-z]{2,63}", result.domain.rsplit(".", 1)[-1]):
        return None
    return result.normalized


def validate_contact(text: str) -> tuple[ContactKind, str] | None:
    """("phone", E.164 number) or ("email", address) found in a reply, or None.

    People answer "my cell is 212-555-0147" or "email me at ann@example.org", so the number or
    address is picked out of a short sentence. Anything with an "@" is an e-mail attempt only, so
    a broken address is never misread as a phone number; a reply with two numbers is refused
    (which one would staff call?).
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
    if not _LETTERS_RE.search(stripped):
        return None  # digits only, and not a valid number: no second guess
    region = clinic_region()
    international = re.sub(r"(?<![\d+])00(?=\d)", "+", stripped)  # "0044 20 ..." -> "+44 20 ..."
    matches = list(
        phonenumbers.PhoneNumberMatcher(international, region, leniency=phonenumbers.Leniency.VALID)
    )
    if len(matches) != 1:
        return None
    return ("phone", phonenumbers.format_number(matches[0].number, phonenumbers.PhoneNumberFormat.E164))


def has_phone_digits(text: str) -> bool:
    """The reply looks like an attempt at a phone number (four digits or more)."""
    return len(re.findall(r"\d", text or "")) >= 4


def display_contact(contact: str | None, kind: str | None = None, region: str | None = None) -> str:
    """A contact as people read it: national format for the clinic's region ("(212) 555-0147"),
    international format for other countries ("+44 20 7946 0958"), e-mail unchanged."""
    if not contact:
        return ""
    if kind == "email" or "@" in contact:
        return contact
    try:
        number = phonenumbers.parse(contact, region or clinic_region())
    except phonenumbers.NumberParseException:
        return contact
    home = phonenumbers.region_code_for_number(number) == (region or clinic_region())
    fmt = phonenumbers.PhoneNumberFormat.NATIONAL if home else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, fmt)


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
    for attempt in range(_REFERENCE_ATTEMPTS):
        request = CallbackRequest(
            created_at=utcnow(),
            name=clean_name,
            contact=value,
            contact_kind=kind,
            preferred_time=_clean_text(preferred_time, MAX_PREFERRED_TIME),
            topic=topic,
            sender_hash=sender_hash(sender_id) if sender_id else None,
            status="open",
            reference=new_reference(),
        )
        try:
            with session_scope(db_url) as session:
                session.add(request)
                session.flush()
                request_id = request.id
        except IntegrityError:
            # The unique index refused a reference already in use (1 in ~887 million per row):
            # draw another. The database, not a check-then-insert, decides, so two servers
            # saving at the same moment cannot both take one reference.
            if attempt + 1 == _REFERENCE_ATTEMPTS:
                raise
            continue
        break
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


def _find(session: Session, key: int | str) -> CallbackRequest | None:
    """A request by its reference ("K7M2QX", any case) or by its id (an int or other digits).

    A text that reads as a reference is looked up as one first: references may be all digits
    ("234567", about one in 3,400), and such a reference read as an id found nothing, so staff
    could not open or mark done that person's request.
    """
    if isinstance(key, str):
        ref = normalize_reference(key)
        if len(ref) == REFERENCE_LENGTH and set(ref) <= set(REFERENCE_ALPHABET):
            stmt = select(CallbackRequest).where(CallbackRequest.reference == ref)
            found = session.execute(stmt).scalars().first()
            if found is not None or not ref.isdigit():
                return found
    if isinstance(key, int) or str(key).strip().isdigit():
        return session.get(CallbackRequest, int(key))
    return None


def get_request(request_id: int | str, *, db_url: str | None = None) -> CallbackRequest | None:
    """One request by id or reference; None when there is none."""
    with session_scope(db_url) as session:
        return _find(session, request_id)


def mark_done(request_id: int | str, *, db_url: str | None = None) -> CallbackRequest | None:
    """Mark a request done; None if there is no such id.

    Idempotent: marking a done request again keeps its first ``done_at``, so the record shows when
    the call was actually handled.
    """
    with session_scope(db_url) as session:
        request = _find(session, request_id)
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
    "id", "reference", "created_at", "status", "done_at", "topic", "name", "contact_kind", "contact",
    "contact_display", "preferred_time",
)


def _csv_safe(value: str) -> str:
    """Neutralise spreadsheet formulas in free text ("=HYPERLINK(...)" typed as a name).

    Staff open the export in Excel or LibreOffice; a cell starting with = + - @ would run as a
    formula there. A leading apostrophe makes it plain text.
    """
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _iso(value: dt.datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else ""


def csv_row(r: CallbackRequest) -> list[object]:
    """One request as a CSV row (CSV_COLUMNS order), free text formula-escaped."""
    contact = r.contact if r.contact_kind == "phone" else _csv_safe(r.contact)
    return [
        r.id, r.reference or "", _iso(r.created_at), r.status, _iso(r.done_at), r.topic,
        _csv_safe(r.name), r.contact_kind, contact, _csv_safe(r.contact_display),
        _csv_safe(r.preferred_time or ""),
    ]


def csv_text(status: str | None = None, *, db_url: str | None = None) -> tuple[str, int]:
    """The same CSV as ``export_csv``, as a string (the staff page's download); and the row count."""
    rows = list_requests(status, db_url=db_url)
    return rows_csv(rows), len(rows)


def rows_csv(rows: list[CallbackRequest]) -> str:
    """Requests as CSV text with the header row (the columns of ``export_csv``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(csv_row(r))
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# Audit of staff views, and weekly counts
# --------------------------------------------------------------------------------------------


def record_views(
    requests: list[CallbackRequest], viewer: str, action: str = "open", *, db_url: str | None = None
) -> None:
    """Record that ``viewer`` saw these requests' details (one row each, same time)."""
    if not requests:
        return
    now = utcnow()
    with session_scope(db_url) as session:
        session.add_all(
            RequestView(request_id=r.id, reference=r.reference, viewed_at=now,
                        viewer=_clean_text(viewer, 120) or "unknown", action=action[:20])
            for r in requests
        )


def list_views(request_id: int | None = None, *, db_url: str | None = None) -> list[RequestView]:
    """The audit trail, oldest first; only one request's rows when ``request_id`` is given."""
    stmt = select(RequestView).order_by(RequestView.viewed_at, RequestView.id)
    if request_id is not None:
        stmt = stmt.where(RequestView.request_id == int(request_id))
    with session_scope(db_url) as session:
        return list(session.execute(stmt).scalars())


def week_start(value: dt.datetime) -> dt.date:
    """The Monday (UTC) of the week a moment falls in."""
    day = value.astimezone(dt.timezone.utc).date()
    return day - dt.timedelta(days=day.weekday())


def weekly_callback_counts(weeks: int = 8, *, db_url: str | None = None) -> dict[dt.date, int]:
    """Callback requests saved per week (Monday, UTC) over the last ``weeks`` weeks: counts only."""
    since = dt.datetime.combine(week_start(utcnow()) - dt.timedelta(weeks=weeks - 1), dt.time(),
                                tzinfo=dt.timezone.utc)
    stmt = select(CallbackRequest.created_at).where(CallbackRequest.created_at >= since)
    counts: dict[dt.date, int] = {}
    with session_scope(db_url) as session:
        for (created,) in session.execute(stmt):
            key = week_start(created)
            counts[key] = counts.get(key, 0) + 1
    return counts


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
            writer.writerow(csv_row(r))
    log.info("exported %d callback request(s) to CSV", len(rows))
    return len(rows)
