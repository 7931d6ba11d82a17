"""One typed model of ``knowledge/``: every file read and checked once per process.

* ``faq``: the FAQ answers and their sources (``KnowledgeBase``, ``cached_knowledge``);
* ``clinic``: the clinic's contact details and the emergency numbers (``cached_clinic``);
* ``medicines``: the medicine names and aliases (``cached_medicines``);
* ``store``: the wording files (``texts``), any other file (``yaml_file``), the one cache behind
  all of them and its ``reload``.

Readers outside this package never parse a knowledge/ file themselves.
"""
from __future__ import annotations

from bot.knowledge.clinic import Clinic, ClinicLike, Emergency, cached_clinic
from bot.knowledge.faq import (
    MIN_EXAMPLES,
    REQUIRED_FAQ_KEYS,
    Citation,
    FaqEntry,
    KnowledgeBase,
    Section,
    Source,
    cached_knowledge,
    citation_problem,
    load_knowledge,
    load_sources,
)
from bot.knowledge.medicines import Medicine, cached_medicines
from bot.knowledge.store import KnowledgeError, reload, texts, yaml_file

__all__ = [
    "MIN_EXAMPLES",
    "REQUIRED_FAQ_KEYS",
    "Citation",
    "Clinic",
    "ClinicLike",
    "Emergency",
    "FaqEntry",
    "KnowledgeBase",
    "KnowledgeError",
    "Medicine",
    "Section",
    "Source",
    "cached_clinic",
    "cached_knowledge",
    "cached_medicines",
    "citation_problem",
    "load_knowledge",
    "load_sources",
    "reload",
    "texts",
    "yaml_file",
]
