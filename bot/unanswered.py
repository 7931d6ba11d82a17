"""Questions the assistant could not answer, kept for the content team's report.

What is kept, and why (security review M3): only *redacted* question text, the time, the topics
the model guessed, and a salted hash of the conversation id (the same keyed hash as callback
requests, ``bot.referrals.sender_hash``) so that "forget me" can remove that person's entries.
Redaction (``redact``) masks e-mail addresses and every digit, and replaces with ``[…]`` every word
that could name a person or a place: words that are neither common English nor the knowledge
base's own words, capitalised words inside a sentence, runs of capitalised words, the words after
"my name is", "I am", "call me", "this is", and the word after "from", "in", "at", "near" unless
it is one of the knowledge base's words. It masks too much rather than too little; the report
needs the gist of the question, not the words of the person.

Entries expire after ``OIH_RETENTION_DAYS`` (``python -m bot purge``). The file is written under
an exclusive lock (Rasa's process records, the action server forgets) and created 0600.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import functools
import json
import os
import re
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Sequence

from bot.paths import VAR_DIR

LOG_FILE = "unanswered.jsonl"
MAX_CHARS = 300
MASK = "[…]"
_EMAIL = re.compile(r"\S+@\S+")
_DIGITS = re.compile(r"\+?\d[\d\s().-]{2,}\d|\d")
_TOKEN = re.compile(r"[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F'’-]*|[^\sA-Za-z\u00C0-\u024F]+|\s+")
_CUES = ("my name is", "name is", "i am", "i'm", "im", "call me", "this is", "named", "called", "it's", "its")
_PLACE_WORDS = {"from", "in", "at", "near", "live", "lives", "living"}
_KEEP_CAPITALISED = {"i", "oih"}


@functools.lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


@functools.lru_cache(maxsize=1)
def _kb_words() -> frozenset[str]:
    """Every word of the knowledge base (titles, answers, examples) and the medication names."""
    from bot.knowledge import cached_knowledge
    from bot.nlp import medication_terms

    words: set[str] = set()
    for entry in cached_knowledge().faqs.values():
        text = " ".join([entry.title, entry.answer, *(getattr(entry, "examples", None) or [])])
        words.update(w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]*", text))
    for term in medication_terms():
        words.update(re.findall(r"[a-z][a-z'-]*", term.lower()))
    return frozenset(words)


@functools.lru_cache(maxsize=1)
def _allowed_words() -> frozenset[str]:
    from bot.nlp import common_words

    return _kb_words() | common_words()


def redact(text: str) -> str:
    """The question with e-mails, digits, names and places masked (see the module docstring)."""
    tokens = _TOKEN.findall(" ".join(text.split()))
    words = [i for i, t in enumerate(tokens) if t[:1].isalpha()]
    mask: set[int] = set()
    sentence_start = True
    prev_lower: list[str] = []
    pending_cue = 0
    for pos, i in enumerate(words):
        word = tokens[i]
        lower = word.lower().strip("'’-")
        # punctuation between the previous word and this one ends a sentence?
        between = "".join(tokens[words[pos - 1] + 1:i]) if pos else ""
        if pos and re.search(r"[.!?;:]", between):
            sentence_start = True
        if pos and re.search(r"[,.!?;:()]", between):
            pending_cue = 0
        capitalised = word[:1].isupper() and lower not in _KEEP_CAPITALISED
        nxt = tokens[words[pos + 1]] if pos + 1 < len(words) else ""
        if lower not in _allowed_words():
            mask.add(i)
        elif capitalised and not sentence_start and lower not in _kb_words():
            mask.add(i)
        elif capitalised and sentence_start and nxt[:1].isupper() and nxt.lower() not in _KEEP_CAPITALISED \
                and lower not in _kb_words():
            mask.add(i)  # "Zed Testperson here": a capitalised pair at the start
        elif pending_cue and lower not in _stop_words():
            mask.add(i)
        elif prev_lower and prev_lower[-1] in _PLACE_WORDS and lower not in _stop_words() and lower not in _kb_words():
            mask.add(i)
        if pending_cue:
            pending_cue -= 1
            if lower in ("and", "from", "but", "i", "my"):
                pending_cue = 0
        prev_lower.append(lower)
        joined = " ".join(prev_lower[-3:])
        if any(joined == cue or joined.endswith(" " + cue) for cue in _CUES):
            pending_cue = 3
        sentence_start = False
    out = "".join(MASK if i in mask else t for i, t in enumerate(tokens))
    out = _DIGITS.sub("#", _EMAIL.sub("[email]", out))
    out = re.sub(r"(?:\[…\]\s*){2,}", MASK + " ", out).strip()
    return out[:MAX_CHARS]


def _path(var_dir: Path) -> Path:
    return var_dir / LOG_FILE


@contextmanager
def _locked(var_dir: Path) -> Iterator[Path]:
    """An exclusive lock on the report (a lock file beside it), 0600 files in a 0700 folder."""
    var_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(var_dir / (LOG_FILE + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield _path(var_dir)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def record(question: str, guesses: Sequence[str], var_dir: Path = VAR_DIR, sender_id: str | None = None) -> None:
    from bot.referrals import sender_hash

    row = {
        "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "question": redact(question),
        "guesses": list(guesses),
        "sender": sender_hash(sender_id) if sender_id else None,
    }
    with _locked(var_dir) as path:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_all(var_dir: Path = VAR_DIR) -> list[dict]:
    path = _path(var_dir)
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            rows.append(json.loads(line))
        except ValueError:
            continue  # a torn line from a crash: skip it
    return rows


def _rewrite(var_dir: Path, drop: Callable[[dict], bool]) -> int:
    """Remove rows for which ``drop`` is true; returns how many. Rewritten in place (same inode,
    then truncated), so the removed text does not survive in the file itself."""
    with _locked(var_dir) as path:
        if not path.exists():
            return 0
        rows = read_all(var_dir)
        keep = [r for r in rows if not drop(r)]
        if len(keep) == len(rows):
            return 0
        data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in keep).encode("utf-8")
        size = path.stat().st_size
        with open(path, "r+b") as fh:
            fh.write(data + b"\0" * max(0, size - len(data)))  # overwrite the old bytes first
            fh.flush()
            os.fsync(fh.fileno())
            fh.truncate(len(data))
        return len(rows) - len(keep)


def forget_sender(sender_id: str, var_dir: Path = VAR_DIR) -> int:
    """"Forget me": remove this conversation's entries; returns how many."""
    from bot.referrals import sender_hash

    digest = sender_hash(sender_id)
    return _rewrite(var_dir, lambda r: r.get("sender") == digest)


def purge_older_than(cutoff: dt.datetime, var_dir: Path = VAR_DIR) -> int:
    """Retention: remove entries recorded before ``cutoff`` (and undatable ones)."""

    def old(row: dict) -> bool:
        try:
            return dt.datetime.fromisoformat(str(row.get("at"))) < cutoff
        except ValueError:
            return True

    return _rewrite(var_dir, old)


def summary(var_dir: Path = VAR_DIR) -> list[tuple[str, int]]:
    """Questions, most frequent first (case-insensitive), for the content report."""
    counts = Counter(r["question"].lower() for r in read_all(var_dir) if r.get("question"))
    return counts.most_common()
