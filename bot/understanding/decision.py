"""One decision from two opinions: answer, clarify, or say what the assistant can do.

- Both opinions name the same intent and the classifier gives it at least ``agree``: act on it,
  even at modest confidence (agreement of two different kinds of model is the evidence).
- They disagree, but the classifier is sure (``alone`` or more): act on the classifier's intent.
- Otherwise clarify, offering topics from both opinions in turn, so the right topic is among the
  choices more often than either model's own top three.
- Neither has a real guess (classifier below ``floor`` and retriever similarity below
  ``min_similarity``): no choices at all; the action says what the assistant can do. This is what
  a row of "$" or random letters gets, never a confident answer.

The thresholds are chosen on the dev set by ``python -m bot eval --tune`` (the fewest
clarifications with at most 1% wrong answers) and live in config.yml beside the component.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from bot.answers import FAQ_INTENT_PREFIX as FAQ_PREFIX  # one spelling of the FAQ intent prefix
from bot.understanding.classifier import Scored

FALLBACK = "nlu_fallback"
CHOICES = 3


@dataclass(frozen=True)
class Thresholds:
    agree: float = 0.2
    alone: float = 0.6
    floor: float = 0.1
    min_similarity: float = 0.06


@dataclass(frozen=True)
class Decision:
    intent: str
    confidence: float
    agreed: bool
    choices: tuple[str, ...] = field(default=())  # FAQ intents to offer when clarifying

    @property
    def clarifies(self) -> bool:
        return self.intent == FALLBACK


def _interleave(*rankings: Sequence[Scored], limit: int = CHOICES) -> tuple[str, ...]:
    """FAQ intents from the rankings, taking the best of each in turn, without repeats."""
    seen: list[str] = []
    faq = [[s.label for s in r if s.label.startswith(FAQ_PREFIX)] for r in rankings]
    for depth in range(max((len(r) for r in faq), default=0)):
        for r in faq:
            if depth < len(r) and r[depth] not in seen:
                seen.append(r[depth])
                if len(seen) == limit:
                    return tuple(seen)
    return tuple(seen)


def decide(classifier: Sequence[Scored], retriever: Sequence[Scored], t: Thresholds) -> Decision:
    top, near = classifier[0], (retriever[0] if retriever else Scored("", 0.0))
    if top.label == near.label and top.score >= t.agree:
        return Decision(top.label, top.score, agreed=True)
    if top.score >= t.alone:
        return Decision(top.label, top.score, agreed=False)
    if top.score < t.floor and near.score < t.min_similarity:
        return Decision(FALLBACK, top.score, agreed=False)
    # only choices that are real guesses of at least one opinion
    real_c = [s for s in classifier if s.score >= t.floor / 2]
    real_r = [s for s in retriever if s.score >= t.min_similarity]
    return Decision(FALLBACK, top.score, agreed=False, choices=_interleave(real_c, real_r))
