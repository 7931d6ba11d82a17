"""The medicine names the assistant recognises (``knowledge/medications.yml``), typed.

Three readers use the list: the spaCy entity ruler (bot/nlp.py), the safety screen's dosing
rules (bot/safety) and the topic classifier's medicine tokens (bot/understanding/text.py); the
spelling corrector (bot/textnorm.py) takes its vocabulary from them. They read it here, so the
list is parsed and checked once.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.knowledge.store import KnowledgeError, once, yaml_file
from bot.paths import KNOWLEDGE_DIR

MEDICATIONS_FILE = "medications.yml"
Group = Literal["opioids", "other_medicines"]
GROUPS: tuple[Group, ...] = ("opioids", "other_medicines")


@dataclass(frozen=True)
class Medicine:
    name: str  # canonical, as written in the file
    aliases: tuple[str, ...]  # brand names and street words
    group: Group

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name, then every alias."""
        return (self.name, *self.aliases)


def _read(knowledge_dir: Path) -> tuple[Medicine, ...]:
    data = yaml_file(MEDICATIONS_FILE, knowledge_dir) or {}
    where = knowledge_dir / MEDICATIONS_FILE
    medicines = []
    for group in GROUPS:
        for entry in data.get(group) or []:
            if not isinstance(entry, dict) or not str(entry.get("name") or "").strip():
                raise KnowledgeError(f"{where}: every entry of {group} needs a `name`")
            aliases = tuple(str(a) for a in entry.get("aliases") or [])
            medicines.append(Medicine(str(entry["name"]), aliases, group))
    return tuple(medicines)


def cached_medicines(knowledge_dir: Path | str = KNOWLEDGE_DIR) -> tuple[Medicine, ...]:
    """Every medicine, opioids first, in the file's order (read once per process)."""
    return once("medicines", knowledge_dir, _read)
