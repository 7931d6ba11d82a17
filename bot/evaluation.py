"""``python -m bot eval``: how well the trained model answers questions nobody trained it on.

It trains nothing. It loads the trained model, parses every phrasing in the held-out set
(tests/heldout/faq_heldout.yml, never used for training) through the full NLU pipeline (spelling
repair, models, fallback, safety screen), exactly what the server does. It prints top-1 accuracy
(the topic ranked first is right and the message is treated as a question), the share answered
right, answered wrong (the number that matters most: a confident wrong answer), sent to
clarification, or taken for another intent, and the most frequent confusion pairs.
"""
from __future__ import annotations

import argparse
import asyncio
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.answers import topic_of_intent, topic_ranking
from bot.paths import ROOT


@dataclass
class EvalResult:
    total: int = 0
    top1_correct: int = 0
    answered_correct: int = 0
    answered_wrong: int = 0
    clarified: int = 0
    other_intent: int = 0
    flagged_by_safety: int = 0
    confusions: Counter = field(default_factory=Counter)
    misses: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def top1(self) -> float:
        return self.top1_correct / self.total if self.total else 0.0

    def rate(self, n: int) -> float:
        return n / self.total if self.total else 0.0


def load_heldout(path: Path) -> dict[str, list[str]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["topics"]


async def evaluate(model: Path, heldout: dict[str, list[str]]) -> EvalResult:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    result = EvalResult()
    for expected, phrasings in heldout.items():
        for text in phrasings:
            parsed = await agent.parse_message(text)
            intent = (parsed.get("intent") or {}).get("name")
            ranking = topic_ranking(parsed)
            top = ranking[0].topic if ranking else None
            answered = topic_of_intent(intent)
            result.total += 1
            if intent in ("crisis", "ask_dosing"):
                result.flagged_by_safety += 1
            as_question = answered is not None or intent == "nlu_fallback"
            if as_question and top == expected:
                result.top1_correct += 1
            else:
                result.confusions[(expected, str(top) if as_question else f"intent {intent}")] += 1
            if intent == "nlu_fallback":
                result.clarified += 1
            elif answered is None:
                result.other_intent += 1
            elif answered == expected:
                result.answered_correct += 1
            else:
                result.answered_wrong += 1
                result.misses.append((text, expected, answered))
    return result


def report(result: EvalResult) -> str:
    lines = [
        f"held-out phrasings          {result.total}",
        f"top-1 accuracy              {result.top1:.1%}",
        f"answered, right topic       {result.rate(result.answered_correct):.1%}",
        f"answered, WRONG topic       {result.rate(result.answered_wrong):.1%}",
        f"clarification rate          {result.rate(result.clarified):.1%}",
        f"taken for another intent    {result.rate(result.other_intent):.1%}",
        f"flagged by safety screen    {result.flagged_by_safety}",
        "confusion pairs (expected -> predicted, count):",
    ]
    lines += [f"  {e} -> {p}: {n}" for (e, p), n in result.confusions.most_common(15)]
    if result.misses:
        lines.append("answered with the wrong topic:")
        lines += [f"  {t!r}: expected {e}, answered {a}" for t, e, a in result.misses]
    return "\n".join(lines)


def main(args: argparse.Namespace) -> int:
    model = ROOT / args.model
    if not model.exists():
        print(f"No trained model at {model}: run `make train` first.")
        return 1
    result = asyncio.run(evaluate(model, load_heldout(ROOT / args.heldout)))
    print(report(result))
    return 0
