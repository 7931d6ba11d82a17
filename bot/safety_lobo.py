"""``python -m bot eval-safety --lobo``: the whole screen on each blind batch, with the learned net
trained without that batch (leave one batch out).

Why: one dev batch is one writer pair's habits. Every retired blind batch
(tests/safety/net_train/retired_blind_*.yml) and the current dev batch were written by different
fresh writers, so measuring each with a net that never saw it gives a steadier estimate for
choosing the net's data and settings than dev alone. The test batch is never a fold. The rules
have seen the retired batches (they were widened on them), so these figures are optimistic for
the rules' part; each round's first pass on a fresh test batch is the honest figure.
"""
from __future__ import annotations

from pathlib import Path

from bot.safety_evaluation import EXPECTED, SETS, SectionResult, evaluate, screen_kind
from bot.safety_evaluation import report as section_report


def folds(sets_dir: Path | None = None) -> dict[str, Path]:
    from bot.safety import net

    sets_dir = sets_dir or net.SETS_DIR
    out = {p.stem.replace("retired_blind_", ""): p for p in sorted((sets_dir / "net_train").glob("retired_blind_*.yml"))}
    out["dev"] = SETS["dev"]
    return out


def run() -> dict[str, dict[str, SectionResult]]:
    """{fold: {section: result}} with the net retrained per fold (restored afterwards)."""
    from bot.safety import batches, net

    texts, labels = net.training_data()
    results: dict[str, dict[str, SectionResult]] = {}
    try:
        for name, path in folds().items():
            net.reset()
            net._MODEL = net.train(*net.without(texts, labels, batches.texts(path)))
            results[name] = evaluate(path, screen_kind)
    finally:
        net.reset()  # the next call loads the real net again
    return results


def report(results: dict[str, dict[str, SectionResult]]) -> str:
    """One line per fold, then the pooled figures in ``eval-safety``'s own format."""
    pooled: dict[str, SectionResult] = {}
    lines = []
    for name, sections in results.items():
        parts = []
        for section in EXPECTED:
            if section in sections:
                r = sections[section]
                total = pooled.setdefault(section, SectionResult())
                total.total += r.total
                total.ok += r.ok
                parts.append(f"{section} {r.ok}/{r.total}")
        lines.append(f"{name:24s} " + ", ".join(parts))
    head = section_report("leave one batch out (the net trained without the batch it is measured on)", pooled)
    return "\n".join([head.splitlines()[0], *lines, *head.splitlines()[1:]])


def main() -> int:
    print(report(run()))
    return 0
