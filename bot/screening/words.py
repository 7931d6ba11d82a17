"""The words people answer a form with: knowledge/answer_words.yml loaded into typed objects.

The lists are content (a clinic adds "aye" or "nope nope" without touching code), so they live in
knowledge/ beside the questions. Changes here when that file's shape changes. Every entry is
checked against what normalisation can produce (lower-case letters, digits, single spaces), since
an entry with an apostrophe or a capital letter could never match and would fail silently.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.paths import KNOWLEDGE_DIR
from bot.screening.definition import Answer, ScreeningError, read_yaml

WORDS_FILE = KNOWLEDGE_DIR / "answer_words.yml"
LABELS: tuple[Answer, ...] = ("yes", "no", "unsure")
CONTROL_KINDS = ("skip", "stop")
_PLAIN = re.compile(r"^[a-z0-9]+(?: [a-z0-9]+)*$")


@dataclass(frozen=True)
class ControlWords:
    """Whole-reply requests inside a form: ``lead`` words, a word of its kind, ``tail`` words."""

    lead: tuple[str, ...]
    tail: tuple[str, ...]
    words: Mapping[str, tuple[str, ...]]  # "skip" and "stop"
    why_lead: tuple[str, ...]
    why_tail: tuple[str, ...]
    why_patterns: tuple[str, ...]  # regular expressions, one alternative each


@dataclass(frozen=True)
class AnswerWords:
    """Everything in knowledge/answer_words.yml, checked (see the file for what each part means)."""

    phrases: Mapping[str, Answer]  # found anywhere in a reply
    whole_reply: Mapping[Answer, frozenset[str]]  # "yes" and "no": only as the whole reply
    fillers: frozenset[str]
    typos: Mapping[str, str]  # misspelling -> what it means
    fuzzy_targets: tuple[str, ...]
    fuzzy_guard: frozenset[str]
    emoji: Mapping[str, Answer]
    consent: Mapping[Answer, frozenset[str]]  # "yes" and "no"
    control: ControlWords
    path: Path | None = None


def _plain_list(raw: Any, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw:
        raise ScreeningError(f"{where}: must be a non-empty list")
    out = []
    for item in raw:
        if not isinstance(item, str):
            raise ScreeningError(
                f"{where}: {item!r} is not text (quote it: YAML reads yes, no, on, off as true or "
                "false, and 100 as a number)"
            )
        if not _PLAIN.match(item):
            raise ScreeningError(
                f"{where}: {item!r} must be lower-case letters, digits and single spaces, without "
                "apostrophes (replies are normalised that way before they are read)"
            )
        out.append(item)
    return tuple(out)


def _section(data: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in data or data[key] in (None, "", [], {}):
        raise ScreeningError(f"{where}: missing `{key}`")
    return data[key]


def _by_label(raw: Any, labels: tuple[Answer, ...], where: str) -> dict[Answer, tuple[str, ...]]:
    if not isinstance(raw, Mapping) or set(raw) != set(labels):
        keys = sorted(map(str, raw)) if isinstance(raw, Mapping) else raw
        raise ScreeningError(f"{where}: needs exactly the keys {list(labels)} (quoted), got {keys}")
    return {label: _plain_list(raw[label], f"{where}.{label}") for label in labels}


def _phrases(raw: Any, where: str) -> dict[str, Answer]:
    table: dict[str, Answer] = {}
    for label, phrases in _by_label(raw, LABELS, where).items():
        for phrase in phrases:
            if phrase in table and table[phrase] != label:
                raise ScreeningError(f"{where}: {phrase!r} is listed under two answers")
            table[phrase] = label
    return table


def _typos(raw: Any, where: str) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        raise ScreeningError(f"{where}: must map each meant word to its misspellings")
    table: dict[str, str] = {}
    for meant, misspellings in raw.items():
        meant = _plain_list([meant], where)[0]
        for typo in _plain_list(misspellings, f"{where}.{meant}"):
            if typo in table:
                raise ScreeningError(f"{where}: {typo!r} is listed twice")
            table[typo] = meant
    return table


def _emoji(raw: Any, where: str) -> dict[str, Answer]:
    if not isinstance(raw, Mapping) or not set(raw) <= set(LABELS):
        raise ScreeningError(f"{where}: keys must be among {list(LABELS)} (quoted)")
    table: dict[str, Answer] = {}
    for label in LABELS:
        for char in raw.get(label) or []:
            if not isinstance(char, str) or len(char) != 1:
                raise ScreeningError(f"{where}.{label}: {char!r} must be one emoji character")
            table[char] = label
    return table


def _control(raw: Any, where: str) -> ControlWords:
    if not isinstance(raw, Mapping):
        raise ScreeningError(f"{where}: must be a mapping")
    why = _section(raw, "why", where)
    patterns = tuple(str(p) for p in _section(why, "patterns", f"{where}.why"))
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ScreeningError(f"{where}.why.patterns: {pattern!r} is not a valid pattern: {exc}") from exc
    return ControlWords(
        lead=_plain_list(_section(raw, "lead", where), f"{where}.lead"),
        tail=_plain_list(_section(raw, "tail", where), f"{where}.tail"),
        words={kind: _plain_list(_section(raw, kind, where), f"{where}.{kind}") for kind in CONTROL_KINDS},
        why_lead=_plain_list(_section(why, "lead", f"{where}.why"), f"{where}.why.lead"),
        why_tail=_plain_list(_section(why, "tail", f"{where}.why"), f"{where}.why.tail"),
        why_patterns=patterns,
    )


def parse_answer_words(data: Any, path: Path | None = None) -> AnswerWords:
    """Build ``AnswerWords`` from already-parsed YAML (tests use this with small variations)."""
    if not isinstance(data, Mapping):
        raise ScreeningError(f"{path}: top level must be a mapping")
    whole = _by_label(_section(data, "whole_reply", str(path)), ("yes", "no"), "whole_reply")
    consent = _by_label(_section(data, "consent", str(path)), ("yes", "no"), "consent")
    return AnswerWords(
        phrases=_phrases(_section(data, "answers", str(path)), "answers"),
        whole_reply={label: frozenset(words) for label, words in whole.items()},
        fillers=frozenset(_plain_list(_section(data, "fillers", str(path)), "fillers")),
        typos=_typos(_section(data, "typos", str(path)), "typos"),
        fuzzy_targets=_plain_list(_section(data, "fuzzy_targets", str(path)), "fuzzy_targets"),
        fuzzy_guard=frozenset(_plain_list(_section(data, "fuzzy_guard", str(path)), "fuzzy_guard")),
        emoji=_emoji(_section(data, "emoji", str(path)), "emoji"),
        consent={label: frozenset(words) for label, words in consent.items()},
        control=_control(_section(data, "control", str(path)), "control"),
        path=path,
    )


def load_answer_words(path: Path | str | None = None) -> AnswerWords:
    """Load and check the answer words; ``ScreeningError`` names what is wrong."""
    p = Path(path) if path is not None else WORDS_FILE
    return parse_answer_words(read_yaml(p), p)


@functools.lru_cache(maxsize=1)
def cached_answer_words() -> AnswerWords:
    """The default answer words, loaded once per process (every form turn reads them)."""
    return load_answer_words()
