"""Fuzzy search over the knowledge base for staff (``python -m bot faq search``, the /staff page).

Each topic is indexed by its title, answer and training examples, lemmatised with the project's
spaCy pipeline so "hurts"/"hurting" meet "hurt". rapidfuzz's token-set ratio scores a query
against every text of a topic with the mean of two rapidfuzz scorers: token_set_ratio (all query
words present) and token_sort_ratio (and not much else besides); the topic's score is its best
text's score. Answers count a little less than titles
and example questions, because a long answer contains most short queries' words by chance.
"""
from __future__ import annotations

import argparse
import functools
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.knowledge import FaqEntry, KnowledgeBase, cached_knowledge
from bot.nlp import lemma_text

ANSWER_WEIGHT = 0.85


@dataclass(frozen=True)
class Hit:
    topic: str
    score: float


@functools.lru_cache(maxsize=1)
def _index() -> tuple[list[str], list[str], list[float]]:
    kb = cached_knowledge()
    texts, owners, weights = [], [], []
    for entry in kb.faqs.values():
        for text, weight in [(entry.title, 1.0), (entry.answer, ANSWER_WEIGHT)] + [(x, 1.0) for x in entry.examples]:
            texts.append(text)
            owners.append(entry.id)
            weights.append(weight)
    return lemma_text(texts), owners, weights


def _score(a: str, b: str, **kwargs: object) -> float:
    return (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2


def search(query: str, limit: int = 5) -> list[Hit]:
    """Best topics for ``query``, highest score first (0-100)."""
    if not query.strip():
        return []
    lemmatised, owners, weights = _index()
    q = lemma_text([query])[0]
    best: dict[str, float] = {}
    for _, score, i in process.extract(q, lemmatised, scorer=_score, limit=None):
        weighted = score * weights[i]
        if weighted > best.get(owners[i], 0.0):
            best[owners[i]] = weighted
    ranked = sorted(best.items(), key=lambda kv: kv[1], reverse=True)[:limit]
    return [Hit(topic, round(score, 1)) for topic, score in ranked]


def describe(kb: KnowledgeBase, entry: FaqEntry) -> str:
    sources = "\n".join(f"    - {kb.sources[c.source].title}: \"{c.heading}\"" for c in entry.sources)
    return (
        f"[{entry.id}] {entry.title}\n  {entry.answer}\n  Sources:\n{sources}\n"
        f"  Reviewed: {entry.reviewed_date.isoformat()} by {entry.reviewed_by}\n"
    )


def faq_main(args: argparse.Namespace) -> int:
    kb = cached_knowledge()
    if args.action == "list":
        for entry in kb.faqs.values():
            print(f"{entry.id:32s} {entry.title}  (reviewed {entry.reviewed_date.isoformat()})")
        print(f"{len(kb.faqs)} topics")
        return 0
    query = " ".join(args.query)
    hits = search(query)
    if not hits:
        print("Nothing found. Try other words, or `python -m bot faq list`.")
        return 1
    for hit in hits:
        print(f"score {hit.score:5.1f}  " + describe(kb, kb.faq(hit.topic)))
    return 0
