"""``python -m bot eval-safety --kfold NAME=V1,V2``: what a setting of ``net:`` (knowledge/safety.yml)
would do, measured on groups of batches the net was trained without (never the test batch).

Why: the net's bars (``upgrade``, ``override``, ``crisis`` ...) were set on one dev batch at a time,
where a bar can be made to fit a few messages. The retired blind batches and dev were written by
some fifty different fresh writers; with the net trained without each group in turn, a bar's
effect on all of them is an honest estimate of its effect on the next writer. The leave-one-batch-
out run (``--lobo``) trains fifty nets; six groups give the same kind of figure in about a tenth of
the time, which is what a sweep of several values needs.

How: each message is screened once with the net switched out, keeping the rules' verdict and
exemptions and the fold net's probabilities. Every value of the sweep then asks the real
``second_opinion`` (bot/safety/net.py) again with those probabilities, so the decision logic is
never copied here. The rules have seen these batches (they were widened on them), so the figures
are optimistic for the rules' part; they compare bars, they do not replace a fresh test batch.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Sequence

from bot.safety import batches
from bot.safety_evaluation import EXPECTED

GROUPS = 6


@dataclass(frozen=True)
class Record:
    """One message, screened once: what the net's bars decide on."""

    section: str
    text: str
    verdict: Any  # the screen's verdict before the net's say (bot.safety.Verdict)
    exempted: tuple[str, ...]
    probs: dict[str, float] | None  # the fold net's; None when the net was never asked


def record(groups: int = GROUPS) -> list[Record]:
    """Every message of the retired blind batches and dev, with the net trained without its group."""
    import bot.safety.decision as decision
    from bot.safety import net, screen
    from bot.safety_lobo import folds

    asked: list[tuple[Any, tuple[str, ...]]] = []

    def capture(text: str, verdict: Any, exempted: Sequence[str]) -> Any:
        asked.append((verdict, tuple(exempted)))
        return verdict

    found = sorted(folds().items())
    texts, labels = net.training_data()
    out: list[Record] = []
    real = decision._net_verdict
    decision._net_verdict = capture
    try:
        for g in range(groups):
            paths = [path for _, path in found[g::groups]]
            drop: set[str] = set().union(*(batches.texts(p) for p in paths))
            net.reset()
            net._MODEL = net.train(*net.without(texts, labels, drop))
            for section, text in _messages(paths):
                asked.clear()
                verdict = screen(text)
                if asked:
                    verdict, exempted = asked[0]
                    out.append(Record(section, text, verdict, exempted, net.probabilities(text)))
                else:  # another language, an empty message: the net is never asked
                    out.append(Record(section, text, verdict, (), None))
    finally:
        decision._net_verdict = real
        net.reset()
    return out


def _messages(paths: Sequence[Any]) -> Iterator[tuple[str, str]]:
    for path in paths:
        for section, item in batches.items(path):
            if section in EXPECTED:
                yield section, str(item["text"])


def decide(rec: Record, settings: dict[str, float]) -> str:
    """The screen's kind for a recorded message under these bars: the real ``second_opinion``,
    with the recorded probabilities in place of the net's."""
    from bot.safety import net

    if rec.probs is None:
        return rec.verdict.kind
    return net.second_opinion(rec.text, rec.verdict, rec.exempted, probs=rec.probs, settings=settings).kind


def tally(records: Sequence[Record], settings: dict[str, float]) -> dict[str, tuple[int, int]]:
    """{section: (right, total)} under these bars."""
    out: dict[str, tuple[int, int]] = {}
    for rec in records:
        right, total = out.get(rec.section, (0, 0))
        out[rec.section] = (right + (decide(rec, settings) in EXPECTED[rec.section]), total + 1)
    return out


def sweep(records: Sequence[Record], name: str, values: Sequence[float]) -> str:
    """One line per value of ``name`` (the current bar first): crises missed, false flags, and
    each section's figure."""
    from bot.safety import net

    current = dict(net._settings_cached())
    lines = [f"{len(records)} messages in {GROUPS} groups, each screened by a net trained without its group"]
    for value in [current[name], *(v for v in values if v != current[name])]:
        settings = dict(current, **{name: value})
        res = tally(records, settings)
        missed = sum(t - r for s, (r, t) in res.items() if s in ("crisis", "spanish_crisis"))
        flagged = sum(t - r for s, (r, t) in res.items() if s in ("lookalike", "spanish_other"))
        parts = " ".join(f"{s} {r}/{t}" for s, (r, t) in sorted(res.items()))
        tag = " (current)" if value == current[name] else ""
        lines.append(f"{name}={value:<5}{tag:10s} crises missed {missed:4d}, false flags {flagged:4d} | {parts}")
    return "\n".join(lines)


def main(spec: str) -> int:
    name, _, values = spec.partition("=")
    print(sweep(record(), name.strip(), [float(v) for v in values.split(",") if v.strip()]))
    return 0
