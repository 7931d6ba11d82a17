"""Staff FAQ search (``python -m bot faq search``, the /staff page): the patients' retriever.

One engine for patients and staff (issue 10, point 7): the search ranks topics with the same
retriever that gives the assistant its second opinion (bot/understanding/retriever.py), restricted
to FAQ topics. It is read from the trained model (models/oih.tar.gz), so a search is a few
milliseconds once loaded; without a trained model it is fitted from knowledge/ and data/nlu on
first use (a few seconds). The old fuzzy ranking ranked "How long does it take for OIH to get
better?" above "Does OIH go away" for the staff guide's own example (docs/staff.md), "does it go away".
"""
from __future__ import annotations

import argparse
import functools
import pickle
import tarfile
from dataclasses import dataclass

from bot.knowledge import FaqEntry, KnowledgeBase, cached_knowledge
from bot.paths import KNOWLEDGE_DIR
from bot.signoff import load_signoffs, status
from bot.understanding.decision import FAQ_PREFIX
from bot.understanding.features import prepare
from bot.understanding.model import MODEL_FILE
from bot.understanding.retriever import Retriever


@dataclass(frozen=True)
class Hit:
    topic: str
    score: float  # 0-100


def _from_model() -> Retriever | None:
    from bot.training import model_path

    path = model_path()
    if not path.exists():
        return None
    with tarfile.open(path, "r:gz") as tar:
        for member in tar.getmembers():
            if member.name.endswith("/" + MODEL_FILE):
                data = tar.extractfile(member)
                if data is not None:
                    return pickle.loads(data.read()).retriever  # our own training output
    return None


@functools.lru_cache(maxsize=1)
def retriever() -> Retriever:
    """The trained model's retriever, or one fitted now from the same data."""
    found = _from_model()
    if found is not None:
        return found
    from bot.understanding.data import training_examples

    kb = cached_knowledge()
    texts, intents = training_examples()
    for entry in kb.faqs.values():
        texts += [entry.title, entry.answer]
        intents += [FAQ_PREFIX + entry.id] * 2
    return Retriever().fit(texts, intents)


def search(query: str, limit: int = 5) -> list[Hit]:
    """Best FAQ topics for ``query``, highest score first."""
    if not query.strip():
        return []
    kb = cached_knowledge()
    ranked = retriever().rank(prepare([query]))[0]
    hits = [
        Hit(s.label[len(FAQ_PREFIX):], round(100 * s.score, 1))
        for s in ranked
        if s.label.startswith(FAQ_PREFIX) and s.label[len(FAQ_PREFIX):] in kb.faqs and s.score > 0
    ]
    return hits[:limit]


def describe(kb: KnowledgeBase, entry: FaqEntry) -> str:
    sources = "\n".join(f"    - {kb.sources[c.source].title}: \"{c.heading}\"" for c in entry.sources)
    return (
        f"[{entry.id}] {entry.title}\n  {entry.answer}\n  Sources:\n{sources}\n"
        f"  Last content edit: {entry.reviewed_date.isoformat()} by {entry.reviewed_by}\n"
        f"  {status(entry, load_signoffs(KNOWLEDGE_DIR)).label}\n"
    )


def faq_main(args: argparse.Namespace) -> int:
    kb = cached_knowledge()
    if args.action == "list":
        signoffs = load_signoffs(KNOWLEDGE_DIR)
        for entry in kb.faqs.values():
            print(f"{entry.id:32s} {entry.title}  ({status(entry, signoffs).short_label.lower()})")
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
