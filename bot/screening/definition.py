"""The questionnaire as clinicians write it: knowledge/screening.yml loaded into typed objects.

Changes here when the file's shape changes (a new field, a new check). A bad edit fails loudly
with ``ScreeningError`` naming the file, the question and the problem, so it fails tests, not
patients.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from bot.knowledge import Citation, citation_problem, load_sources
from bot.paths import KNOWLEDGE_DIR

Answer = Literal["yes", "no", "unsure"]
AnswerValue = Literal["yes", "no", "unsure", "skipped"]
Level = Literal["several signs", "some signs", "few or no signs"]

ANSWER_VALUES: tuple[str, ...] = ("yes", "no", "unsure", "skipped")
LEVELS: tuple[str, ...] = ("several signs", "some signs", "few or no signs")

#: What a question's answer does to the result (``role:`` in knowledge/screening.yml):
#: ``gate``    the setting OIH needs (long-term use): not a sign; unless it is "yes", the level
#:             stays at "few or no signs" whatever else is reported;
#: ``clue``    one of the distinguishing clues of the 002 article ("Clinical Clues That Point to
#:             OIH"): only these carry the level;
#: ``context`` worth telling the clinician but common with tolerance, withdrawal or any chronic
#:             pain (relief wearing off sooner, poor sleep, no known new cause): reported apart,
#:             never counted.
Role = Literal["gate", "clue", "context"]
ROLES: tuple[str, ...] = ("gate", "clue", "context")

SCREENING_FILE = KNOWLEDGE_DIR / "screening.yml"
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_DOSE_RE = re.compile(r"\d|%|\bmg\b|\bmcg\b|\bmilligram", re.IGNORECASE)


class ScreeningError(ValueError):
    """Raised when knowledge/screening.yml or knowledge/answer_words.yml is malformed, so a bad
    edit fails tests, not patients."""


@dataclass(frozen=True)
class Question:
    """One yes/no question and the sign it asks about.

    ``yes_counts`` is False for an inverted question (one where "no" is the answer that points to
    OIH). Inverting the *scoring* instead of the *wording* keeps the question free of double
    negatives, which are hard to answer at a grade 6-7 reading level.
    """

    id: str
    text: str
    why: str
    sign: str
    sources: tuple[Citation, ...]
    yes_counts: bool = True
    role: Role = "clue"

    @property
    def inverted(self) -> bool:
        return not self.yes_counts

    @property
    def sign_answer(self) -> Answer:
        """The answer that means "this sign is present"."""
        return "yes" if self.yes_counts else "no"

    def points_to_oih(self, answer: str) -> bool:
        return answer == self.sign_answer


@dataclass(frozen=True)
class Screening:
    """The whole questionnaire as loaded from YAML; ``results``/``summary`` hold the result wording."""

    intro_template: str
    questions: tuple[Question, ...]
    reask: str
    buttons: Mapping[str, str]
    skipped: str
    stopped: str
    results: Mapping[str, Any]
    summary: Mapping[str, Any]
    path: Path | None = field(default=None, compare=False)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    @property
    def intro(self) -> str:
        """The intro with the question count filled in, so adding a question never leaves it stale."""
        return self.intro_template.format(count=_number_word(len(self.questions)))


_NUMBER_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve").split()


def _number_word(n: int) -> str:
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


def _require(raw: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in raw or raw[key] in (None, ""):
        raise ScreeningError(f"{where}: missing `{key}`")
    return raw[key]


def _parse_question(raw: Any, index: int) -> Question:
    where = f"questions[{index}]"
    if not isinstance(raw, Mapping):
        raise ScreeningError(f"{where}: must be a mapping")
    qid = str(_require(raw, "id", where))
    where = f"question {qid!r}"
    if not _ID_RE.match(qid):
        raise ScreeningError(f"{where}: id must be lower case letters, digits and underscores")
    text = " ".join(str(_require(raw, "text", where)).split())
    if text.count("?") != 1 or not text.endswith("?"):
        raise ScreeningError(f"{where}: text must be exactly one question ending in '?'")
    yes_counts = raw.get("yes_counts", True)
    if not isinstance(yes_counts, bool):
        raise ScreeningError(f"{where}: yes_counts must be true or false")
    role = raw.get("role", "clue")
    if role not in ROLES:
        raise ScreeningError(f"{where}: role must be one of {', '.join(ROLES)}")
    sources_raw = _require(raw, "sources", where)
    sources = []
    for s in sources_raw:
        if not isinstance(s, Mapping) or not s.get("id") or not s.get("heading"):
            raise ScreeningError(f"{where}: each source needs `id` and `heading`")
        sources.append(Citation(str(s["id"]), str(s["heading"])))
    q = Question(
        id=qid,
        text=text,
        why=" ".join(str(_require(raw, "why", where)).split()),
        sign=" ".join(str(_require(raw, "sign", where)).split()),
        sources=tuple(sources),
        yes_counts=yes_counts,
        role=role,
    )
    for name in ("text", "why", "sign"):
        if _DOSE_RE.search(getattr(q, name)):
            raise ScreeningError(f"{where}: `{name}` must not contain numbers, doses or percentages")
    return q


def parse_screening(data: Any, path: Path | None = None) -> Screening:
    """Build a ``Screening`` from already-parsed YAML (tests use this with small definitions)."""
    if not isinstance(data, Mapping):
        raise ScreeningError(f"{path}: top level must be a mapping")
    questions = tuple(_parse_question(q, i) for i, q in enumerate(_require(data, "questions", "file")))
    ids = [q.id for q in questions]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ScreeningError(f"{path}: duplicate question ids: {', '.join(dupes)}")
    if sum(q.role == "gate" for q in questions) > 1:
        raise ScreeningError(f"{path}: at most one question can be the gate")
    buttons = {str(k): str(v) for k, v in dict(data.get("buttons") or {}).items()}
    for key in ("yes", "no", "unsure"):
        if key not in buttons:
            raise ScreeningError(
                f"{path}: buttons need `{key}` (quote yes/no: YAML reads them as booleans)"
            )
    results = dict(_require(data, "results", "file"))
    missing_levels = [lv for lv in LEVELS if lv not in (results.get("levels") or {})]
    if missing_levels:
        raise ScreeningError(f"{path}: results.levels misses {missing_levels}")
    for key in ("reported_intro", "none_reported", "not_diagnosis", "advice", "callback_offer"):
        _require(results, key, "results")
    summary = dict(_require(data, "summary", "file"))
    return Screening(
        intro_template=" ".join(str(_require(data, "intro", "file")).split()),
        questions=questions,
        reask=str(_require(data, "reask", "file")),
        buttons=buttons,
        skipped=str(data.get("skipped") or ""),
        stopped=" ".join(str(_require(data, "stopped", "file")).split()),
        results=results,
        summary=summary,
        path=path,
    )


def read_yaml(path: Path) -> Any:
    """A file's YAML; ``ScreeningError`` naming the file when it is not valid YAML."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ScreeningError(f"{path}: not valid YAML: {exc}") from exc


def load_screening(path: Path | str | None = None) -> Screening:
    """Load and check the questionnaire; ``ScreeningError`` names what is wrong."""
    p = Path(path) if path is not None else SCREENING_FILE
    return parse_screening(read_yaml(p), p)


@functools.lru_cache(maxsize=4)
def cached_screening(path: str = str(SCREENING_FILE)) -> Screening:
    """The default definition, loaded once per process (actions call this on every turn)."""
    return load_screening(path)


def check_sources(screening: Screening, knowledge_dir: Path = KNOWLEDGE_DIR) -> list[str]:
    """Problems with the questions' citations against knowledge/sources.yml (empty when fine).

    Kept out of ``load_screening`` so the form still loads if the sources catalogue is mid-edit;
    the unit tests and ``python -m bot check`` call it.
    """
    sources = load_sources(knowledge_dir)
    problems = []
    for q in screening.questions:
        for ref in q.sources:
            problem = citation_problem(sources, ref)
            if problem:
                problems.append(f"{q.id}: {problem}")
    return problems
