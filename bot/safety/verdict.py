"""What the safety screen decides: the one type every part of the safety package passes around.

Why a module of its own: the screen, the learned net (bot/safety/net.py), the Rasa component
and the policy all speak in verdicts, and none of them should have to import the rules or the
reading code to name one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["crisis", "dosing", "none"]


@dataclass(frozen=True)
class Verdict:
    """What the screen decided, and which rule decided it (for logs, tests and the tracker)."""

    kind: Kind
    category: str
    rule: str
    lang: str = "en"  # "en", "es" or "other": the language the reply should use (bot/safety/language.py)

    @property
    def fired(self) -> bool:
        """True for crisis and dosing: the normal answer must not be given."""
        return self.kind != "none"

    def as_dict(self) -> dict[str, str]:
        """The plain form stored on Rasa messages under ``"safety"``."""
        return {"kind": self.kind, "category": self.category, "rule": self.rule, "lang": self.lang}


NO_VERDICT = Verdict("none", "", "")
#: No risk, and the rules recognised why ("this pain is killing me", "what does tapering mean"):
#: a decision, which the FAQ model's own crisis/dosing guess does not overrule (SafetyScreen).
EXEMPTED = Verdict("none", "exempted", "exemption")
