"""The safety replies: texts from knowledge/safety.yml, numbers from knowledge/clinic.yml.

Why a module of its own: this changes when the wording, the clinic's details or the cited
sources change, not when the screen's rules do. Most callers (the build of the domain
responses, the output guard's fallback in bot/resilience.py, the referrals and the channels)
want the clinic's numbers or a reply text, never the screen.

The clinic's details come from the one knowledge model (bot/knowledge/, ``Clinic``), whose
emergency numbers default to the US ones, so a half-edited clinic.yml never gives a crisis reply
without a number.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Sequence

from bot.knowledge import Clinic, ClinicLike, cached_clinic
from bot.paths import KNOWLEDGE_DIR
from bot.safety.config import load_config, load_yaml


def load_clinic(knowledge_dir: Path | str = KNOWLEDGE_DIR) -> dict[str, Any]:
    """knowledge/clinic.yml as a fresh dict (``clinic``, ``emergency``), defaults filled in."""
    return cached_clinic(knowledge_dir).as_mapping()


def reply_fields(clinic: ClinicLike) -> dict[str, str]:
    """The ``{placeholders}`` of the reply texts, from ``clinic`` (or knowledge/clinic.yml)."""
    return Clinic.of(clinic).reply_fields()


class _Fields(dict):  # type: ignore[type-arg]
    """str.format_map helper: an unknown placeholder stays visible instead of crashing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _format(kind: str, clinic: ClinicLike) -> list[str]:
    fields = _Fields(reply_fields(clinic))
    texts = load_config().replies.get(kind) or []
    return [" ".join(t.split()).format_map(fields) for t in texts]


def crisis_messages(clinic: ClinicLike = None) -> list[str]:
    """The crisis reply: first message with the emergency number, crisis line and Poison Control.

    If the YAML text ever loses a number, the first message gets it appended: the numbers are the
    one thing this reply must never be without.
    """
    messages = _format("crisis", clinic)
    f = reply_fields(clinic)
    first = messages[0] if messages else ""
    missing = [
        text
        for needle, text in (
            (f["emergency_number"], f"Call {f['emergency_number']} now."),
            (f["crisis_line"], f"For thoughts of suicide or self-harm, {f['crisis_line_text']}."),
            (f["poison_control"], f"Poison Control: {f['poison_control']}."),
        )
        if needle not in first
    ]
    if missing:
        first = " ".join([first, *missing]).strip()
    return [first, *messages[1:]]


def dosing_messages(clinic: ClinicLike = None) -> list[str]:
    """The dosing reply: why we cannot answer, the clinic's contact, the offer of a callback."""
    return _format("dosing", clinic)


# Crisis replies by kind, crisis-mode follow-ups and language notes (knowledge/safety.yml).

#: The kinds of crisis reply; "general" is the reply when the kind is not known. A code-level
#: contract, not a word list: the domain's ``utter_crisis_<kind>`` responses (bot/build.py) and
#: the policy are named after them, and tests/unit/test_safety_kinds.py checks that
#: knowledge/safety.yml has a text for each.
CRISIS_KINDS = ("overdose", "suicide", "extra_dose", "red_flag", "past_harm")


def fill(text: str, clinic: ClinicLike) -> str:
    """Fill the placeholders; keep line breaks (the first line is what chat apps show first)."""
    fields = _Fields(reply_fields(clinic))
    lines = [" ".join(line.split()) for line in str(text).strip().splitlines()]
    return "\n".join(line for line in lines if line).format_map(fields)


def kind_of(category: str) -> str:
    """The reply kind for a screen category ("self_harm" -> "suicide"); "general" if unknown."""
    mapping = load_config().raw.get("kind_of_category") or {}
    return str(mapping.get(category, "general"))


@functools.lru_cache(maxsize=4)
def authorities(knowledge_dir: str = str(KNOWLEDGE_DIR)) -> dict[str, dict[str, Any]]:
    """The public-health sources of the emergency guidance (``authorities:`` in sources.yml)."""
    data = load_yaml(Path(knowledge_dir) / "sources.yml")
    return {str(a["id"]): dict(a) for a in data.get("authorities") or []}


def citation_line(source_ids: Sequence[str], lang: str = "en") -> str:
    """"Source: title (publisher)" for the given authority ids; unknown ids fail loudly."""
    known = authorities()
    parts = []
    for sid in source_ids:
        if sid not in known:
            raise ValueError(f"knowledge/safety.yml cites unknown authority {sid!r} (knowledge/sources.yml)")
        parts.append(f"{known[sid]['title']} ({known[sid]['url']})")
    label = "Fuente" if lang == "es" else "Source"
    return f"{label}: " + "; ".join(parts) if parts else ""


def crisis_messages_for(
    kind: str, lang: str = "en", clinic: ClinicLike = None
) -> list[str]:
    """The crisis reply of one kind in one language, the sources cited at its end.

    Unknown kinds (and kinds without a text in ``lang``) get the general English reply, which
    holds every number: a crisis reply can fall back, never fail.
    """
    spec = (load_config().raw.get("crisis_replies") or {}).get(kind) or {}
    texts = spec.get(lang) or []
    if not texts:
        return crisis_messages(clinic)
    messages = [fill(t, clinic) for t in texts]
    cite = citation_line(spec.get("sources") or [], lang)
    if cite:
        messages[-1] = messages[-1] + "\n" + cite
    return messages


def followup_ids() -> list[str]:
    """Every follow-up text id of crisis mode (kinds and situations), English."""
    return list(((load_config().raw.get("crisis_mode") or {}).get("en") or {}).keys())


def followup_text(fid: str, lang: str = "en", clinic: ClinicLike = None) -> str | None:
    """One crisis-mode follow-up text, filled; None when it has no text in ``lang``."""
    texts = (load_config().raw.get("crisis_mode") or {}).get(lang) or {}
    return fill(texts[fid], clinic) if fid in texts else None


def other_messages(name: str, clinic: ClinicLike = None) -> list[str]:
    """``other_replies`` (Spanish dosing reply, language notes), filled from clinic.yml."""
    return [fill(t, clinic) for t in (load_config().raw.get("other_replies") or {}).get(name) or []]

