"""Plain words beyond a grade number (issue 13, point 2).

Flesch-Kincaid (test_knowledge.py) only measures sentence and word length. Short sentences full of
jargon pass it. So, beside it:

1. **Explained where used.** A few medical terms may appear in an answer only with a plain-words
   explanation in the same answer, because each answer can be served alone.
2. **Vocabulary.** The Dale-Chall score (textstat 0.7.4: share of words outside the Dale list of
   familiar words) of each answer, counting neither the topic's own everyday words (CORE: the words
   a person asking about OIH brings with them) nor the glossed terms that the answer explains.
3. **Person-first language** (NIDA, "Words Matter: Terms to Use and Avoid When Talking About
   Addiction"), over every answer and every reply text a person can read: knowledge/faq answers
   and titles, screening, conversation, callback request, "forget me", safety replies, clinic names,
   sources' citation lines and domain.yml responses (which hold every reply of bot/replies.py).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import pytest
import textstat
import yaml

from bot.knowledge import load_knowledge
from bot.paths import KNOWLEDGE_DIR, ROOT

KB = load_knowledge()
ENTRIES = list(KB.faqs.values())
IDS = [e.id for e in ENTRIES]

# term (regex, case-insensitive) -> the plain-words explanation that must be in the same answer
GLOSSES: dict[str, tuple[str, str]] = {
    "OUD / opioid use disorder": (
        r"\bOUD\b|opioid use disorder",
        r"(condition|when|where) (where |when )?a person keeps using opioids even when it causes harm",
    ),
    "dependence": (r"\bdependence\b", r"dependence(, which)? means your body is used to the drug"),
    "NMDA": (r"\bNMDA\b", r"NMDA receptors?(, | are )parts of (your )?nerves[^.]*pass on pain"),
    "glial cells": (r"\bglial\b", r"glial cells are support cells"),
    "allodynia": (r"\ballodynia\b", r"(allodynia is pain from|that kind of pain is called allodynia)"),
    "naloxone": (r"\bnaloxone\b", r"(naloxone[^.]*(a medicine that|reverse)|it is a medicine that can reverse)"),
    "neuroplasticity": (r"\bneuroplasticity\b", r"ability of nerves to change is called neuroplasticity"),
    "endorphins": (r"\bendorphins\b", r"endorphins, your body's own feel-good chemicals"),
    "inflammation": (r"\binflammation\b", r"swelling and irritation[^.]*called inflammation"),
}
# The subject's own words: every answer is about these, and the person asking used them first.
CORE = {
    "opioid", "opioids", "oih", "clinician", "clinicians", "clinician's", "prescriber", "prescribes",
    "taper", "tapering", "tolerance", "withdrawal", "overdose", "physical", "therapy", "therapist",
    "chronic", "doses", "symptoms", "treatment", "treatments", "article", "articles", "disagree",
}
DALE_CHALL_MAX = 8.0  # 8.0-8.9 means "grade 11-12" in Dale-Chall terms; ours must stay below


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_medical_terms_are_explained_where_used(entry):
    for name, (term, gloss) in GLOSSES.items():
        if re.search(term, entry.answer, re.IGNORECASE):
            assert re.search(gloss, entry.answer, re.IGNORECASE), f"{entry.id} uses {name} without explaining it"


def _neutralised(text: str, explained: set[str]) -> str:
    """``text`` with CORE words and explained terms replaced by a familiar word."""
    allowed = CORE | explained

    def swap(m: re.Match[str]) -> str:
        return "word" if m.group(0).lower() in allowed else m.group(0)

    return re.sub(r"[A-Za-z']+", swap, text)


def _explained_words(answer: str) -> set[str]:
    words: set[str] = set()
    for term, gloss in GLOSSES.values():
        if re.search(gloss, answer, re.IGNORECASE):
            words |= {w.lower() for w in re.findall(r"[A-Za-z']+", re.search(term, answer, re.I).group(0))}
    return words


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_answer_vocabulary_is_familiar(entry):
    text = _neutralised(entry.answer, _explained_words(entry.answer))
    score = textstat.dale_chall_readability_score(text)
    hard = sorted({w.lower() for w in textstat.difficult_words_list(text)})
    assert score <= DALE_CHALL_MAX, f"{entry.id}: Dale-Chall {score} without core/explained words; hard: {hard}"


def test_vocabulary_check_catches_jargon():
    """The check is not vacuous: a short-sentence answer full of jargon fails it."""
    jargon = (
        "Hyperalgesia involves sensitization. Nociceptive pathways show potentiation. "
        "Glutamatergic transmission increases. Pronociceptive facilitation predominates."
    )
    assert textstat.flesch_kincaid_grade("Pain gets worse. Nerves change.") <= 7
    assert textstat.dale_chall_readability_score(_neutralised(jargon, set())) > DALE_CHALL_MAX


def test_gloss_check_catches_a_bare_term():
    term, gloss = GLOSSES["NMDA"]
    bare = "Methadone may block NMDA receptors."
    assert re.search(term, bare) and not re.search(gloss, bare, re.IGNORECASE)


# --- Person-first language ---------------------------------------------------------------------------

# NIDA "Words Matter": terms to avoid about people who use drugs or have a substance use disorder.
STIGMA = [
    (r"\baddicts?\b", "addict -> person with a substance use disorder"),
    (r"\babusers?\b", "abuser -> person who misuses / has a substance use disorder"),
    (r"\bsubstance abuse\b|\bdrug abuse\b|\bopioid abuse\b|\babuse of\b", "abuse -> use / misuse"),
    (r"\bclean\b|\bdirty\b", "clean/dirty -> not using / testing negative or positive, in recovery"),
    (r"\bjunkies?\b|\bdruggies?\b|\bdope ?fiends?\b", "slur"),
    (r"\b(drug|opioid|heroin) users?\b", "user -> person who uses drugs"),
    (r"\balcoholics?\b", "alcoholic -> person with alcohol use disorder"),
    (r"\bhabit\b", "habit -> substance use disorder"),
    (r"\breplacement therapy\b|\bsubstitution therapy\b", "-> medication for opioid use disorder"),
]
# Proper names quoted as they are (a federal agency's legal name), not words we chose.
PROPER_NAMES = ["Substance Abuse and Mental Health Services Administration"]


def _strings(node: object, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, f"{where}[{i}]")


def reply_texts() -> list[tuple[str, str]]:
    """Every text a person can read, with where it comes from."""
    load = lambda p: yaml.safe_load(Path(p).read_text(encoding="utf-8"))  # noqa: E731
    texts: list[tuple[str, str]] = []
    for e in ENTRIES:
        texts += [(f"faq/{e.id}.answer", e.answer), (f"faq/{e.id}.title", e.title)]
    texts += list(_strings(load(KNOWLEDGE_DIR / "screening.yml"), "screening"))
    texts += list(_strings(load(KNOWLEDGE_DIR / "conversation.yml"), "conversation"))
    texts += list(_strings(load(KNOWLEDGE_DIR / "callback.yml"), "callback"))
    texts += list(_strings(load(KNOWLEDGE_DIR / "privacy.yml"), "privacy"))
    texts += list(_strings(load(KNOWLEDGE_DIR / "safety.yml")["replies"], "safety.replies"))
    texts += list(_strings(load(KNOWLEDGE_DIR / "clinic.yml"), "clinic"))
    texts += [(f"sources/{s.id}", s.citation) for s in KB.sources.values()]
    domain = load(ROOT / "domain.yml")
    for name, variants in (domain.get("responses") or {}).items():
        for i, variant in enumerate(variants):
            texts += [(f"domain.{name}[{i}].text", variant.get("text") or "")]
            texts += [(f"domain.{name}[{i}].button", b.get("title", "")) for b in variant.get("buttons") or []]
    return texts


TEXTS = reply_texts()


def test_reply_texts_are_found():
    """Guard against a vacuous pass: the collection really reads every kind of reply."""
    kinds = {where.split(".")[0].split("/")[0] for where, _ in TEXTS}
    assert {"faq", "screening", "conversation", "callback", "privacy", "safety", "clinic", "sources", "domain"} <= kinds, kinds
    assert len(TEXTS) > 150


@pytest.mark.parametrize("where, text", TEXTS, ids=[w for w, _ in TEXTS])
def test_person_first_language(where, text):
    for name in PROPER_NAMES:
        text = text.replace(name, "")
    for pattern, why in STIGMA:
        match = re.search(pattern, text, re.IGNORECASE)
        assert not match, f"{where}: {match.group(0)!r} ({why})"


@pytest.mark.parametrize("bad", ["He is an addict.", "She stayed clean for a year.", "a drug abuser", "substance abuse"])
def test_person_first_check_catches(bad):
    assert any(re.search(p, bad, re.IGNORECASE) for p, _ in STIGMA)
