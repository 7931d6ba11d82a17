"""Every reply that is not an FAQ answer or a safety reply, as domain responses (issue 14, point 5).

The wording lives in ``knowledge/`` only: callback.yml (the callback request), privacy.yml
("forget me"), screening.yml (the questionnaire) and conversation.yml (FAQ frame, follow-ups,
forms). ``python -m bot build`` turns it into ``utter_*`` responses in the domain, with the
clinic's details (knowledge/clinic.yml) filled in at build time, as the safety replies are, and
``{placeholders}`` left for what only the conversation knows (a name, a reference, the answer of a
topic). The actions send nothing but ``dispatcher.utter_message(response="utter_...", **values)``
(``actions.common.send``); Rasa's NLG fills the placeholders, so every reply, from the action server
or from the in-process FAQ actions, passes the one output guard (``bot.nlg.GuardedNLG``).

Why texts and not Python: a clinic edits one YAML file, and the content tests (grade, person-first
words, plain vocabulary) read every reply a person can see. ``tests/unit/test_reply_wording.py``
fails when a reply sentence is written in Python again.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, Mapping

import yaml

from bot.knowledge import Clinic, cached_clinic, texts
from bot.paths import KNOWLEDGE_DIR, ROOT

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
#: A message is a response name plus its values; ``send`` passes it to ``utter_message``.
Message = dict[str, Any]


def squash(text: str) -> str:
    """One space between words inside each line; blank lines dropped (lines stay lines)."""
    lines = [" ".join(line.split()) for line in str(text).strip().splitlines()]
    return "\n".join(line for line in lines if line)


def fill_known(text: str, fields: Mapping[str, str]) -> str:
    """Fill the ``{placeholders}`` named in ``fields``; leave the others for Rasa's NLG."""
    return _PLACEHOLDER.sub(lambda m: str(fields[m.group(1)]) if m.group(1) in fields else m.group(0), text)


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def clinic_fields(clinic: Clinic) -> dict[str, str]:
    """The clinic's details under the short names the reply files use ({clinic}, {phone}, ...)."""
    return {
        "clinic": clinic.name or "the clinic",
        "phone": clinic.phone,
        "hours": clinic.hours,
        "web": clinic.web,
        "emergency": clinic.emergency.number or "911",
    }


def _response(text: str, buttons: list[dict[str, str]] | None = None) -> list[dict[str, Any]]:
    item: dict[str, Any] = {"text": text}
    if buttons:
        item["buttons"] = buttons
    return [item]


# --------------------------------------------------------------------------------------------
# The responses, by file
# --------------------------------------------------------------------------------------------


def callback_responses(knowledge_dir: Path, fields: Mapping[str, str]) -> dict[str, list[dict]]:
    """``utter_callback_<key>`` for every text of knowledge/callback.yml (buttons come from the action)."""
    wording = texts("callback.yml", knowledge_dir)["texts"]
    return {f"utter_callback_{key}": _response(fill_known(squash(text), fields)) for key, text in wording.items()}


def privacy_responses(knowledge_dir: Path, fields: Mapping[str, str]) -> dict[str, list[dict]]:
    """"Forget me": the question (with its buttons), the three ways it can end, "kept"."""
    data = texts("privacy.yml", knowledge_dir)
    out = {
        "utter_forget_me_confirm": _response(fill_known(squash(data["confirm"]), fields), data["buttons"]),
        "utter_forget_me_kept": _response(fill_known(squash(data["kept"]), fields)),
    }
    for count, requests in data["done"]["requests"].items():
        text = data["done"]["text"].replace("{requests}", squash(requests))
        out[f"utter_forget_me_done_{count}"] = _response(fill_known(squash(text), fields))
    return out


def conversation_frame_responses(knowledge_dir: Path, fields: Mapping[str, str]) -> dict[str, list[dict]]:
    """The FAQ frame, follow-up intros, form leads and the service-down line (conversation.yml)."""
    from bot.answers import topic_payload  # local: bot.answers reads this module's wording

    data = texts("conversation.yml", knowledge_dir)
    faq = data["faq"]
    sources = squash(faq["source_line"])
    related = squash(faq["related"])
    menu = [
        {"title": str(b["title"]), "payload": topic_payload(b["topic"]) if "topic" in b else str(b["payload"])}
        for b in faq["menu_buttons"]
    ]
    out = {
        "utter_faq_answer": _response("{answer}"),
        "utter_faq_sources": _response(f"{sources}\n{related}"),
        "utter_faq_sources_disclaimer": _response(f"{sources}\n{squash(faq['disclaimer'])}\n{related}"),
        "utter_faq_clarify": _response(squash(faq["clarify"])),
        "utter_faq_not_understood": _response(squash(faq["not_understood"]), menu),
    }
    for key, text in data["follow_ups"].items():
        out[f"utter_follow_up_{key}"] = _response(squash(text))
    for key, text in data["forms"].items():
        out[f"utter_form_{key}"] = _response(fill_known(squash(text), fields))
    return out


def screening_responses(knowledge_dir: Path, clinic: Clinic) -> dict[str, list[dict]]:
    """The questionnaire: intro, each question (with its number) and its "why", the form's lines,
    and the result in three messages (``bot.screening.result_replies``)."""
    from bot import screening as scr

    raw = texts("screening.yml", knowledge_dir)
    s = scr.parse_screening(raw, knowledge_dir / "screening.yml")
    buttons = [{"title": s.buttons[k], "payload": s.buttons[k]} for k in ("yes", "no", "unsure", "skip") if k in s.buttons]
    out = {
        "utter_screening_intro": _response(squash(s.intro)),
        "utter_screening_reask": _response(squash(s.reask)),
        "utter_screening_stopped": _response(squash(s.stopped)),
        "utter_screening_back": _response(squash(raw["back"])),
        "utter_screening_findings": _response("{findings}"),
        "utter_screening_next_steps": _response(scr.next_steps_text(s, clinic)),
        "utter_screening_offer": _response(
            scr.offer_text(s, clinic, scr.SUMMARY_PLACEHOLDER), _titles_payloads(raw["offer_buttons"])
        ),
    }
    if s.skipped:
        out["utter_screening_skipped"] = _response(squash(s.skipped))
    for n, q in enumerate(s.questions, start=1):
        text = str(raw["progress"]).format(n=n, total=len(s.questions), question=q.text)
        out[f"utter_screening_question_{q.id}"] = _response(squash(text), buttons)
        out[f"utter_screening_why_{q.id}"] = _response(squash(q.why))
    return out


def _titles_payloads(items: list[Mapping[str, str]]) -> list[dict[str, str]]:
    return [{"title": str(b["title"]), "payload": str(b["payload"])} for b in items]


def domain_responses(knowledge_dir: Path = KNOWLEDGE_DIR) -> dict[str, list[dict]]:
    """Every response of this module, for the domain's generated ``reply-responses`` block."""
    clinic = cached_clinic(knowledge_dir)
    fields = clinic_fields(clinic)
    return {
        **callback_responses(knowledge_dir, fields),
        **privacy_responses(knowledge_dir, fields),
        **conversation_frame_responses(knowledge_dir, fields),
        **screening_responses(knowledge_dir, clinic),
    }


# --------------------------------------------------------------------------------------------
# Reading a message back (tests, CLI): the domain's text with its values, as Rasa fills it
# --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _domain_responses() -> dict[str, list[dict]]:
    return dict(_load_domain().get("responses") or {})


def _load_domain() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8")) or {}


def render(message: Mapping[str, Any]) -> dict[str, Any]:
    """What a person reads for a message (``{"response": ..., **values}``): text and buttons.

    Uses Rasa's own interpolation, so a test reads what Rasa would send.
    """
    from rasa.core.nlg.interpolator import interpolate_text

    name = message["response"]
    variants = _domain_responses().get(name)
    if not variants:
        raise KeyError(f"{name} is not a response in domain.yml (run `python -m bot build`)")
    values = {k: v for k, v in message.items() if k not in ("response", "buttons")}
    text = interpolate_text(variants[0].get("text") or "", values)
    return {"text": text, "buttons": list(variants[0].get("buttons") or []) + list(message.get("buttons") or [])}
