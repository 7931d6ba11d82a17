"""Questions the assistant could not answer, kept for the content team's report.

Only the redacted question text, the time and the topics the model guessed are kept: no sender
id, and e-mail addresses, phone numbers and other digit runs are masked before anything is
written, so the report holds no personal data.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from typing import Sequence

from bot.paths import VAR_DIR

LOG_FILE = "unanswered.jsonl"
MAX_CHARS = 300
_EMAIL = re.compile(r"\S+@\S+")
_DIGITS = re.compile(r"\+?\d[\d\s().-]{2,}\d|\d")


def redact(text: str) -> str:
    text = _EMAIL.sub("[email]", text)
    text = _DIGITS.sub("#", text)
    return " ".join(text.split())[:MAX_CHARS]


def record(question: str, guesses: Sequence[str], var_dir: Path = VAR_DIR) -> None:
    var_dir.mkdir(parents=True, exist_ok=True)
    row = {
        "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "question": redact(question),
        "guesses": list(guesses),
    }
    with open(var_dir / LOG_FILE, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_all(var_dir: Path = VAR_DIR) -> list[dict]:
    path = var_dir / LOG_FILE
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def summary(var_dir: Path = VAR_DIR) -> list[tuple[str, int]]:
    """Questions, most frequent first (case-insensitive), for the content report."""
    counts = Counter(r["question"].lower() for r in read_all(var_dir))
    return counts.most_common()
