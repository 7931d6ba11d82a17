"""The deterministic safety screen: crisis and dosing detection, one package, one policy.

Why deterministic: a person describing an overdose or asking how many pills to take must get the
emergency numbers or the "ask your prescriber" reply every single time, whatever a trained model
happens to predict. The ML intents (``crisis``, ``ask_dosing``) are only a second net; this screen
runs on every message, on every channel, inside forms too, and is tested on its own
(tests/unit/test_safety.py, tests/safety/*.yml).

The policy lives in ``knowledge/safety.yml`` (lexicons, regex rules, idioms, educational
exemptions, reply texts) and ``knowledge/clinic.yml`` (contact and emergency numbers), so a
clinician can read and change it without touching Python. The package only knows *how* to apply
it, one module per reason to change:

- ``verdict.py``: the ``Verdict`` every part passes around;
- ``config.py``: compiling knowledge/safety.yml and medications.yml (rules, idioms, exemptions,
  slang, medicine names), once per process;
- ``gate.py``: each rule's required strings, worked out from its regexes: a fast substring
  check that skips a rule which could not match (speed only, never a different verdict);
- ``lemmas.py``: word -> lemma from the project's spaCy pipeline, at dict speed;
- ``reading.py``: normalising a message, words, slang, spelling correction, lemmas;
- ``decision.py``: the screen (``screen``): Spanish rules, past harm, idioms, crisis rules,
  educational exemptions, dosing rules, then the learned net's say. Crisis outranks dosing;
- ``language.py``: which language a message is in, and the Spanish rules;
- ``net.py``: the learned second net;
- ``batches.py``: reading the blind and training batch files (tests/safety/), one reader for all;
- ``messages.py``: the crisis and dosing replies, the clinic's numbers, the cited sources;
- ``guard.py``: the output guard ``contains_dose_amount`` (any reply that would show a dose
  amount is replaced by the routing message by the caller; a content bug when it fires).

This module re-exports the public names, so callers write ``from bot.safety import screen``.
"""
from __future__ import annotations

from bot import knowledge
from bot.safety import reading
from bot.safety.config import Config, load_config
from bot.safety.decision import rule_screen, screen
from bot.safety.guard import contains_dose_amount
from bot.safety.messages import (
    CRISIS_KINDS,
    authorities,
    citation_line,
    crisis_messages,
    crisis_messages_for,
    dosing_messages,
    followup_ids,
    followup_text,
    kind_of,
    load_clinic,
    other_messages,
)
from bot.safety.reading import readings
from bot.safety.verdict import EXEMPTED, NO_VERDICT, Kind, Verdict

__all__ = [
    "CRISIS_KINDS",
    "EXEMPTED",
    "NO_VERDICT",
    "USE_NET",
    "Config",
    "Kind",
    "Verdict",
    "authorities",
    "citation_line",
    "contains_dose_amount",
    "crisis_messages",
    "crisis_messages_for",
    "dosing_messages",
    "followup_ids",
    "followup_text",
    "kind_of",
    "load_clinic",
    "load_config",
    "other_messages",
    "readings",
    "reload",
    "rule_screen",
    "screen",
]

#: Set to False to measure the rules alone, without the learned net. Its one home: the screen
#: (bot/safety/decision.py) reads ``bot.safety.USE_NET`` at every call.
USE_NET = True


def reload() -> None:
    """Forget the cached configuration (after editing knowledge/*.yml in a running process)."""
    load_config.cache_clear()
    knowledge.reload()
    reading.clear_cache()
