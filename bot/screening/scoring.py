"""Scoring: the answers to the questionnaire turned into a level, and the signs behind it.

Changes only when the clinical rule changes (which answers count, the thresholds, the gate). It
never produces a diagnosis: the strongest level is "several signs", and the result texts
(``bot.screening.result``) say that it is not a diagnosis.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.screening.definition import (
    ANSWER_VALUES,
    AnswerValue,
    Level,
    Question,
    Screening,
    cached_screening,
)

#: Level thresholds, counted in the 002 article's distinguishing clues only (see ``score``).
SEVERAL_SIGNS_AT = 3
SOME_SIGNS_AT = 2


@dataclass(frozen=True)
class ScreeningResult:
    """The outcome of one completed screening. Holds no personal data: only the answers."""

    screening: Screening = field(repr=False)
    answers: Mapping[str, AnswerValue]
    reported: tuple[Question, ...]  # distinguishing clues present: the only ones that count
    unsure: tuple[Question, ...]
    skipped: tuple[Question, ...]
    level: Level
    context: tuple[Question, ...] = ()  # context items present: listed apart, never counted
    gate: Question | None = None

    @property
    def sign_count(self) -> int:
        """Distinguishing clues present (a "no" on an inverted question would count, a "yes" not)."""
        return len(self.reported)

    @property
    def gate_open(self) -> bool:
        """The setting for OIH is there (long-term use answered "yes"), or there is no gate."""
        return self.gate is None or self.answers.get(self.gate.id) == "yes"

    @property
    def gate_unclear(self) -> bool:
        return self.gate is not None and self.answers.get(self.gate.id) in ("unsure", "skipped")

    @property
    def yes_count(self) -> int:
        """Raw "yes" answers, as typed; see ``sign_count`` for what the level is based on."""
        return sum(1 for v in self.answers.values() if v == "yes")

    @property
    def no_count(self) -> int:
        return sum(1 for v in self.answers.values() if v == "no")

    @property
    def unsure_count(self) -> int:
        return len(self.unsure)

    @property
    def skipped_count(self) -> int:
        return len(self.skipped)

    @property
    def incomplete(self) -> bool:
        """More than half of the questions were skipped or unsure: the level says little then."""
        return (self.unsure_count + self.skipped_count) * 2 > len(self.screening.questions)

    @property
    def short_term_only(self) -> bool:
        """The person said no to long-term use; OIH is rare then (source 002), worth a note."""
        return self.gate is not None and self.answers.get(self.gate.id) == "no"


def _normalize_value(value: Any) -> AnswerValue:
    if value is None or value == "" or value == "skip":
        return "skipped"
    if isinstance(value, str) and value in ANSWER_VALUES:
        return value  # type: ignore[return-value]
    raise ValueError(f"answer must be one of {ANSWER_VALUES} or None, got {value!r}")


def level_for(sign_count: int, gate_open: bool = True) -> Level:
    """The level for a number of the 002 article's distinguishing clues.

    Only the clues count (worse pain after a dose increase, spreading pain, a new kind of pain,
    pain from light touch, pain that stays bad on a steady dose): three or more -> "several signs";
    two -> "some signs"; zero or one -> "few or no signs". Long-term use is the setting for OIH,
    not a sign of it, so it is a gate: unless the person said "yes" to it, the level stays at
    "few or no signs". Relief wearing off sooner, trouble sleeping and "no known new cause" are
    common with tolerance, withdrawal and any chronic pain (content audit, section 7), so they are
    reported apart and never counted: ordinary tolerance with poor sleep cannot reach a level.
    "Unsure" and skipped answers never add to the level either, so the result can only
    understate, never overstate. None of the levels is a diagnosis and the texts say so.
    """
    if not gate_open:
        return "few or no signs"
    if sign_count >= SEVERAL_SIGNS_AT:
        return "several signs"
    if sign_count >= SOME_SIGNS_AT:
        return "some signs"
    return "few or no signs"


def score(answers: Mapping[str, Any], screening: Screening | None = None) -> ScreeningResult:
    """Score answers keyed by question id; values "yes"/"no"/"unsure"/"skipped" (None = skipped).

    A question that is missing from ``answers`` counts as skipped, so a form that lost a slot
    still produces an honest (incomplete) result. Keys that are not question ids are ignored,
    because the Rasa form passes its whole slot dictionary. An unknown value raises ValueError:
    it would mean a bug in the form, and a silent guess could change the result.
    """
    s = screening or cached_screening()
    normalized: dict[str, AnswerValue] = {
        q.id: _normalize_value(answers.get(q.id)) for q in s.questions
    }
    present = [q for q in s.questions if q.points_to_oih(normalized[q.id])]
    reported = tuple(q for q in present if q.role == "clue")
    context = tuple(q for q in present if q.role == "context")
    gate = next((q for q in s.questions if q.role == "gate"), None)
    unsure = tuple(q for q in s.questions if normalized[q.id] == "unsure")
    skipped = tuple(q for q in s.questions if normalized[q.id] == "skipped")
    gate_open = gate is None or normalized[gate.id] == "yes"
    return ScreeningResult(
        screening=s,
        answers=normalized,
        reported=reported,
        unsure=unsure,
        skipped=skipped,
        level=level_for(len(reported), gate_open),
        context=context,
        gate=gate,
    )
