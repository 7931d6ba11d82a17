"""The output guard: does a reply text show a dose amount, a schedule or a percentage?

Why a module of its own: it reads *our* replies, not the patient's message, and changes when a
new way of writing an amount turns up in content, never with the screen's rules. Every reply
passes it (bot/nlg.py ``GuardedNLG``); a hit is a content bug, and the caller sends the routing
message instead (defence in depth).

The units and number words stay in Python on purpose: "no doses, amounts, percentages or
schedules" is a rule of the project's content, not a clinic's policy, so a deployment's
knowledge/ files must not be able to weaken it.
"""
from __future__ import annotations

import re
import unicodedata

from bot.safety.reading import as_text

_NUMBER_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of|a couple|"
    r"couple of|a few|several|half an?|half of an?|half a|a half|an extra|one extra|two extra)"
)
_UNITS = (
    r"(?:mg|mgs|milligrams?|mcg|µg|ug|micrograms?|ml|cc|mme|mmes|units?|tablets?|tabs?|pills?|"
    r"capsules?|caps|patch(?:es)?|doses?|puffs?|sprays?|drops?|films?|strips?|lozenges?|"
    r"teaspoons?|tsp|tablespoons?|tbsp|grams?)"
)
_DOSE_PATTERNS = re.compile(
    "|".join(
        [
            # "10 mg", "2.5mg", "10-20 mg", "two pills", "half a tablet", "an extra dose"
            rf"\b\d+(?:[.,]\d+)?(?:\s*(?:-|to|or)\s*\d+(?:[.,]\d+)?)?\s*{_UNITS}\b",
            rf"\b{_NUMBER_WORDS}\s+(?:more\s+|extra\s+|whole\s+)?{_UNITS}\b",
            # "every 4 hours", "every six hours", "every other day" (weekly visits are not doses)
            r"\bevery\s+(?:\d+(?:\s*(?:-|to)\s*\d+)?|one|two|three|four|five|six|eight|ten|twelve|"
            r"few|other|couple of)\s*(?:hours?|hrs?|h|days?|nights?)\b",
            # "twice a day", "3 times daily", "once per night", "2x a day"
            r"\b(?:once|twice|thrice|\d+\s*(?:x|times)|(?:one|two|three|four|five|six)\s+times)\s+"
            r"(?:a|an|per|each|every)?\s*(?:day|daily|night|nightly|hour)\b",
            r"\b(?:twice|three times|four times|\d+\s*x)\s+daily\b",
            # "20%", "10 percent"
            r"\b\d+(?:[.,]\d+)?\s*(?:%|percent\b|per\s*cent\b)",
            # "double your dose", "halve the dose", "cut your pills in half", "by half"
            r"\b(?:double|triple|halve|quadruple|split)\s+(?:up\s+)?(?:on\s+)?(?:your|the|a|my|his|"
            r"her|their)?\s*(?:dose|dosage|pills?|tablets?|medicines?|medication|patch|amount)\b",
            r"\b(?:cut|break|split)\s+(?:\w+\s+){0,3}?in\s+(?:half|two|thirds|quarters)\b",
            r"\b(?:increase|decrease|reduce|lower|raise|cut|taper|drop)\s+(?:\w+\s+){0,4}?by\s+"
            r"(?:\d|half|a\s+quarter|a\s+third|one|two|ten|twenty)",
            # "take two tonight", "take another one", "take half", "take 2 now" (not "take one
            # step at a time", "take two weeks", "take one slow breath")
            r"\b(?:take|taking|have|use|swallow|pop|wear|apply|chew)\s+(?:it\s+|them\s+)?(?:one|two|three|"
            r"four|five|six|\d+|a\s+couple|another|an\s+extra|one\s+more|two\s+more|half)\b(?!\s+(?:(?:to|or)\s+\w+\s+|\w+\s+)?"
            r"(?:minutes?|hours?|weeks?|months?|years?|days?|steps?|breaths?|people|questions?|things|times?|"
            r"moments?|seconds?|look|looks|deep|at\s+a\s+time|of\s+(?:us|you|them|these\s+steps)))",
            # "double up", "double it", "double the dose", "doubling up"
            r"\bdoubl(?:e|ing)[\s-]+(?:up|it|them)\b|\bdouble\s+(?:the\s+|your\s+|a\s+)?dose\b",
            # Latin schedules: "q4h", "b.i.d."
            r"\bq\s?\d+\s?h\b|\b(?:b\.?i\.?d|t\.?i\.?d|q\.?i\.?d|q\.?d)\.?(?=\s|$)",
        ]
    ),
    re.IGNORECASE,
)


def contains_dose_amount(text: str) -> bool:
    """True when a reply text would show a dose amount, schedule or percentage.

    Phone numbers (911, 988, 1-800-222-1222), years and dates have no dose unit, so they pass.
    """
    text = as_text(text)
    if not text:
        return False
    text = unicodedata.normalize("NFKC", text)
    return _DOSE_PATTERNS.search(text) is not None
