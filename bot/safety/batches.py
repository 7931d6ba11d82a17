"""One reader for the safety screen's batch files (tests/safety/blind_*.yml and net_train/).

Why: a batch file maps a section ("crisis", "lookalike", "spanish_dosing" ...) to a list whose
items are either ``{text: ..., kind: ...}`` or a plain string. The evaluation, the learned net's
training data, the check that no evaluation item is trained on, and the k-fold sweep all read
these files; each once unwrapped the items its own way.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import yaml


def items(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(section, item) for every message of one batch file, each item a dict with ``text`` (and
    ``kind`` where the file gives one), in file order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for section, entries in data.items():
        for entry in entries or []:
            yield str(section), dict(entry) if isinstance(entry, dict) else {"text": entry}


def normalise(text: str) -> str:
    """Spaces collapsed and lower-cased: the one form in which training phrasings and evaluation
    items are compared, so the two sides of that comparison cannot drift apart."""
    return " ".join(str(text).split()).lower()


def texts(path: Path) -> set[str]:
    """Every message of one batch file, in the form ``normalise`` gives."""
    return {normalise(item["text"]) for _, item in items(path)}
