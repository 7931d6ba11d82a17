"""``python -m bot eval``: how well the assistant understands wording nobody trained it on.

It parses every message of the dev set (tune here) and the test set (report only) through the
trained Rasa model -- spelling repair, both opinions, the decision, the safety screen: exactly what
the server does -- and prints, per set, for clear FAQ questions: answered directly and right,
answered wrong (the number that matters most), clarified (and whether the right topic was among the
choices), "didn't understand", taken for another intent, flagged by the safety screen; and for the
non-FAQ labels (clinic admin, out of scope, questionnaire): taken for the right intent.

``--tune`` fits the understanding model in-process on data/nlu and sweeps the decision thresholds
on the dev set only, printing the trade-off curve (bench/decision_curve.md keeps a copy).
"""
from __future__ import annotations

import argparse
import asyncio
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from bot.answers import clarify_choices
from bot.paths import ROOT
from bot.understanding.data import Labelled, dev_set, test_set
from bot.understanding.decision import FALLBACK

SAFETY_INTENTS = ("crisis", "ask_dosing")


@dataclass(frozen=True)
class Outcome:
    """What the assistant did with one message."""

    intent: str
    choices: tuple[str, ...] = ()


@dataclass
class SetResult:
    name: str
    faq: int = 0
    right: int = 0
    wrong_topic: int = 0
    other_intent: int = 0
    clarified: int = 0
    clarified_with_right: int = 0
    not_understood: int = 0
    safety_reply: int = 0  # a clear FAQ question got the crisis or dosing reply (over-refusal)
    flagged: int = 0
    non_faq: int = 0
    non_faq_right: int = 0
    by_voice: Counter = field(default_factory=Counter)
    voice_total: Counter = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def rate(self, n: int, of: int | None = None) -> float:
        total = self.faq if of is None else of
        return n / total if total else 0.0

    @property
    def wrong(self) -> int:
        return self.wrong_topic + self.other_intent


def score(name: str, items: Sequence[Labelled], outcomes: Sequence[Outcome]) -> SetResult:
    r = SetResult(name)
    for item, out in zip(items, outcomes):
        right = out.intent in item.intents
        if out.intent in SAFETY_INTENTS:
            r.flagged += 1
        if not item.is_faq:
            r.non_faq += 1
            r.non_faq_right += right
            if not right:
                r.misses.append(f"  [{item.intents[0]}] {item.text!r} -> {out.intent}")
            continue
        r.faq += 1
        r.voice_total[item.voice] += 1
        if right:
            r.right += 1
            r.by_voice[item.voice] += 1
        elif out.intent == FALLBACK:
            if out.choices:
                r.clarified += 1
                r.clarified_with_right += any(c in item.intents for c in out.choices)
            else:
                r.not_understood += 1
            r.misses.append(f"  [{item.intents[0]}] {item.text!r} -> clarify {list(out.choices)}")
        elif out.intent in SAFETY_INTENTS:
            r.safety_reply += 1
            r.misses.append(f"  [{item.intents[0]}] {item.text!r} -> SAFETY {out.intent}")
        elif out.intent.startswith("faq_"):
            r.wrong_topic += 1
            r.misses.append(f"  [{item.intents[0]}] {item.text!r} -> WRONG {out.intent}")
        else:
            r.other_intent += 1
            r.misses.append(f"  [{item.intents[0]}] {item.text!r} -> OTHER {out.intent}")
    return r


def report(r: SetResult, show_misses: bool = False) -> str:
    lines = [
        f"== {r.name}: {r.faq} clear FAQ questions, {r.non_faq} other messages",
        f"answered directly and right   {r.rate(r.right):6.1%}",
        f"answered WRONG                {r.rate(r.wrong):6.1%}  (wrong topic {r.wrong_topic}, other intent {r.other_intent})",
        f"clarified (Did you mean)      {r.rate(r.clarified):6.1%}  (right topic among choices: "
        f"{r.rate(r.clarified_with_right, r.clarified):.0%} of them)",
        f"didn't understand             {r.rate(r.not_understood):6.1%}",
        f"got a safety reply instead    {r.rate(r.safety_reply):6.1%}  (crisis/dosing reply to a clear question;"
        f" all messages flagged: {r.flagged})",
        f"non-FAQ labels right          {r.rate(r.non_faq_right, r.non_faq):6.1%}  (clinic admin, out of scope, questionnaire)",
        "answered right by voice:      "
        + ", ".join(f"{v} {r.by_voice[v] / n:.0%}" for v, n in sorted(r.voice_total.items())),
    ]
    if show_misses:
        lines += ["misses:", *r.misses]
    return "\n".join(lines)


def outcome_of(parsed: dict[str, Any]) -> Outcome:
    intent = str((parsed.get("intent") or {}).get("name"))
    return Outcome(intent, tuple("faq_" + c for c in clarify_choices(parsed)) if intent == FALLBACK else ())


async def _parse_all(model: str, texts: Iterable[str]) -> list[Outcome]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    return [outcome_of(await agent.parse_message(t)) for t in texts]


def evaluate_model(model: str, items: Sequence[Labelled], name: str) -> SetResult:
    return score(name, items, asyncio.run(_parse_all(model, [i.text for i in items])))


def main(args: argparse.Namespace) -> int:
    if args.tune:
        from bot.understanding.tuning import tune_main

        return tune_main(args)
    model = ROOT / args.model
    if not model.exists():
        print(f"No trained model at {model}: run `make train` first.")
        return 1
    sets = {"dev": dev_set(), "test": test_set()}
    for name in args.sets:
        print(report(evaluate_model(str(model), sets[name], name), args.misses))
    return 0
