"""Training examples (data/nlu) and the labelled evaluation sets, read without Rasa.

The three sets are kept apart (issue 10): training = data/nlu (FAQ phrasings generated from
knowledge/faq/); dev = tests/heldout/faq_heldout.yml + tests/eval/dev_blind.yml, where thresholds
and settings are tuned; test = tests/eval/test_blind.yml, reported only. Both blind sets were
written by helpers who never saw the training data, the rules or each other's set.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.paths import ROOT
from bot.understanding.decision import FAQ_PREFIX

NLU_DIR = ROOT / "data" / "nlu"
HELDOUT = ROOT / "tests" / "heldout" / "faq_heldout.yml"
DEV_BLIND = ROOT / "tests" / "eval" / "dev_blind.yml"
TEST_BLIND = ROOT / "tests" / "eval" / "test_blind.yml"
#: labels of the blind sets that are intents, not FAQ topics
INTENT_LABELS = frozenset({"clinic_admin", "out_of_scope", "start_screening"})
ENTITY_MARKUP = re.compile(r"\[([^\]]*)\]\([^)]*\)")


@dataclass(frozen=True)
class Labelled:
    text: str
    intents: tuple[str, ...]  # every intent that counts as right, the main one first
    voice: str

    @property
    def is_faq(self) -> bool:
        return self.intents[0].startswith(FAQ_PREFIX)


def training_examples(nlu_dir: Path = NLU_DIR) -> tuple[list[str], list[str]]:
    """(texts, intents) of every Rasa NLU file; the ``- text`` lines of each ``examples`` block."""
    texts, intents = [], []
    for path in sorted(nlu_dir.glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            if "intent" not in item:
                continue
            for line in str(item.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- ") and line[2:].strip():
                    texts.append(ENTITY_MARKUP.sub(r"\1", line[2:].strip()))
                    intents.append(item["intent"])
    return texts, intents


def _intent(label: str) -> str:
    return label if label in INTENT_LABELS else FAQ_PREFIX + label


def load_set(path: Path) -> list[Labelled]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if "topics" in data:  # the first held-out set: {topic: [phrasings]}
        return [Labelled(t, (_intent(topic),), "heldout") for topic, ts in data["topics"].items() for t in ts]
    return [
        Labelled(item["text"], tuple(_intent(x) for x in [item["label"], *(item.get("also") or [])]), item.get("voice", ""))
        for item in data["items"]
    ]


def dev_set() -> list[Labelled]:
    return load_set(HELDOUT) + load_set(DEV_BLIND)


def test_set() -> list[Labelled]:
    return load_set(TEST_BLIND)
