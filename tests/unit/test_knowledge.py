"""The content rules of design.md, checked on every FAQ entry of knowledge/."""
from __future__ import annotations

import re

import pytest
import textstat
import yaml

from bot.knowledge import load_knowledge
from bot.paths import ROOT, SEEDS_DIR

KB = load_knowledge()
ENTRIES = list(KB.faqs.values())
IDS = [e.id for e in ENTRIES]
HELDOUT = yaml.safe_load((ROOT / "tests/heldout/faq_heldout.yml").read_text())["topics"]

# Anything that reads as a dose, an amount, a reduction figure or a schedule.
FORBIDDEN = [
    (r"\d", "a digit (doses, amounts, percentages and schedules are never given)"),
    (r"%|\bper ?cent\b", "a percentage"),
    (r"\b(mg|mcg|milligrams?|micrograms?|ml)\b", "a unit of dose"),
    (r"\b(double|triple|halve|half) (the|your|a) (dose|pill)", "a dose change"),
    (r"\bevery (few )?(hours?|day|morning|night|week)\b", "a schedule"),
    (r"\b(stop|start|quit) taking\b", "a stop/start instruction"),
    (r"\bwithout (medical )?supervision\b", "the source 003 typo about unsupervised tapering"),
]


def test_at_least_45_topics():
    assert len(ENTRIES) >= 45, IDS


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_entry_shape(entry):
    assert entry.title.strip() and entry.answer.strip()
    assert len(entry.examples) >= 12
    assert 1 <= len(entry.sources)
    assert 2 <= len(entry.related) <= 3
    assert len(set(e.lower() for e in entry.examples)) == len(entry.examples), "duplicate examples"


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_answer_is_plain_language(entry):
    grade = textstat.flesch_kincaid_grade(entry.answer)
    assert grade <= 7.0, f"{entry.id}: Flesch-Kincaid grade {grade}"


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_answer_has_no_forbidden_pattern(entry):
    for pattern, why in FORBIDDEN:
        match = re.search(pattern, entry.answer, re.IGNORECASE)
        assert not match, f"{entry.id}: {why}: {match.group(0)!r}"


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))


def _ngrams(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


# The articles' texts come from the catalogue, not from a glob: a missing or empty file is a failure
# of the check, never an empty set that lets every answer pass (knowledge/sources/README.md).
ARTICLE_FILES = {s.id: SEEDS_DIR / s.file for s in KB.sources.values() if s.is_article}


def _article_grams() -> dict[str, set[tuple[str, ...]]]:
    return {
        sid: _ngrams(_words(path.read_text(encoding="utf-8")), 8) if path.is_file() else set()
        for sid, path in ARTICLE_FILES.items()
    }


ARTICLE_GRAMS = _article_grams()
SEED_GRAMS: set[tuple[str, ...]] = set().union(*ARTICLE_GRAMS.values())


def test_article_texts_are_in_the_repository():
    """The own-words and heading checks need every article's text; fail loudly when one is missing."""
    assert len(ARTICLE_FILES) == 5
    missing = [str(p) for p in ARTICLE_FILES.values() if not p.is_file()]
    assert not missing, f"article texts missing (see knowledge/sources/README.md): {missing}"
    short = [sid for sid, grams in ARTICLE_GRAMS.items() if len(grams) < 300]
    assert not short, f"article texts empty or truncated: {short}"


def test_own_words_check_compares_something():
    """A sentence taken from an article must be caught, or the check below checks nothing."""
    path = ARTICLE_FILES["tolerance-signs"]
    sentence = next(line for line in path.read_text(encoding="utf-8").splitlines() if len(_words(line)) > 12)
    assert _ngrams(_words(sentence), 8) & SEED_GRAMS


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_answer_is_in_own_words(entry):
    assert SEED_GRAMS, "no article text to compare with (knowledge/sources/)"
    copied = _ngrams(_words(entry.answer), 8) & SEED_GRAMS
    assert not copied, f"{entry.id} copies source text: {[' '.join(c) for c in copied][:3]}"


def test_every_content_section_is_cited():
    """By an FAQ answer or by a screening question (knowledge/screening.yml is content too)."""
    from bot.screening import load_screening

    cited = {(c.source, c.heading) for e in ENTRIES for c in e.sources}
    cited |= {(s.source, s.heading) for q in load_screening().questions for s in q.sources}
    missing = [
        (s.id, sec.heading)
        for s in KB.sources.values()
        for sec in s.sections
        if sec.kind == "content" and (s.id, sec.heading) not in cited
    ]
    assert not missing, missing


def test_every_source_file_exists_and_has_its_headings():
    for source in (s for s in KB.sources.values() if s.is_article):
        text = ARTICLE_FILES[source.id].read_text(encoding="utf-8")
        assert source.title in text
        for section in source.sections:
            if section.heading not in ("Introduction", "References"):
                assert section.heading in text, (source.id, section.heading)


def test_heldout_covers_every_topic_and_never_overlaps_training():
    assert set(HELDOUT) == set(IDS)
    training = {x.lower().strip() for e in ENTRIES for x in e.examples}
    for topic, phrasings in HELDOUT.items():
        assert len(phrasings) >= 3, topic
        leaked = [p for p in phrasings if p.lower().strip() in training]
        assert not leaked, f"held-out phrasings used for training: {leaked}"


def test_sources_catalogue_has_five_articles_with_publishers():
    """The five seed articles; outside authorities (no `file`) are checked in test_content_fixes."""
    articles = [s for s in KB.sources.values() if s.is_article]
    assert len(articles) == 5
    publishers = {s.id: s.publisher for s in articles}
    assert publishers["arizona-iop"] == "Arizona IOP"
    assert publishers["bicycle-recovery"] == "Bicycle Health"
    assert publishers["tolerance-signs"] is None  # not named in the article: never invented
    reviewers = {s.id: s.reviewer for s in articles}
    assert reviewers["bicycle-what-to-do"] == "Elena Hill, MD, MPH"
    assert reviewers["bicycle-recovery"] == "Peter Manza, PhD"


def test_tapering_answers_say_it_is_supervised():
    for topic in ("tapering", "taper_with_clinician"):
        answer = KB.faq(topic).answer.lower()
        assert any(w in answer for w in ("prescriber", "clinician", "doctor")), topic


def test_rotation_answer_says_sources_disagree():
    answer = KB.faq("opioid_rotation").answer.lower()
    assert any(w in answer for w in ("disagree", "differ", "not agree", "don't agree", "do not agree")), answer
