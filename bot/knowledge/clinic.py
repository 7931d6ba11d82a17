"""The clinic's contact details and the emergency numbers (``knowledge/clinic.yml``), typed.

Every reply that names the clinic or a crisis number (safety replies, the callback offer, the
"service down" message, the web widget's banner, the placeholder check, the callback queue's phone
region) reads this one model, so they cannot disagree about a value or its default.

Emergency numbers fall back to the US defaults (911, 988, Poison Control) when the file, the block
or a key is missing, so a half-edited file can never produce a crisis reply without a number. A
value given as "" stays empty: a clinic abroad says so where a service does not exist there (the
web banner then leaves that number out).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from bot.knowledge.store import KnowledgeError, once, parse_yaml
from bot.paths import KNOWLEDGE_DIR

CLINIC_FILE = "clinic.yml"
#: The name replies use when clinic.yml gives none (the placeholder check refuses it in prod).
DEFAULT_NAME = "your clinic"


@dataclass(frozen=True)
class Emergency:
    """Who to call in danger (United States defaults)."""

    number: str = "911"
    crisis_line: str = "988"
    crisis_line_text: str = "call or text 988 (Suicide & Crisis Lifeline)"
    poison_control: str = "1-800-222-1222"
    crisis_line_spanish_option: str = "2"
    crisis_line_spanish_text: str = "AYUDA"
    crisis_line_chat: str = "988lifeline.org"
    crisis_line_sms: bool | None = None  # None: decided from the wording of ``crisis_line_text``

    @property
    def crisis_line_takes_texts(self) -> bool:
        """Whether the web banner offers an SMS link: ``crisis_line_sms`` when the file says so,
        else whether ``crisis_line_text`` mentions texting ("call or text 988")."""
        if self.crisis_line_sms is not None:
            return self.crisis_line_sms
        words = "".join(c if c.isalnum() else " " for c in self.crisis_line_text.lower()).split()
        return "text" in words


@dataclass(frozen=True)
class Clinic:
    """``clinic.yml``, in the file's order: values as written ("" when absent); ``placeholder``
    None when absent (the placeholder check counts that as "still the example")."""

    name: str = ""
    placeholder: bool | None = None
    phone: str = ""
    hours: str = ""
    web: str = ""
    region: str = ""
    emergency: Emergency = field(default_factory=Emergency)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None, where: str = CLINIC_FILE) -> Clinic:
        """Read the file's shape (``clinic:`` and ``emergency:`` blocks); tests pass their own."""
        data = data or {}
        if not isinstance(data, Mapping):
            raise KnowledgeError(f"{where}: expected a mapping with `clinic` and `emergency`")
        info, given = data.get("clinic") or {}, data.get("emergency") or {}
        if not isinstance(info, Mapping) or not isinstance(given, Mapping):
            raise KnowledgeError(f"{where}: `clinic` and `emergency` must be mappings")
        placeholder = info.get("placeholder")
        sms = given.get("crisis_line_sms")
        defaults = Emergency()
        emergency = Emergency(
            **{
                name: str(given[name]) if given.get(name) is not None else getattr(defaults, name)
                for name in (
                    "number", "crisis_line", "crisis_line_text", "poison_control",
                    "crisis_line_spanish_option", "crisis_line_spanish_text", "crisis_line_chat",
                )
            },
            crisis_line_sms=sms if isinstance(sms, bool) else None,
        )
        return cls(
            name=_text(info.get("name")),
            phone=_text(info.get("phone")),
            hours=_text(info.get("hours")),
            web=_text(info.get("web")),
            region=_text(info.get("region")),
            placeholder=placeholder if isinstance(placeholder, bool) else None,
            emergency=emergency,
        )

    @classmethod
    def of(cls, clinic: ClinicLike) -> Clinic:
        """``clinic`` as the model: the file's when None, parsed when a mapping."""
        if clinic is None:
            return cached_clinic()
        return clinic if isinstance(clinic, Clinic) else cls.from_mapping(clinic)

    @property
    def display_name(self) -> str:
        return self.name or DEFAULT_NAME

    def as_mapping(self) -> dict[str, Any]:
        """The file's shape with every default filled in (a fresh copy each call)."""
        emergency = {k: v for k, v in vars(self.emergency).items() if v is not None}
        return {
            "clinic": {
                "name": self.display_name, "placeholder": self.placeholder, "phone": self.phone,
                "hours": self.hours, "web": self.web, "region": self.region,
            },
            "emergency": emergency,
        }

    def reply_fields(self) -> dict[str, str]:
        """The values of the ``{clinic_name}``, ``{emergency_number}``... placeholders of
        knowledge/safety.yml and conversation.yml."""
        e = self.emergency
        return {
            "clinic_name": self.display_name,
            "clinic_phone": self.phone,
            "clinic_hours": self.hours,
            "clinic_web": self.web,
            "emergency_number": e.number,
            "crisis_line": e.crisis_line,
            "crisis_line_text": e.crisis_line_text,
            "poison_control": e.poison_control,
            "crisis_line_spanish_option": e.crisis_line_spanish_option,
            "crisis_line_spanish_text": e.crisis_line_spanish_text,
            "crisis_line_chat": e.crisis_line_chat,
        }


#: What reply builders accept: the model, the file's shape as a mapping (tests), or None (the file).
ClinicLike = Clinic | Mapping[str, Any] | None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _read(knowledge_dir: Path) -> Clinic:
    path = knowledge_dir / CLINIC_FILE
    return Clinic.from_mapping(parse_yaml(path) if path.exists() else None, str(path))


def cached_clinic(knowledge_dir: Path | str = KNOWLEDGE_DIR) -> Clinic:
    """knowledge/clinic.yml, read and checked once per process; defaults when the file is missing."""
    return once("clinic", knowledge_dir, _read)
