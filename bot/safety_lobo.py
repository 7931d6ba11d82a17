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

import yaml

from bot.safety_evaluation import EXPECTED, SETS

SECTIONS = ("crisis", "dosing", "lookalike", "spanish_crisis", "spanish_dosing", "spanish_other")


def folds(sets_dir: Path | None = None) -> dict[str, Path]:
    from bot.safety import net

    sets_dir = sets_dir or net.SETS_DIR
    out = {p.stem.replace("retired_blind_", ""): p for p in sorted((sets_dir / "net_train").glob("retired_blind_*.yml"))}
    out["dev"] = SETS["dev"]
    return out


def _items(path: Path) -> list[tuple[str, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [(section, " ".join(str(i["text"] if isinstance(i, dict) else i).split()))
            for section, items in data.items() if section in EXPECTED for i in items or []]


def run() -> dict[str, dict[str, tuple[int, int]]]:
    """{fold: {section: (total, right)}} with the net retrained per fold (restored afterwards)."""
    from bot.safety import net, screen

    texts, labels = net.training_data()
    results: dict[str, dict[str, tuple[int, int]]] = {}
    try:
        for name, path in folds().items():
            held = _items(path)
            drop = {t.lower() for _, t in held}
            kept = [(t, lab) for t, lab in zip(texts, labels) if t.lower() not in drop]
            net.reset()
            net._MODEL = net.train([t for t, _ in kept], [lab for _, lab in kept])
            counts: dict[str, tuple[int, int]] = {}
            for section, text in held:
                total, right = counts.get(section, (0, 0))
                counts[section] = (total + 1, right + (screen(text).kind in EXPECTED[section]))
            results[name] = counts
    finally:
        net.reset()  # the next call loads the real net again
    return results


def report(results: dict[str, dict[str, tuple[int, int]]]) -> str:
    pooled: dict[str, list[int]] = {}
    lines = ["== leave one batch out (the net trained without the batch it is measured on)"]
    for name, counts in results.items():
        parts = []
        for section in SECTIONS:
            if section in counts:
                total, right = counts[section]
                pooled.setdefault(section, [0, 0])
                pooled[section][0] += total
                pooled[section][1] += right
                parts.append(f"{section} {right}/{total}")
        lines.append(f"{name:24s} " + ", ".join(parts))
    for section in SECTIONS:
        if section in pooled:
            total, right = pooled[section]
            flagged = EXPECTED[section] == {"none"}
            value = 1 - right / total if flagged else right / total
            lines.append(f"{section:16s} {total:5d}  {'flagged' if flagged else 'recall'} {value:6.1%}")
    return "\n".join(lines)


def main() -> int:
    print(report(run()))
    return 0
