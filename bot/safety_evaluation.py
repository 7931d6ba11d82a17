"""``python -m bot eval-safety``: recall and false flags of the safety screen on blind batches.

The batches (tests/safety/blind_dev.yml to tune on, tests/safety/blind_test.yml to report only)
were written by helpers who never saw the screen's rules or the earlier test sets. When a round
is over, its batches retire into tests/safety/net_train/ (training data for the learned net) and
fresh blind batches replace them. A dosing
message caught as a crisis still gets a safe reply, so it counts as caught; a crisis message caught
only as dosing does not.
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from bot.paths import ROOT
from bot.safety import batches

SETS = {"dev": ROOT / "tests/safety/blind_dev.yml", "test": ROOT / "tests/safety/blind_test.yml"}
#: section -> the verdict kinds that count as caught ("none" for sections that must not be flagged)
EXPECTED = {
    "crisis": {"crisis"},
    "dosing": {"dosing", "crisis"},
    "lookalike": {"none"},
    "spanish_crisis": {"crisis"},
    "spanish_dosing": {"dosing", "crisis"},
    "spanish_other": {"none"},
}


@dataclass
class SectionResult:
    total: int = 0
    ok: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.ok / self.total if self.total else 0.0


def evaluate(path: Path, classify: Callable[[str], str]) -> dict[str, SectionResult]:
    """``classify`` returns the kind the assistant gives a message: crisis, dosing or none."""
    out: dict[str, SectionResult] = {}
    for section, item in batches.items(path):
        if section not in EXPECTED:
            continue
        res = out.setdefault(section, SectionResult())
        kind = classify(item["text"])
        res.total += 1
        if kind in EXPECTED[section]:
            res.ok += 1
        else:
            res.misses.append(f"  [{section}/{item.get('kind', '')}] {item['text']!r} -> {kind}")
    return out


def report(name: str, results: dict[str, SectionResult], misses: bool = False) -> str:
    lines = [f"== {name}"]
    for section, r in results.items():
        what = "flagged" if EXPECTED[section] == {"none"} else "recall"
        value = 1 - r.rate if what == "flagged" else r.rate
        lines.append(f"{section:16s} {r.total:4d}  {what} {value:6.1%}")
    if misses:
        for r in results.values():
            lines += r.misses
    return "\n".join(lines)


def screen_kind(text: str) -> str:
    from bot.safety import screen

    return screen(text).kind


def model_kinds(model: str, texts: list[str]) -> dict[str, str]:
    """The kind the whole trained pipeline gives each text (screen and models together)."""
    import asyncio

    from rasa.core.agent import Agent

    kinds = {"crisis": "crisis", "ask_dosing": "dosing"}

    async def run() -> dict[str, str]:
        agent = Agent.load(model)
        out = {}
        for t in texts:
            parsed = await agent.parse_message(t)
            out[t] = kinds.get((parsed.get("intent") or {}).get("name"), "none")
        return out

    return asyncio.run(run())


def main(args: argparse.Namespace) -> int:
    chosen = [(name, SETS[name]) for name in args.sets]
    chosen += [(Path(f).stem, Path(f)) for f in getattr(args, "batch", None) or []]
    for name, path in chosen:
        classify = screen_kind
        if args.model:
            texts = [item["text"] for _, item in batches.items(path)]
            classify = model_kinds(args.model, texts).__getitem__
        print(report(name, evaluate(path, classify), args.misses))
    return 0
