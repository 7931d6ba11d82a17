"""Clinical sign-off of FAQ answers: content hashes and ``knowledge/reviews.yml``.

A sign-off is a statement that a named role read *this exact text* against its sources. So it is
tied to a hash of what a patient sees (title, answer, cited sections), not to a topic id: when the
answer is edited, the hash changes and the sign-off becomes **stale** by itself, with no one having
to remember to withdraw it. The signed text is stored with the sign-off so that the review packet
(``bot.review_packet``) can show a reviewer exactly what changed since they signed.

The repository ships with no sign-offs: nothing may claim a review that did not happen. Only
``python -m bot review sign`` writes this file (docs/review.md).
"""
from __future__ import annotations

import datetime as dt
import fcntl
import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge import FaqEntry, KnowledgeBase, KnowledgeError

REVIEWS_FILE = "reviews.yml"
UNREVIEWED = "unreviewed"
#: Key of the bot event metadata that carries ``provenance()`` (Rasa keeps unknown message keys there).
PROVENANCE_KEY = "provenance"
HASH_CHARS = 16

HEADER = """\
# Clinical sign-offs of the FAQ answers, written ONLY by `python -m bot review sign TOPIC --by ROLE`
# (docs/review.md). Each records who signed (a role), when, the content hash of the answer they
# read, and that text itself, so the review packet can show what changed since. An answer whose
# content hash no longer matches is shown as "sign-off stale" on the staff page and in the packet,
# and patients' transcripts record it as unreviewed. Do not edit by hand.
"""


def signed_content(entry: FaqEntry) -> dict[str, Any]:
    """What a patient sees of a topic, and so what a sign-off covers (not the training examples)."""
    return {
        "title": entry.title,
        "answer": entry.answer,
        "sources": [[c.source, c.heading] for c in entry.sources],
    }


def content_hash(entry: FaqEntry) -> str:
    """A short, stable fingerprint of ``signed_content`` (sha256 of canonical JSON, 16 hex)."""
    canonical = json.dumps(signed_content(entry), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:HASH_CHARS]


@dataclass(frozen=True)
class SignOff:
    topic: str
    by: str
    date: dt.date
    content_hash: str
    content: dict[str, Any]  # the signed_content() that was read


@dataclass(frozen=True)
class Status:
    """A topic's review state now: ``signed``, ``stale`` (edited since) or ``unsigned``."""

    topic: str
    content_hash: str
    state: str
    signoff: SignOff | None

    @property
    def review_date(self) -> str:
        """The date of a sign-off that covers the current text, else "unreviewed"."""
        return self.signoff.date.isoformat() if self.state == "signed" and self.signoff else UNREVIEWED

    @property
    def label(self) -> str:
        if self.state == "signed" and self.signoff:
            return f"Signed off {self.signoff.date.isoformat()} by {self.signoff.by}"
        if self.state == "stale" and self.signoff:
            return (f"Sign-off stale: the answer changed after {self.signoff.by} signed it on "
                    f"{self.signoff.date.isoformat()}")
        return "Not signed off: no clinician has reviewed this answer"

    @property
    def short_label(self) -> str:
        """For tables: "Not signed off", "Stale", or "Signed <date>, <role>"."""
        if self.state == "signed" and self.signoff:
            return f"Signed {self.signoff.date.isoformat()}, {self.signoff.by}"
        return "Stale: changed since sign-off" if self.state == "stale" else "Not signed off"


def reviews_path(knowledge_dir: Path) -> Path:
    return Path(knowledge_dir) / REVIEWS_FILE


@functools.lru_cache(maxsize=8)
def _load_cached(path: str, mtime_ns: int) -> dict[str, SignOff]:  # noqa: ARG001 - cache key
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    signoffs: dict[str, SignOff] = {}
    for topic, item in (raw.get("signoffs") or {}).items():
        try:
            date = item["date"] if isinstance(item["date"], dt.date) else dt.date.fromisoformat(str(item["date"]))
            signoffs[str(topic)] = SignOff(str(topic), str(item["by"]), date, str(item["content_hash"]),
                                           dict(item["content"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise KnowledgeError(f"{path}: sign-off of {topic!r} is incomplete ({exc})") from exc
    return signoffs


def load_signoffs(knowledge_dir: Path) -> dict[str, SignOff]:
    """The sign-offs on file (re-read when the file changes, so a running server sees new ones)."""
    path = reviews_path(knowledge_dir)
    if not path.is_file():
        return {}
    return _load_cached(str(path), path.stat().st_mtime_ns)


def status(entry: FaqEntry, signoffs: dict[str, SignOff]) -> Status:
    current = content_hash(entry)
    signoff = signoffs.get(entry.id)
    if signoff is None:
        return Status(entry.id, current, "unsigned", None)
    return Status(entry.id, current, "signed" if signoff.content_hash == current else "stale", signoff)


def statuses(kb: KnowledgeBase, knowledge_dir: Path) -> dict[str, Status]:
    signoffs = load_signoffs(knowledge_dir)
    return {topic: status(entry, signoffs) for topic, entry in kb.faqs.items()}


def provenance(entry: FaqEntry, knowledge_dir: Path) -> dict[str, str]:
    """What a transcript records with an answer: which text (topic, hash) and whether it was reviewed."""
    now = status(entry, load_signoffs(knowledge_dir))
    return {"topic": entry.id, "content_hash": now.content_hash, "review": now.review_date}


def sign(kb: KnowledgeBase, knowledge_dir: Path, topic: str, by: str,
         expected_hash: str | None = None, today: dt.date | None = None) -> SignOff:
    """Record that ``by`` (a role) signed off the current text of ``topic``.

    ``expected_hash`` is the hash printed on the packet the reviewer read: when given, the sign-off
    is refused if the answer changed since that packet was made.
    """
    if topic not in kb.faqs:
        raise KnowledgeError(f"unknown topic {topic!r} (python -m bot faq list)")
    by = " ".join(by.split())
    if not by:
        raise KnowledgeError("--by must name who signs (a role, e.g. \"pain medicine physician\")")
    entry = kb.faq(topic)
    current = content_hash(entry)
    if expected_hash is not None and len(expected_hash.strip()) < 8:
        raise KnowledgeError("--hash needs at least 8 characters of the content hash on the packet")
    if expected_hash is not None and not current.startswith(expected_hash.strip().lower()):
        raise KnowledgeError(f"{topic}: the answer changed since the packet you read (hash {expected_hash}, "
                             f"now {current}); make a new packet with `python -m bot review` and read it again")
    signoff = SignOff(topic, by, today or dt.date.today(), current, signed_content(entry))
    path = reviews_path(knowledge_dir)
    # Two people signing at the same moment must not lose one sign-off (read, change, write).
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _write(path, topic, signoff)
    return signoff


def _write(path: Path, topic: str, signoff: SignOff) -> None:
    raw = (yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None) or {}
    entries = dict(raw.get("signoffs") or {})
    entries[topic] = {"by": signoff.by, "date": signoff.date.isoformat(), "content_hash": signoff.content_hash,
                      "content": signoff.content}
    body = yaml.safe_dump({"signoffs": dict(sorted(entries.items()))}, sort_keys=False, allow_unicode=True, width=100)
    tmp = path.with_suffix(".yml.tmp")
    tmp.write_text(HEADER + body, encoding="utf-8")
    if path.is_file():  # a file kept in git: keep its mode, not the CLI's private umask
        os.chmod(tmp, path.stat().st_mode & 0o777)
    os.replace(tmp, path)
