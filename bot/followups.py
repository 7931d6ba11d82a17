"""Follow-ups that refer back to the topic just answered (issue 10, point 4).

"is that true for fentanyl too?", "same for tramadol?", "why?", "tell me more" mean nothing on
their own. ``action_answer_faq`` keeps the topic it answered in the ``last_topic`` slot, and the
follow-up intents (data/nlu/followups.yml, data/rules/followups.yml) come here with that slot:

- a medicine follow-up names a medicine (knowledge/medications.yml). Methadone or buprenorphine
  goes to the topic about them; an NMDA medicine (ketamine, dextromethorphan) to that topic; a
  plain opioid after the methadone topic to "which opioids"; any other opioid gets a short "yes,
  this is about opioids in general" about the topic just answered; a medicine that is not an
  opioid gets a short "this was not about it";
- "why?" goes to the topic on causes (or deeper, when causes was just answered);
- "tell me more" goes to the topic's first related topic.

Pure functions: the action in actions/faq.py only sends what ``resolve`` returns.
"""
from __future__ import annotations

from dataclasses import dataclass

from bot import knowledge
from bot.knowledge import KnowledgeBase
from bot.replies import Message
from bot.understanding.text import medicine_pattern

MAT_TOPIC = "methadone_buprenorphine"
NMDA_TOPIC = "nmda_antagonists"
WHICH_OPIOIDS_TOPIC = "which_opioids"
NMDA_MEDICINES = frozenset({"ketamine", "dextromethorphan"})


def texts() -> dict:
    return knowledge.texts("conversation.yml")


@dataclass(frozen=True)
class FollowUp:
    """What to send: an intro line (a reply of knowledge/conversation.yml ``follow_ups``, sent as
    the domain response ``utter_follow_up_<key>``; may be None), then a topic's answer (may be None)."""

    intro: Message | None
    topic: str | None = None


def _intro(key: str, **values: str) -> Message:
    return {"response": f"utter_follow_up_{key}", **values}


def named_medicine(text: str) -> tuple[str, str, str] | None:
    """(as typed, canonical name, kind: opioid | mat | other) of the first medicine in ``text``."""
    pattern, kinds = medicine_pattern()
    match = pattern.search(text.lower())
    if not match:
        return None
    name, kind = kinds[match.group(1)]
    return match.group(0), name, kind


def resolve(
    kind: str, text: str, last_topic: str | None, kb: KnowledgeBase, last_medicine: str | None = None
) -> FollowUp:
    """``kind`` is the intent: followup_drug, followup_why or followup_more. ``last_medicine`` is
    the medicine named earlier ("does tramadol cause it?" ... "and is that permanent with it?"),
    used when the follow-up names none."""
    if not last_topic or last_topic not in kb.faqs:
        return FollowUp(_intro("no_context"))
    entry = kb.faq(last_topic)
    if kind == "followup_why":
        target = texts()["why_after_causes"] if last_topic == texts()["why_topic"] else texts()["why_topic"]
        return FollowUp(_intro("why"), target)
    if kind == "followup_more":
        return FollowUp(_intro("more"), entry.related[0] if entry.related else last_topic)
    medicine = named_medicine(text) or (named_medicine(last_medicine) if last_medicine else None)
    if medicine is None:
        return FollowUp(_intro("which_medicine"))
    typed, name, med_kind = medicine
    if med_kind == "mat":
        return FollowUp(None, MAT_TOPIC)
    if name in NMDA_MEDICINES:
        return FollowUp(None, NMDA_TOPIC)
    if med_kind == "opioid" and last_topic == MAT_TOPIC:
        return FollowUp(None, WHICH_OPIOIDS_TOPIC)
    if name == "opioids":  # "painkillers", "pain meds": no particular medicine named
        return FollowUp(_intro("which_medicine"))
    key = "opioid" if med_kind == "opioid" else "not_opioid"
    drug = name if med_kind == "opioid" else typed
    return FollowUp(_intro(key, drug=drug, drug_start=drug[:1].upper() + drug[1:], title=entry.title))
