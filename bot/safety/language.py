"""Which language a message is in, and the Spanish screen.

Why: a clinic website in the US gets messages in Spanish, and a Spanish message about someone
who will not wake up must get the emergency reply in Spanish, not "Did you mean ...". Other
languages get a short English note with the emergency numbers (bot/components/safety_policy.py).

Detection is cheap first, careful second:

1. Non-Latin scripts (Cyrillic, Arabic, CJK, ...) are "other" without a model.
2. A message whose words are mostly English function words is English without a model (most
   messages; this keeps the screen's p99 low).
3. Otherwise lingua-language-detector (its models ship inside the package, nothing is
   downloaded) decides among a few languages (English, Spanish and the others most common in US
   clinics that are written in Latin script). Short messages ("ok", "si", "no") stay English:
   a yes/no answer to a form question must never be mistaken for another language.

The Spanish screen reads an accent-free, lower-case text (``plain``) with the rules of
``spanish:`` in knowledge/safety.yml: patients type without accents, and "está"/"esta" must not
matter.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import Any, Mapping

_WORD = re.compile(r"[^\W\d_]+")
_LATIN = re.compile(r"[a-zA-Z\u00c0-\u024f]")
_LETTER = re.compile(r"[^\W\d_]")

# Function words only: content words ("dolor", "pain") say little about the language.
_EN = frozenset(
    "i me my you your he she his her it its we they them their a an the is are was were be been am "
    "do does did not no and or but if of to in on at for with from by about can could should would "
    "will what how when why who where which this that these those have has had just so too very "
    "im dont cant wont isnt didnt hes shes theyre thats whats u ur pls".split()
)
_ES = frozenset(
    "yo me mi mis tu tus el ella su sus nos nosotros ellos ellas les lo la los las le un una unos "
    "unas es son esta estan estoy era fue ser estar hay de del al y o pero si que como cuando porque "
    "por para con sin en sobre muy mas ya no puedo puede tengo tiene quiero hace hacer se mucho "
    "muchas mucha cual cuanto cuantas cuantos cada tambien aqui ahi eso esto este esa ese despues "
    "antes mejor bien todo todas todos nada nadie alguien dia dias tomar tome tomo hola buenas buenos "
    "tardes noches gracias favor senor senora donde consigo necesito ayuda usted ustedes a".split()
)
# Function words of Portuguese and Italian that Spanish does not share ("nao", "voce", "il", "sono"):
# with none of them, Spanish function words outweigh lingua's guess of a neighbouring language.
_NEIGHBOUR = frozenset("nao voce voces um uma dos das em eu ele isso muito obrigado obrigada estou tenho il non sono gli della anche".split())
# Words of both lists ("me", "no", "a", "mi", "he"...) say nothing about the language.
_AMBIGUOUS = _EN & _ES
_EN = _EN - _AMBIGUOUS
_ES = _ES - _AMBIGUOUS

_DETECTOR: Any = None
_LOCK = threading.Lock()


def plain(text: str) -> str:
    """Lower case, accents removed, one space between words (what the Spanish rules read)."""
    text = unicodedata.normalize("NFKD", str(text).lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w\s.,!?;]", " ", text)
    text = re.sub(r"([.,!?;])", r" \1 ", text)
    return " ".join(text.split())


def _detector() -> Any:
    """lingua's detector for a few languages, built once (about a second, then ~0.2 ms a call)."""
    global _DETECTOR
    if _DETECTOR is None:
        with _LOCK:
            if _DETECTOR is None:
                from lingua import Language, LanguageDetectorBuilder

                _DETECTOR = LanguageDetectorBuilder.from_languages(
                    Language.ENGLISH, Language.SPANISH, Language.FRENCH, Language.PORTUGUESE,
                    Language.GERMAN, Language.ITALIAN, Language.VIETNAMESE, Language.TAGALOG,
                ).build()
    return _DETECTOR


def detect(text: str) -> str:
    """"en", "es" or "other" for one message. Unsure means English (the screen's home language)."""
    text = text[:300]  # enough to tell the language; keeps the cost flat for long messages
    letters = _LETTER.findall(text)
    if not letters:
        return "en"
    latin = sum(1 for ch in letters if _LATIN.match(ch))
    if latin < len(letters) / 2:
        return "other"
    low = plain(text)
    words = _WORD.findall(low)
    if len(words) < 3 and not (len(words) == 2 and words[0] in ("hola", "buenas", "buenos", "gracias")):
        return "en"
    en = sum(1 for w in words if w in _EN)
    es = sum(1 for w in words if w in _ES)
    if en >= 2 and en > 2 * es:
        return "en"
    if es == 0 and len(words) < 4:
        return "en"
    try:
        from lingua import Language

        values = _detector().compute_language_confidence_values(text)
    except Exception:  # noqa: BLE001 - no detector: judge by function words alone
        return "es" if es >= 2 and es > en else "en"
    top = values[0]
    conf = {v.language: v.value for v in values}
    if top.language == Language.ENGLISH:
        return "en"
    if top.language == Language.SPANISH:
        return "es" if es >= 1 and es > en else "en"
    if es >= 2 and es > 2 * en and conf.get(Language.SPANISH, 0.0) >= 0.15:
        return "es"  # Spanish function words, and the model does not rule Spanish out
    if es >= 2 and en == 0 and top.language in (Language.PORTUGUESE, Language.ITALIAN) and not _NEIGHBOUR & set(words):
        # "le pongo la naloxona o no?? casi no respira": short Spanish that lingua scores as
        # Portuguese. Spanish function words and no Portuguese or Italian one: a US clinic's
        # reader writes Spanish far more often than its neighbours.
        return "es"
    if (
        top.value >= 0.6 and conf.get(Language.ENGLISH, 0.0) < 0.2 and conf.get(Language.SPANISH, 0.0) < 0.2
        and en == 0 and (len(words) >= 4 or top.value >= 0.7)
    ):
        return "other"
    return "en"


@dataclass(frozen=True)
class SpanishRule:
    kind: str
    category: str
    id: str
    regexes: tuple
    unless: tuple

    def matches(self, text: str) -> bool:
        return all(rx.search(text) for rx in self.regexes) and not any(rx.search(text) for rx in self.unless)


def compile_spanish(raw: Mapping[str, Any], macros: Mapping[str, str], compile_fn: Any) -> tuple:
    """Compile ``spanish:`` of knowledge/safety.yml: crisis rules first, then dosing rules, then
    the exemptions (kind ``exempt``: never a verdict, only a reason the learned net must hear)."""
    rules: list[SpanishRule] = []
    section = raw.get("spanish") or {}
    local = dict(macros)
    local.update({str(k): str(v) for k, v in (section.get("macros") or {}).items()})
    for kind, key in (("crisis", "crisis"), ("dosing", "dosing"), ("exempt", "exemptions")):
        for category, items in (section.get(key) or {}).items():
            for item in items:
                where = f"spanish/{kind}/{category}/{item.get('id')}"
                patterns = item.get("all") or [item["pattern"]]
                rules.append(
                    SpanishRule(
                        kind, str(category), str(item["id"]),
                        tuple(compile_fn(str(p), local, where) for p in patterns),
                        tuple(compile_fn(str(p), local, where) for p in item.get("unless") or []),
                    )
                )
    return tuple(rules)
