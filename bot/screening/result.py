"""The result texts: what the person reads after the last question, and the printable summary.

The wording is in ``results:`` and ``summary:`` of knowledge/screening.yml; this module puts it
together from a ``ScreeningResult`` and changes when the shape of the result changes (which parts,
in which order, how many messages).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from bot.screening.definition import Screening
from bot.screening.scoring import ScreeningResult

_CLINIC_KEYS = {
    "name": ("name", "clinic_name"),
    "phone": ("phone", "telephone", "phone_number"),
    "hours": ("hours", "opening_hours"),
    "web": ("web", "website", "url", "web_page"),
}


def _clinic_fields(clinic: Any) -> dict[str, str]:
    """Read name/phone/hours/web from a mapping (knowledge/clinic.yml, with or without its top
    `clinic:` key) or from an object with those attributes; missing values are left out."""
    if clinic is None:
        return {}
    if isinstance(clinic, Mapping) and isinstance(clinic.get("clinic"), Mapping):
        clinic = clinic["clinic"]
    out: dict[str, str] = {}
    for key, aliases in _CLINIC_KEYS.items():
        for alias in aliases:
            value = clinic.get(alias) if isinstance(clinic, Mapping) else getattr(clinic, alias, None)
            if value not in (None, ""):
                out[key] = str(value).strip()
                break
    return out


def _bullets(items: list[str], prefix: str = "- ") -> str:
    return "\n".join(prefix + item for item in items)


#: The result is never longer than this many chat messages (issue 14: it was up to 7, and more
#: once a channel split long texts; on a phone that is a wall of bubbles).
MAX_RESULT_MESSAGES = 3


def result_messages(
    result: ScreeningResult, clinic: Any = None, include_summary: bool = True
) -> list[str]:
    """The result as at most three chat messages; the callback offer is always the last one.

    1. What was found (``findings_text``): the signs reported (a short list), the unsure and
       skipped ones, the level, and "not a diagnosis".
    2. What to do next (``next_steps_text``): go over it with the prescribing clinician, no dose
       changes alone, and how to reach the clinic.
    3. The printable summary (when asked for) and the offer of a callback (``offer_text``), last so
       the question sits right above its yes/no buttons.

    ``clinic`` is the clinic block of knowledge/clinic.yml (a mapping or an object); without it
    the contact line is left out and the offer names "the clinic". The assistant sends the same
    three messages as domain responses (``result_replies``); this form is for reading them whole.
    """
    s = result.screening
    summary = printable_summary(result) if include_summary else None
    return [findings_text(result), next_steps_text(s, clinic), offer_text(s, clinic, summary)]


#: Where the printable summary goes in the offer's domain response; Rasa's NLG fills it in.
SUMMARY_PLACEHOLDER = "{summary}"


def result_replies(result: ScreeningResult) -> list[dict[str, Any]]:
    """The result as the three domain responses the action sends (bot/replies.py builds them).

    Only the parts that depend on the answers are values: the findings and the printable summary.
    The next steps and the offer's words, with the clinic's details, are in the domain already.
    """
    return [
        {"response": "utter_screening_findings", "findings": findings_text(result)},
        {"response": "utter_screening_next_steps"},
        {"response": "utter_screening_offer", "summary": printable_summary(result)},
    ]


def findings_text(result: ScreeningResult) -> str:
    """Message 1: the signs reported, the unsure and skipped ones, the level, not a diagnosis."""
    texts = result.screening.results
    found: list[str] = []
    if result.reported:
        found.append(texts["reported_intro"] + "\n" + _bullets([q.sign for q in result.reported]))
    else:
        found.append(texts["none_reported"])
    if result.gate is not None and result.gate_open and texts.get("gate_intro"):
        found.append(_squash(texts["gate_intro"]) + "\n" + _bullets([result.gate.sign]))
    if result.context and texts.get("context_intro"):
        found.append(_squash(texts["context_intro"]) + "\n" + _bullets([q.sign for q in result.context]))
    if result.unsure:
        found.append(texts["unsure_intro"] + "\n" + _bullets([q.sign for q in result.unsure]))
    if result.skipped:
        found.append(texts["skipped_intro"] + "\n" + _bullets([q.text for q in result.skipped]))
    level_text = [_squash(texts["levels"][result.level]), _squash(texts["not_diagnosis"])]
    if (result.reported or result.context) and texts.get("also_common"):
        level_text.append(_squash(texts["also_common"]))
    if result.incomplete and texts.get("incomplete"):
        level_text.append(_squash(texts["incomplete"]))
    if result.short_term_only and texts.get("short_term_note"):
        level_text.append(_squash(texts["short_term_note"]))
    if result.gate_unclear and texts.get("gate_unclear"):
        level_text.append(_squash(texts["gate_unclear"]))
    found.append(" ".join(level_text))
    # Single line breaks inside a message: Rasa's REST channel (CollectingOutputChannel) splits a
    # text without buttons at every blank line into separate messages, which is how the result
    # once arrived as 11 bubbles.
    return "\n".join(found)


def next_steps_text(screening: Screening, clinic: Any = None) -> str:
    """Message 2: the same for every result (built into the domain by ``python -m bot build``)."""
    texts = screening.results
    next_steps = [_squash(texts["advice"])]
    fields = _clinic_fields(clinic)
    if "name" in fields and "phone" in fields:
        contact = [texts["contact"].format(**fields)]
        if "hours" in fields and texts.get("contact_hours"):
            contact.append(texts["contact_hours"].format(**fields))
        if "web" in fields and texts.get("contact_web"):
            contact.append(texts["contact_web"].format(**fields))
        next_steps.append(" ".join(contact))
    return "\n".join(next_steps)


def offer_text(screening: Screening, clinic: Any = None, summary: str | None = None) -> str:
    """Message 3: the printable summary (when given) and the callback offer. It carries buttons,
    so Rasa sends it whole, blank lines and all."""
    texts = screening.results
    fields = _clinic_fields(clinic)
    offer = _squash(texts["callback_offer"]).format(clinic_name=fields.get("name", "the clinic"))
    if summary is not None:
        offer = _squash(texts["summary_offer"]) + "\n\n" + summary + "\n\n" + offer
    return offer


def _squash(text: str) -> str:
    return " ".join(str(text).split())


def printable_summary(result: ScreeningResult, date: dt.date | None = None) -> str:
    """A short plain-text summary to copy or print for the appointment.

    It holds no personal data (no name, no contact, no conversation id), only the date and the
    answers, so it is safe to show on a shared screen or print. Each question is repeated with its
    answer so the clinician sees exactly what was asked, including the inverted question.
    """
    s = result.screening.summary
    labels = s["answer_labels"]
    day = (date or dt.date.today()).isoformat()
    lines = [s["title"], f"{s['date_label']}: {day}", ""]
    if result.reported:
        lines.append(s["reported"])
        lines.extend("- " + q.sign for q in result.reported)
    else:
        lines.append(s["none_reported"])
    if result.context and s.get("context_reported"):
        lines += ["", _squash(s["context_reported"])]
        lines.extend("- " + q.sign for q in result.context)
    lines += ["", s["answers"]]
    for q in result.screening.questions:
        lines.append(f"- {q.text} Answer: {labels[result.answers[q.id]]}")
    if s.get("questions"):
        lines += ["", s["questions_to_ask"]]
        lines.extend("- " + item for item in s["questions"])
    lines.append("")
    lines.extend(_squash(item) for item in s["footer"])
    return "\n".join(lines)
