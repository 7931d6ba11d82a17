"""The deterministic safety screen: crisis and dosing detection, one module, one policy.

Why deterministic: a person describing an overdose or asking how many pills to take must get the
emergency numbers or the "ask your prescriber" reply every single time, whatever a trained model
happens to predict. The ML intents (``crisis``, ``ask_dosing``) are only a second net; this screen
runs on every message, on every channel, inside forms too, and is tested on its own
(tests/unit/test_safety.py, tests/safety/*.yml).

The policy lives in ``knowledge/safety.yml`` (lexicons, regex rules, idioms, educational
exemptions, reply texts) and ``knowledge/clinic.yml`` (contact and emergency numbers), so a
clinician can read and change it without touching Python. This module only knows *how* to read a
message:

1. normalise (NFKC, HTML stripped, lower case, control characters out, "pleeease" -> "please",
   "k m s" -> "kms", symbols such as the pill emoji -> words);
2. split into words, expand contractions and slang ("kms", "od'd", "wont"), correct misspelled
   medicine names and key words with rapidfuzz ("oxycodon", "hydrocodn", "suboxon"), map medicine
   aliases to canonical names (knowledge/medications.yml), and lemmatise with the lookup table of
   the project's spaCy pipeline (bot/nlp.py) -- read once into a dict, because running the whole
   spaCy pipeline per message is slower and gives the same lemmas for this purpose;
3. blank idioms ("this pain is killing me"), run the crisis rules; then blank educational
   questions ("what does tapering mean?") and run the dosing rules. Crisis always outranks dosing.

``contains_dose_amount`` is the output guard: any reply text that would show a dose amount is
replaced by the routing message by the caller (defence in depth; it is a content bug when it fires).
"""
from __future__ import annotations

import bisect
import functools
import html
import itertools
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Literal, Mapping, Sequence

from rapidfuzz import fuzz, process

from bot import knowledge
from bot.knowledge import Clinic, ClinicLike, cached_clinic
from bot.paths import KNOWLEDGE_DIR
from bot.safety.language import compile_spanish, detect, plain

Kind = Literal["crisis", "dosing", "none"]

__all__ = [
    "EXEMPTED",
    "NO_VERDICT",
    "Verdict",
    "screen",
    "crisis_messages",
    "dosing_messages",
    "contains_dose_amount",
    "load_clinic",
    "load_config",
    "readings",
    "reload",
]


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

# --------------------------------------------------------------------------------------------
# Configuration (knowledge/safety.yml + knowledge/medications.yml), compiled once per process.
# --------------------------------------------------------------------------------------------

_MACRO = re.compile(r"<([A-Z][A-Z_]*)>")
_WINDOW = 400  # characters: how close the parts of an `all` rule must be in a long message
_BLANK = "~"


@dataclass(frozen=True)
class _Rule:
    """One rule: every regex must match (``all``), on the lemma or the surface reading."""

    kind: str
    category: str
    id: str
    regexes: tuple[re.Pattern[str], ...]
    on_surface: bool
    unless: tuple[re.Pattern[str], ...] = ()
    # `needs`: words of which at least one must be in the message for the rule to be able to match
    # at all; a set look-up that skips the rule's regexes on most messages (speed only)
    needs: frozenset[str] = frozenset()

    def vetoed(self, lemma: str, surface: str, words: frozenset[str] | None = None) -> bool:
        """The rule's own ``unless`` matches, and so would the rule: an explicit "not this"."""
        if not self.unless or (self.needs and words is not None and self.needs.isdisjoint(words)):
            return False
        text = surface if self.on_surface else lemma
        return any(rx.search(text) for rx in self.unless) and self._matches(text, lemma, surface)

    def matches(self, lemma: str, surface: str, words: frozenset[str] | None = None) -> bool:
        if self.needs and words is not None and self.needs.isdisjoint(words):
            return False
        text = surface if self.on_surface else lemma
        if self.unless and any(rx.search(text) for rx in self.unless):
            return False
        return self._matches(text, lemma, surface)

    def _matches(self, text: str, lemma: str, surface: str) -> bool:
        if len(self.regexes) == 1:
            return self.regexes[0].search(text) is not None
        if len(text) <= _WINDOW:
            return all(rx.search(text) for rx in self.regexes)
        # In a long message the parts of an `all` rule must be near each other: "took too many
        # stairs" in one paragraph and "help" three paragraphs later are not one event.
        positions = [[m.start() for m in rx.finditer(text)] for rx in self.regexes]
        if not all(positions):
            return False
        for anchor in positions[0]:
            if all(
                bisect.bisect_right(pos, anchor + _WINDOW) > bisect.bisect_left(pos, anchor - _WINDOW)
                for pos in positions[1:]
            ):
                return True
        return False


@dataclass(frozen=True)
class _Span:
    """An idiom or educational phrase whose words are blanked before the rules run."""

    id: str
    regex: re.Pattern[str]
    on_surface: bool


@dataclass
class Config:
    """Everything the screen needs, compiled from the YAML files."""

    slang: dict[str, tuple[str, ...]]
    symbols: dict[str, str]
    lemma_overrides: dict[str, str]
    fuzzy_by_initial: dict[str, tuple[str, ...]]
    med_single: dict[str, str]
    med_multi: dict[tuple[str, ...], str]
    med_max_len: int
    idioms: tuple[_Span, ...]
    educational: tuple[_Span, ...]
    crisis: tuple[_Rule, ...]
    dosing: tuple[_Rule, ...]
    replies: dict[str, list[str]]
    spanish: tuple[Any, ...] = ()
    vetoable: tuple[_Rule, ...] = ()  # rules with an `unless` (a veto stops the learned net too)
    raw: dict[str, Any] = field(repr=False, default_factory=dict)


def _trie_regex(words: Iterable[str]) -> str:
    """An alternation of ``words`` factored by common prefixes.

    Why: Python's ``re`` tries every branch of ``a|b|c`` at every position; the medicine list has
    over a hundred names and appears in many rules, so a prefix tree keeps the screen fast.
    """
    trie: dict[str, Any] = {}
    for word in sorted(set(w for w in words if w)):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return "(?:" + body + ")?"
        return body

    return "(?:" + build(trie) + ")"


def _expand(pattern: str, macros: Mapping[str, str], where: str) -> str:
    """Replace ``<NAME>`` by its macro (recursively) so rules in the YAML stay readable."""
    for _ in range(10):
        if not _MACRO.search(pattern):
            return pattern

        def sub(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in macros:
                raise ValueError(f"knowledge/safety.yml: unknown macro <{name}> in {where}")
            return "(?:" + macros[name] + ")"

        pattern = _MACRO.sub(sub, pattern)
    raise ValueError(f"knowledge/safety.yml: macros nest too deep in {where}")


def _compile(pattern: str, macros: Mapping[str, str], where: str) -> re.Pattern[str]:
    try:
        return re.compile(_expand(pattern, macros, where))
    except re.error as exc:  # a typo in the YAML must fail loudly at start-up, not at run time
        raise ValueError(f"knowledge/safety.yml: bad regex in {where}: {exc}") from exc


class _Lemmas:
    """Word -> lemma from the project's spaCy pipeline, without running the pipeline per message.

    ``bot.nlp`` builds a lookup lemmatizer; its table is a plain word -> lemma map, so reading it
    once gives exactly the lemma spaCy would give a single lower-case token, at dict speed.
    """

    def __init__(self) -> None:
        from bot import nlp  # imported here: loading spaCy is only needed once, on first use

        table = nlp.load_pipeline().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
        self._table = table
        self._values = frozenset(str(v) for v in table.values())
        self._cache: dict[str, str] = {}

    def lemma(self, word: str) -> str:
        hit = self._cache.get(word)
        if hit is None:
            hit = str(self._table.get(word, word)).lower()
            if len(self._cache) < 200_000:
                self._cache[word] = hit
        return hit

    def known(self, word: str) -> bool:
        """Is this an English word form the table knows (as a form or as a lemma)?"""
        return word in self._values or word in self._table


_LEMMAS: _Lemmas | None = None
_LOCK = threading.Lock()


def _lemmas() -> _Lemmas:
    global _LEMMAS
    if _LEMMAS is None:
        with _LOCK:
            if _LEMMAS is None:
                _LEMMAS = _Lemmas()
    return _LEMMAS


_ITEM_KEYS = {"id", "pattern", "all", "reading", "unless", "needs"}


def _reading(item: Mapping[Any, Any], where: str) -> bool:
    """True when a rule reads the surface string; rejects unknown keys.

    Why so strict: YAML 1.1 reads a key spelled ``on`` as the boolean True, so a misspelt option
    would silently switch a rule to the wrong reading. Better to fail at start-up.
    """
    unknown = set(item) - _ITEM_KEYS
    if unknown:
        raise ValueError(f"knowledge/safety.yml: unknown keys {sorted(map(str, unknown))} in {where}")
    if "id" not in item or ("pattern" in item) == ("all" in item):
        raise ValueError(f"knowledge/safety.yml: give an id and exactly one of pattern/all in {where}")
    reading = item.get("reading", "lemma")
    if reading not in ("lemma", "surface"):
        raise ValueError(f"knowledge/safety.yml: reading must be lemma or surface in {where}")
    return reading == "surface"


def _load_yaml(path: Path) -> dict[str, Any]:
    return knowledge.texts(path.name, path.parent)


@functools.lru_cache(maxsize=4)
def load_config(knowledge_dir: str = str(KNOWLEDGE_DIR)) -> Config:
    """Read and compile knowledge/safety.yml and the medicine list (cached per process)."""
    kdir = Path(knowledge_dir)
    raw = _load_yaml(kdir / "safety.yml")
    meds = _load_yaml(kdir / "medications.yml")
    lem = _lemmas()

    def lemma_of(word: str) -> str:
        return raw.get("lemma_overrides", {}).get(word) or lem.lemma(word)

    # medicine names: canonical (lower case) for every name and alias, single and multi-word
    med_single: dict[str, str] = {}
    med_multi: dict[tuple[str, ...], str] = {}
    drug_words: set[str] = set()
    opioid_words: set[str] = set()
    alcohol_words: set[str] = set()
    for group in ("opioids", "other_medicines"):
        for entry in meds.get(group, []):
            canonical = str(entry["name"]).lower()
            names = [canonical] + [str(a).lower() for a in entry.get("aliases", [])]
            for name in names:
                parts = tuple(name.split())
                if len(parts) == 1:
                    med_single[name] = canonical
                    med_single.setdefault(lemma_of(name), canonical)
                else:
                    med_multi[parts] = canonical
                    med_multi[tuple(lemma_of(p) for p in parts)] = canonical
                if canonical == "alcohol":
                    alcohol_words.add(name)
                else:
                    drug_words.add(name)
                    if group == "opioids":
                        opioid_words.add(name)
    for word in list(drug_words):
        drug_words.add(lemma_of(word))

    macros: dict[str, str] = {str(k): str(v) for k, v in (raw.get("macros") or {}).items()}
    macros["DRUG"] = _trie_regex(drug_words | set(med_single.values()) - {"alcohol"})
    macros["OPIOID"] = _trie_regex(opioid_words)
    macros["ALCOHOL"] = _trie_regex(alcohol_words | {"alcohol"})

    slang = {
        str(k).lower(): tuple(str(v).lower().split()) for k, v in (raw.get("slang") or {}).items()
    }
    overrides = {str(k).lower(): str(v).lower() for k, v in (raw.get("lemma_overrides") or {}).items()}

    fuzzy_words = {str(w).lower() for w in raw.get("keywords", [])}
    fuzzy_words |= {w for w in med_single if len(w) >= 5 and w.isalpha()}
    by_initial: dict[str, list[str]] = {}
    for word in sorted(fuzzy_words):
        by_initial.setdefault(word[0], []).append(word)

    def spans(key: str) -> tuple[_Span, ...]:
        out = []
        for item in raw.get(key) or []:
            where = f"{key}/{item.get('id')}"
            on_surface = _reading(item, where)
            out.append(
                _Span(str(item["id"]), _compile(str(item["pattern"]), macros, where), on_surface)
            )
        return tuple(out)

    def rules(kind: str) -> tuple[_Rule, ...]:
        out = []
        for category, items in (raw.get(kind) or {}).items():
            for item in items:
                where = f"{kind}/{category}/{item.get('id')}"
                on_surface = _reading(item, where)
                patterns = item.get("all") or [item["pattern"]]
                out.append(
                    _Rule(
                        kind=kind,
                        category=str(category),
                        id=str(item["id"]),
                        regexes=tuple(_compile(str(p), macros, where) for p in patterns),
                        on_surface=on_surface,
                        unless=tuple(_compile(str(p), macros, where) for p in item.get("unless") or []),
                        needs=frozenset(str(w).lower() for w in item.get("needs") or []),
                    )
                )
        return tuple(out)

    return Config(
        slang=slang,
        symbols={str(k): str(v) for k, v in (raw.get("symbols") or {}).items()},
        lemma_overrides=overrides,
        fuzzy_by_initial={k: tuple(v) for k, v in by_initial.items()},
        med_single=med_single,
        med_multi=med_multi,
        med_max_len=max((len(k) for k in med_multi), default=1),
        idioms=spans("idioms"),
        educational=spans("educational"),
        crisis=rules("crisis"),
        dosing=rules("dosing"),
        replies={k: [str(t) for t in v] for k, v in (raw.get("replies") or {}).items()},
        spanish=compile_spanish(raw, macros, _compile),
        vetoable=tuple(r for r in rules("crisis") + rules("dosing") if r.unless),
        raw=raw,
    )


def reload() -> None:
    """Forget the cached configuration (after editing knowledge/*.yml in a running process)."""
    load_config.cache_clear()
    knowledge.reload()
    _word_cache.clear()


# --------------------------------------------------------------------------------------------
# Reading a message
# --------------------------------------------------------------------------------------------

_TAG = re.compile(r"<[^<>]{0,2000}>")
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'"})
_REPEATS = re.compile(r"([^\W\d_])\1{2,}")
_SPACED = re.compile(r"(?<![^\W\d_])(?:[a-z] ){2,}[a-z](?![^\W\d_])")
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*|\d+(?:[.,]\d+)*|[.?!,;]")
_ASCII_WORD = re.compile(r"[a-z]+")
_DOUBLES = re.compile(r"([a-z])\1")
_NOT_BASES = {"wo": "will", "ca": "can", "sha": "shall", "ai": "is"}
_IS_PRONOUNS = {"he", "she", "it", "that", "what", "there", "who", "where", "here", "how", "this"}
_SUFFIXES = {"'m": "am", "'re": "are", "'ve": "have", "'ll": "will", "'d": "would"}
_STOP_WORDS: frozenset[str] = frozenset()
_word_cache: dict[str, tuple[str, str]] = {}
_LEET = re.compile(r"(?<![\w])(?!q\d+h(?![\w]))(?:[a-z]+[0134][a-z]+|[0134][a-z]{3,})(?![\w])")
_LEET_MAP = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a"})


def _stop_words() -> frozenset[str]:
    global _STOP_WORDS
    if not _STOP_WORDS:
        from spacy.lang.en.stop_words import STOP_WORDS

        _STOP_WORDS = frozenset(STOP_WORDS)
    return _STOP_WORDS


def _prepare(text: str, cfg: Config) -> str:
    """Unicode, HTML, case, control characters, stretched letters, spaced letters, symbols."""
    text = unicodedata.normalize("NFKC", text)
    if "<" in text or "&" in text:
        text = _TAG.sub(" ", html.unescape(text))
        text = _TAG.sub(" ", text)  # tags that were entity-escaped ("&lt;b&gt;")
    text = _CONTROL.sub("", text).translate(_APOSTROPHES).lower()
    for symbol, words in cfg.symbols.items():
        if symbol in text:
            text = text.replace(symbol, words)
    if any(ch in text for ch in "0134"):
        # "h0w many 0xys c4n i take": digits used as letters inside words (not "10mg", "m30s")
        text = _LEET.sub(lambda m: m.group(0).translate(_LEET_MAP), text)
    if " " in text:
        text = _SPACED.sub(lambda m: m.group(0).replace(" ", ""), text)
    return text


def _split_apostrophe(tok: str) -> list[str]:
    """Expand "won't", "i'm", "mom's" into words the rules are written for."""
    if tok.endswith("n't"):
        base = tok[:-3]
        return [_NOT_BASES.get(base, base), "not"]
    if tok.endswith("'s"):
        base = tok[:-2]
        return [base, "is"] if base in _IS_PRONOUNS else [base]
    for suffix, word in _SUFFIXES.items():
        if tok.endswith(suffix):
            return [tok[: -len(suffix)], word]
    return [tok.replace("'", "")]


def _words(prepared: str, cfg: Config) -> list[str]:
    """Tokens after contractions and slang (a slang value may be several words)."""
    out: list[str] = []
    previous = ""
    for tok in _TOKEN.findall(prepared):
        if tok == previous:
            continue  # "!!!!", "no no no", "1 1 1 ...": repeats add nothing and cost time
        previous = tok
        mapped = cfg.slang.get(tok)
        if mapped is not None:
            out.extend(mapped)
            continue
        if "'" in tok:
            for part in _split_apostrophe(tok):
                out.extend(cfg.slang.get(part, (part,)))
            continue
        out.append(tok)
    return out


def _correct(word: str, cfg: Config) -> tuple[str, str]:
    """(surface, lemma) of one word: stretched letters, medicine names, misspellings, lemma.

    Cached per word: patients repeat the same words, and the rapidfuzz look-up is the only part
    that costs more than a dict access.
    """
    hit = _word_cache.get(word)
    if hit is not None:
        return hit
    lem = _lemmas()

    def is_known(w: str) -> bool:
        return (
            w in cfg.med_single
            or w in cfg.lemma_overrides
            or w in cfg.slang
            or w in _stop_words()
            or lem.known(w)
        )

    surface = word
    if _REPEATS.search(word):
        # stretched letters: "upppp" -> "upp" -> "up", "pleeease" -> "please", "tooo" -> "too"
        two = _REPEATS.sub(r"\1\1", word)
        one = _REPEATS.sub(r"\1", word)
        surface = next((w for w in (two, one) if is_known(w)), two)
        if surface in cfg.slang:
            surface = " ".join(cfg.slang[surface])
    word_in = word
    word = surface
    if _ASCII_WORD.fullmatch(word):
        known = is_known(word)
        if not known and len(word) >= 4 and _DOUBLES.search(word):
            single = _DOUBLES.sub(r"\1", word)  # "diee" -> "die", "pleease" -> "please"
            if is_known(single):
                surface, known = single, True
        if not known and word.endswith("in") and is_known(word + "g"):
            surface, known = word + "g", True  # "cuttin", "takin", "thinkin"
        if not known and word.endswith("s") and word[:-1] in cfg.med_single:
            surface, known = word[:-1], True  # "tramadols", "norcos"
        if not known and len(word) >= 5:
            choices = cfg.fuzzy_by_initial.get(word[0], ())
            cutoff = 85.0 if len(word) <= 5 else 80.0
            best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
            if best is not None and abs(len(best[0]) - len(word)) <= 3:
                surface = best[0]
    if surface in cfg.med_single:
        lemma = cfg.med_single[surface]
    else:
        lemma = cfg.lemma_overrides.get(surface) or lem.lemma(surface)
    result = (surface, lemma)
    if len(_word_cache) < 200_000:
        _word_cache[word_in] = result
    return result


@dataclass
class _Reading:
    """A message as two aligned strings of words: as typed (corrected) and as lemmas."""

    surface: list[str]
    lemma: list[str]

    def strings(self) -> tuple[str, str]:
        return " ".join(self.lemma), " ".join(self.surface)

    def blank(self, spans: Sequence[_Span]) -> list[str]:
        """Replace the words of every span that matches by "~"; return the ids that matched."""
        hits: list[str] = []
        lemma_str, surface_str = self.strings()
        for span in spans:
            text, words = (surface_str, self.surface) if span.on_surface else (lemma_str, self.lemma)
            matches = [m for m in span.regex.finditer(text) if m.end() > m.start()]
            if not matches:
                continue
            hits.append(span.id)
            starts = list(itertools.accumulate((len(w) + 1 for w in words[:-1]), initial=0))
            for m in matches:
                # words overlapping [m.start(), m.end()): binary search, not a scan per match
                first = max(bisect.bisect_right(starts, m.start()) - 1, 0)
                last = bisect.bisect_left(starts, m.end())
                for i in range(first, last):
                    if starts[i] + len(words[i]) > m.start():
                        self.surface[i] = _BLANK
                        self.lemma[i] = _BLANK
            lemma_str, surface_str = self.strings()
        return hits


def _read(text: str, cfg: Config) -> _Reading:
    words = _words(_prepare(text, cfg), cfg)
    surface: list[str] = []
    lemma: list[str] = []
    for w in words:
        s, lm = _correct(w, cfg)
        surface.append(s)
        lemma.append(lm)
    # multi-word medicine names ("pain pills", "ms contin", "tylenol with codeine")
    if cfg.med_multi:
        i = 0
        while i < len(lemma):
            for n in range(min(cfg.med_max_len, len(lemma) - i), 1, -1):
                key_l = tuple(lemma[i : i + n])
                key_s = tuple(surface[i : i + n])
                canonical = cfg.med_multi.get(key_l) or cfg.med_multi.get(key_s)
                if canonical:
                    surface[i : i + n] = [" ".join(key_s)]
                    lemma[i : i + n] = [canonical]
                    break
            i += 1
    return _Reading(surface, lemma)


def readings(text: str) -> tuple[str, str]:
    """The (lemma, surface) strings the rules see: for debugging and for writing new rules."""
    reading = _read(_as_text(text), load_config())
    return reading.strings()


def _as_text(text: Any) -> str:
    if text is None:
        return ""
    if isinstance(text, bytes):
        return text.decode("utf-8", errors="replace")
    return text if isinstance(text, str) else str(text)


# --------------------------------------------------------------------------------------------
# The screen
# --------------------------------------------------------------------------------------------


def screen(text: str) -> Verdict:
    """Crisis, dosing or none for one user message, and its language. Crisis outranks dosing.

    Never raises for odd input (empty, huge, HTML, emoji, other scripts): a screen that crashes
    is a screen that is off. Spanish messages are read by the Spanish rules first; the English
    rules still run on them (people mix languages). The learned net (bot/safety/net.py) is the
    second net for English and Spanish wording the rules miss.
    """
    cfg = load_config()
    text = _as_text(text)
    if not text.strip():
        return NO_VERDICT
    try:
        lang = detect(text)
    except Exception:  # noqa: BLE001 - detection must never switch the screen off
        lang = "en"
    verdict: Verdict | None = _spanish_screen(text, cfg) if lang == "es" else None
    exempted: tuple[str, ...] = ()
    if verdict is None:  # the English rules read Spanish messages too: people mix languages
        verdict, exempted = _rule_screen(text, cfg)
    if lang in ("en", "es"):
        verdict = _net_verdict(text, verdict, exempted)
    if exempted and not verdict.fired:
        verdict = EXEMPTED
    if lang != "en":
        return Verdict(verdict.kind, verdict.category, verdict.rule, lang)
    return verdict


def _spanish_screen(text: str, cfg: Config) -> Verdict | None:
    """The ``spanish:`` rules on the accent-free reading: crisis first, then dosing."""
    reading = plain(text)
    for kind in ("crisis", "dosing"):
        for rule in cfg.spanish:
            if rule.kind == kind and rule.matches(reading):
                return Verdict(kind, rule.category, "es:" + rule.id, "es")
    return None


def rule_screen(text: str, cfg: Config | None = None) -> Verdict:
    """The English rules alone (no language detection, no learned net)."""
    return _rule_screen(text, cfg or load_config())[0]


def _rule_screen(text: str, cfg: Config) -> tuple[Verdict, tuple[str, ...]]:
    """(verdict of the English rules, the ids of the idiom or educational exemptions that
    matched -- and "unless" when a rule's own ``unless`` vetoed it; empty when none did)."""
    text = _as_text(text)
    if not text.strip():
        return NO_VERDICT, ()
    reading = _read(text, cfg)
    if not reading.lemma:
        return NO_VERDICT, ()
    # Past harm first, on the whole message: the idioms blank "overdosed years ago", which is
    # exactly what a person telling their own history writes.
    lemma_str, surface_str = reading.strings()
    words = frozenset(lemma_str.split()) | frozenset(surface_str.split())
    for rule in cfg.crisis:
        if rule.category == "past_harm" and rule.matches(lemma_str, surface_str, words):
            return Verdict("crisis", rule.category, rule.id), ()
    exempted = tuple(reading.blank(cfg.idioms))
    lemma_str, surface_str = reading.strings()
    for rule in cfg.crisis:
        if rule.category != "past_harm" and rule.matches(lemma_str, surface_str, words):
            return Verdict("crisis", rule.category, rule.id), exempted
    educational = reading.blank(cfg.educational)
    if educational:
        exempted += tuple(educational)
        lemma_str, surface_str = reading.strings()
    for rule in cfg.dosing:
        if rule.matches(lemma_str, surface_str, words):
            return Verdict("dosing", rule.category, rule.id), exempted
    if not exempted and any(rule.vetoed(lemma_str, surface_str, words) for rule in cfg.vetoable):
        exempted = ("unless",)
    return NO_VERDICT, exempted


#: Set to False to measure the rules alone (bot.safety_evaluation does it for the report).
USE_NET = True


def _net_verdict(text: str, verdict: Verdict, exempted: Sequence[str]) -> Verdict:
    """The learned net's say on the rules' verdict (bot/safety/net.py ``second_opinion``)."""
    if not USE_NET:
        return verdict
    try:
        from bot.safety.net import second_opinion

        return second_opinion(text, verdict, exempted)
    except Exception:  # noqa: BLE001 - the second net failing leaves the first in place
        return verdict


# --------------------------------------------------------------------------------------------
# Replies (texts from knowledge/safety.yml, numbers from knowledge/clinic.yml)
# --------------------------------------------------------------------------------------------

def load_clinic(knowledge_dir: Path | str = KNOWLEDGE_DIR) -> dict[str, Any]:
    """knowledge/clinic.yml as a fresh dict (``clinic``, ``emergency``), defaults filled in."""
    return cached_clinic(knowledge_dir).as_mapping()


def _fields(clinic: ClinicLike) -> dict[str, str]:
    return Clinic.of(clinic).reply_fields()


class _Fields(dict):  # type: ignore[type-arg]
    """str.format_map helper: an unknown placeholder stays visible instead of crashing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _format(kind: str, clinic: ClinicLike) -> list[str]:
    fields = _Fields(_fields(clinic))
    texts = load_config().replies.get(kind) or []
    return [" ".join(t.split()).format_map(fields) for t in texts]


def crisis_messages(clinic: ClinicLike = None) -> list[str]:
    """The crisis reply: first message with the emergency number, crisis line and Poison Control.

    If the YAML text ever loses a number, the first message gets it appended: the numbers are the
    one thing this reply must never be without.
    """
    messages = _format("crisis", clinic)
    f = _fields(clinic)
    first = messages[0] if messages else ""
    missing = [
        text
        for needle, text in (
            (f["emergency_number"], f"Call {f['emergency_number']} now."),
            (f["crisis_line"], f"For thoughts of suicide or self-harm, {f['crisis_line_text']}."),
            (f["poison_control"], f"Poison Control: {f['poison_control']}."),
        )
        if needle not in first
    ]
    if missing:
        first = " ".join([first, *missing]).strip()
    return [first, *messages[1:]]


def dosing_messages(clinic: ClinicLike = None) -> list[str]:
    """The dosing reply: why we cannot answer, the clinic's contact, the offer of a callback."""
    return _format("dosing", clinic)


# Crisis replies by kind, crisis-mode follow-ups and language notes (knowledge/safety.yml).

#: The kinds of crisis reply; "general" is the reply when the kind is not known.
CRISIS_KINDS = ("overdose", "suicide", "extra_dose", "red_flag", "past_harm")


def _fill(text: str, clinic: ClinicLike) -> str:
    """Fill the placeholders; keep line breaks (the first line is what chat apps show first)."""
    fields = _Fields(_fields(clinic))
    lines = [" ".join(line.split()) for line in str(text).strip().splitlines()]
    return "\n".join(line for line in lines if line).format_map(fields)


def kind_of(category: str) -> str:
    """The reply kind for a screen category ("self_harm" -> "suicide"); "general" if unknown."""
    mapping = load_config().raw.get("kind_of_category") or {}
    return str(mapping.get(category, "general"))


@functools.lru_cache(maxsize=4)
def authorities(knowledge_dir: str = str(KNOWLEDGE_DIR)) -> dict[str, dict[str, Any]]:
    """The public-health sources of the emergency guidance (``authorities:`` in sources.yml)."""
    data = _load_yaml(Path(knowledge_dir) / "sources.yml")
    return {str(a["id"]): dict(a) for a in data.get("authorities") or []}


def citation_line(source_ids: Sequence[str], lang: str = "en") -> str:
    """"Source: title (publisher)" for the given authority ids; unknown ids fail loudly."""
    known = authorities()
    parts = []
    for sid in source_ids:
        if sid not in known:
            raise ValueError(f"knowledge/safety.yml cites unknown authority {sid!r} (knowledge/sources.yml)")
        parts.append(f"{known[sid]['title']} ({known[sid]['url']})")
    label = "Fuente" if lang == "es" else "Source"
    return f"{label}: " + "; ".join(parts) if parts else ""


def crisis_messages_for(
    kind: str, lang: str = "en", clinic: ClinicLike = None
) -> list[str]:
    """The crisis reply of one kind in one language, the sources cited at its end.

    Unknown kinds (and kinds without a text in ``lang``) get the general English reply, which
    holds every number: a crisis reply can fall back, never fail.
    """
    spec = (load_config().raw.get("crisis_replies") or {}).get(kind) or {}
    texts = spec.get(lang) or []
    if not texts:
        return crisis_messages(clinic)
    messages = [_fill(t, clinic) for t in texts]
    cite = citation_line(spec.get("sources") or [], lang)
    if cite:
        messages[-1] = messages[-1] + "\n" + cite
    return messages


def followup_ids() -> list[str]:
    """Every follow-up text id of crisis mode (kinds and situations), English."""
    return list(((load_config().raw.get("crisis_mode") or {}).get("en") or {}).keys())


def followup_text(fid: str, lang: str = "en", clinic: ClinicLike = None) -> str | None:
    texts = (load_config().raw.get("crisis_mode") or {}).get(lang) or {}
    return _fill(texts[fid], clinic) if fid in texts else None


def other_messages(name: str, clinic: ClinicLike = None) -> list[str]:
    """``other_replies`` (Spanish dosing reply, language notes), filled from clinic.yml."""
    return [_fill(t, clinic) for t in (load_config().raw.get("other_replies") or {}).get(name) or []]


# --------------------------------------------------------------------------------------------
# Output guard
# --------------------------------------------------------------------------------------------

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
    text = _as_text(text)
    if not text:
        return False
    text = unicodedata.normalize("NFKC", text)
    return _DOSE_PATTERNS.search(text) is not None
