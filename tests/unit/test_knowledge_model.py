"""One typed model of knowledge/: each file read once, one reload, every reader on the same values."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot import knowledge, referrals, replies
from bot.channels.webchat import clinic_config, emergency_contacts
from bot.clinic_check import placeholder_problems
from bot.knowledge import Clinic, KnowledgeError, cached_clinic, cached_medicines
from bot.nlp import medication_terms
from bot.paths import KNOWLEDGE_DIR, ROOT
from bot.safety import crisis_messages, load_clinic
from bot.understanding.text import medicine_pattern


@pytest.fixture
def kdir(tmp_path: Path):
    shutil.copy(KNOWLEDGE_DIR / "clinic.yml", tmp_path / "clinic.yml")
    shutil.copy(KNOWLEDGE_DIR / "medications.yml", tmp_path / "medications.yml")
    yield tmp_path
    knowledge.reload()


def test_a_file_is_read_once_until_reload(kdir: Path) -> None:
    first = cached_clinic(kdir)
    assert cached_clinic(kdir) is first
    (kdir / "clinic.yml").write_text("clinic:\n  name: Riverside Pain Clinic\n", encoding="utf-8")
    assert cached_clinic(kdir).name == first.name  # not read again
    knowledge.reload()
    assert cached_clinic(kdir).name == "Riverside Pain Clinic"


def test_missing_file_and_missing_keys_get_the_us_numbers_but_an_empty_value_stays(kdir: Path) -> None:
    (kdir / "clinic.yml").unlink()
    assert cached_clinic(kdir).emergency.number == "911"
    knowledge.reload()
    (kdir / "clinic.yml").write_text("emergency:\n  number: '112'\n  poison_control: ''\n", encoding="utf-8")
    emergency = cached_clinic(kdir).emergency
    assert (emergency.number, emergency.crisis_line, emergency.poison_control) == ("112", "988", "")


@pytest.mark.parametrize("text", ["- a list\n", "clinic: just text\n", ": not yaml ["])
def test_a_malformed_clinic_file_fails_loudly_with_its_name(kdir: Path, text: str) -> None:
    (kdir / "clinic.yml").write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError, match="clinic.yml"):
        cached_clinic(kdir)


def test_every_reader_sees_the_same_clinic() -> None:
    clinic = cached_clinic()
    assert load_clinic() == clinic.as_mapping() and load_clinic() is not load_clinic()
    assert Clinic.from_mapping(load_clinic()) == clinic  # the mapping form loses nothing
    assert clinic_config()["clinic_name"] == clinic.name
    assert [c["number"] for c in emergency_contacts()][0] == clinic.emergency.number
    assert replies.clinic_fields(clinic)["phone"] == clinic.phone
    assert referrals.clinic_region() == (clinic.region.upper() or referrals.DEFAULT_REGION)
    assert placeholder_problems() == placeholder_problems(load_clinic()) != []
    assert clinic.emergency.number in crisis_messages()[0] and clinic.emergency.number in crisis_messages(clinic)[0]


def test_medicine_readers_share_one_list() -> None:
    medicines = cached_medicines()
    assert medicines is cached_medicines()
    names = {name.lower() for med in medicines for name in med.names}
    assert set(medication_terms()) == names
    assert set(medicine_pattern()[1]) == names
    assert medication_terms()["percs"] == "oxycodone"


def test_a_medicine_without_a_name_is_refused(kdir: Path) -> None:
    (kdir / "medications.yml").write_text("opioids:\n  - {aliases: [oxy]}\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="medications.yml"):
        cached_medicines(kdir)


# Files that only bot/knowledge/ may parse (reviews.yml is the sign-off store, written by a tool).
_MODEL_FILES = ("clinic.yml", "medications.yml", "conversation.yml", "callback.yml", "privacy.yml",
                "sources.yml", "safety.yml")
_OPEN_READ = re.compile(r"(safe_load|read_text|open)\(")
#: Raw bytes, not parsed: the spaCy pipeline's staleness stamp is the medicine list's text.
_ALLOWED = {("bot/nlp.py", 'source = (knowledge_dir / "medications.yml").read_text(encoding="utf-8")')}


def test_no_module_outside_bot_knowledge_reads_a_knowledge_file_itself() -> None:
    found = []
    for folder in ("bot", "actions"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.parent.name == "knowledge" and path.parent.parent.name == "bot":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                hit = _OPEN_READ.search(line) and any(f'"{name}"' in line for name in _MODEL_FILES)
                if hit and (path.relative_to(ROOT).as_posix(), line.strip()) not in _ALLOWED:
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "read it through bot.knowledge:\n" + "\n".join(found)
