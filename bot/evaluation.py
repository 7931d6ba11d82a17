"""``python -m bot eval``: how well the trained model answers questions nobody trained it on.

It trains nothing. It loads the trained model, parses every phrasing in the held-out set
(tests/heldout/faq_heldout.yml, never used for training) through the full NLU pipeline (spelling
repair, models, safety screen) and applies the same answer/clarify rule as the action server
(bot/answers.py). It prints top-1 accuracy, the share answered right, answered wrong and sent to
clarification, and the most frequent confusion pairs.
"""
from __future__ import annotations

import argparse
import asyncio
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.answers import TopicScore, decide
from bot.paths import ROOT


@dataclass
class EvalResult:
    total: int = 0
    top1_correct: int = 0
    answered_correct: int = 0
    answered_wrong: int = 0
    clarified: int = 0
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


def parse_to_scores(parsed: dict) -> tuple[str | None, float, list[TopicScore]]:
    intent = parsed.get("intent") or {}
    selector = (parsed.get("response_selector") or {}).get("faq") or {}
    ranking = [
        TopicScore(r["intent_response_key"].split("/", 1)[1], float(r["confidence"]))
        for r in selector.get("ranking") or []
        if str(r.get("intent_response_key", "")).startswith("faq/")
    ]
    return intent.get("name"), float(intent.get("confidence") or 0.0), ranking


async def evaluate(model: Path, heldout: dict[str, list[str]]) -> EvalResult:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    result = EvalResult()
    for expected, phrasings in heldout.items():
        for text in phrasings:
            parsed = await agent.parse_message(text)
            intent, confidence, ranking = parse_to_scores(parsed)
            result.total += 1
            top = ranking[0].topic if ranking else None
            if intent in ("crisis", "ask_dosing"):
                result.flagged_by_safety += 1
            if top == expected and intent == "faq":
                result.top1_correct += 1
            else:
                result.confusions[(expected, f"{intent}:{top}" if intent != "faq" else str(top))] += 1
            decision = decide(intent, confidence, ranking)
            if decision.answer is None:
                result.clarified += 1
            elif decision.answer == expected:
                result.answered_correct += 1
            else:
                result.answered_wrong += 1
                result.misses.append((text, expected, decision.answer))
    return result


def report(result: EvalResult) -> str:
    lines = [
        f"held-out phrasings          {result.total}",
        f"top-1 accuracy              {result.top1:.1%}",
        f"answered, right topic       {result.rate(result.answered_correct):.1%}",
        f"answered, WRONG topic       {result.rate(result.answered_wrong):.1%}",
        f"clarification rate          {result.rate(result.clarified):.1%}",
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
