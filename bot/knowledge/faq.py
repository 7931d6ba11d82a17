"""The FAQ answers (``knowledge/faq/``) and their sources (``knowledge/sources.yml``), typed.

Everything the assistant says about OIH comes from here, so loading is strict: a malformed entry,
an unknown source heading or a dangling ``related`` id raises ``KnowledgeError`` with the file name,
and ``python -m bot check`` / the unit tests fail before a bad answer can reach a patient.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.knowledge.store import KnowledgeError, once, parse_yaml, texts
from bot.paths import KNOWLEDGE_DIR

REQUIRED_FAQ_KEYS = ("id", "title", "answer", "examples", "sources", "related", "reviewed")
MIN_EXAMPLES = 12


@dataclass(frozen=True)
class Section:
    heading: str
    kind: str  # content | marketing | references | comments


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str | None  # None where the article does not name its publisher
    reviewer: str | None
    file: str | None  # the article's text under knowledge/sources/; None for an outside authority
    sections: tuple[Section, ...]
    url: str | None = None
    year: int | None = None
    short_title: str | None = None  # for the one "Source:" line under an answer; else the title

    @property
    def is_article(self) -> bool:
        """One of the five seed articles (text kept in the repo), not an outside authority."""
        return self.file is not None

    @property
    def citation(self) -> str:
        """The short line shown under an answer: title and publisher (and reviewer if stated)."""
        text = f"{self.title}, {self.publisher}" if self.publisher else self.title
        if self.year and str(self.year) not in self.title:
            text = f"{text}, {self.year}"
        return f"{text} (reviewed by {self.reviewer})" if self.reviewer else text


@dataclass(frozen=True)
class Citation:
    source: str
    heading: str


@dataclass(frozen=True)
class FaqEntry:
    id: str
    title: str
    answer: str
    examples: tuple[str, ...]
    sources: tuple[Citation, ...]
    related: tuple[str, ...]
    reviewed_date: dt.date
    reviewed_by: str
    path: Path = field(compare=False)


@dataclass(frozen=True)
class KnowledgeBase:
    sources: dict[str, Source]
    faqs: dict[str, FaqEntry]

    def faq(self, topic_id: str) -> FaqEntry:
        return self.faqs[topic_id]

    def source_reference(self, entry: FaqEntry) -> str:
        """What a patient reads after "Source:": the first cited article's short title and section.

        Four long titles in a row were unreadable in a chat bubble (issue 13, point 5). The first
        citation is the one the answer rests on most; the others are counted, and listed in full
        on the staff page and in the review packet.
        """
        first = entry.sources[0]
        source = self.sources[first.source]
        line = f"{source.short_title or source.title}, section \u201c{first.heading}\u201d"
        more = len(entry.sources) - 1
        return line + (f" (and {more} more source{'s' if more > 1 else ''})" if more else "")

    def source_line(self, entry: FaqEntry) -> str:
        """The whole line as the patient sees it (wording: knowledge/conversation.yml ``faq``)."""
        return str(texts("conversation.yml")["faq"]["source_line"]).format(sources=self.source_reference(entry))


def load_sources(knowledge_dir: Path = KNOWLEDGE_DIR) -> dict[str, Source]:
    """knowledge/sources.yml: the articles and outside authorities answers may cite."""
    data = parse_yaml(knowledge_dir / "sources.yml")
    sources: dict[str, Source] = {}
    where = knowledge_dir / "sources.yml"
    for raw in data["sources"]:
        if raw["id"] in sources:
            # Two people adding the same authority (e.g. in parallel branches) must not silently
            # overwrite one another's sections.
            raise KnowledgeError(f"{where}: source id {raw['id']!r} is listed twice")
        if not raw.get("file") and not raw.get("url"):
            raise KnowledgeError(f"{where}: source {raw['id']!r} needs a `file` (article) or a `url`")
        sections = tuple(Section(s["heading"], s["kind"]) for s in raw["sections"])
        sources[raw["id"]] = Source(
            id=raw["id"],
            title=raw["title"],
            publisher=raw.get("publisher"),
            reviewer=raw.get("reviewer"),
            file=raw.get("file"),
            sections=sections,
            url=raw.get("url"),
            year=raw.get("year"),
            short_title=raw.get("short_title"),
        )
    return sources


def citation_problem(sources: dict[str, Source], citation: Citation) -> str | None:
    """Why ``citation`` does not resolve to a content section of a known source, or None."""
    source = sources.get(citation.source)
    if source is None:
        return f"unknown source {citation.source!r}"
    kinds = {s.heading: s.kind for s in source.sections}
    if citation.heading not in kinds:
        return f"{source.id} has no heading {citation.heading!r}"
    if kinds[citation.heading] != "content":
        return f"{source.id} / {citation.heading!r} is not a content section"
    return None


def _parse_faq(path: Path, raw: Any, sources: dict[str, Source]) -> FaqEntry:
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{path}: expected a mapping")
    missing = [k for k in REQUIRED_FAQ_KEYS if k not in raw]
    if missing:
        raise KnowledgeError(f"{path}: missing keys {missing}")
    if raw["id"] != path.stem:
        raise KnowledgeError(f"{path}: id {raw['id']!r} must match the file name")
    examples = tuple(str(e).strip() for e in raw["examples"] or [])
    if len(examples) < MIN_EXAMPLES:
        raise KnowledgeError(f"{path}: needs at least {MIN_EXAMPLES} examples, has {len(examples)}")
    citations = []
    for cite in raw["sources"] or []:
        citation = Citation(str(cite.get("source")), str(cite.get("heading")))
        problem = citation_problem(sources, citation)
        if problem:
            raise KnowledgeError(f"{path}: {problem}")
        citations.append(citation)
    if not citations:
        raise KnowledgeError(f"{path}: cites no source")
    reviewed = raw["reviewed"]
    date = reviewed["date"]
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    return FaqEntry(
        id=raw["id"],
        title=str(raw["title"]).strip(),
        answer=" ".join(str(raw["answer"]).split()),
        examples=examples,
        sources=tuple(citations),
        related=tuple(raw["related"] or []),
        reviewed_date=date,
        reviewed_by=str(reviewed["by"]),
        path=path,
    )


def load_knowledge(knowledge_dir: Path = KNOWLEDGE_DIR) -> KnowledgeBase:
    """Read sources and every FAQ file, checking cross references."""
    sources = load_sources(knowledge_dir)
    faqs: dict[str, FaqEntry] = {}
    for path in sorted((knowledge_dir / "faq").glob("*.yml")):
        entry = _parse_faq(path, parse_yaml(path), sources)
        faqs[entry.id] = entry
    for entry in faqs.values():
        unknown = [r for r in entry.related if r not in faqs or r == entry.id]
        if unknown:
            raise KnowledgeError(f"{entry.path}: related ids not found: {unknown}")
    return KnowledgeBase(sources=sources, faqs=faqs)


def cached_knowledge(knowledge_dir: Path | str = KNOWLEDGE_DIR) -> KnowledgeBase:
    """The knowledge base, loaded once per process (actions and components share it)."""
    return once("faq", knowledge_dir, load_knowledge)
