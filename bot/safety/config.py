"""The screen's configuration: knowledge/safety.yml and knowledge/medications.yml, compiled once.

Why a module of its own: this is the part that changes when the *policy file's format* changes
(a new rule key, a new macro, a new section), not when the way a message is read or the reply
wording changes. The policy itself -- lexicons, regex rules, idioms, educational exemptions,
reply texts -- stays in the YAML, where a clinician can read and change it without Python.

Loading fails loudly and precisely (file, section, rule id): a typo in a rule must stop the
start-up, never switch a rule off in silence.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from bot import knowledge
from bot.paths import KNOWLEDGE_DIR
from bot.safety.gate import KeyIndex, best_gate, gate_keys, required_strings, top_level_branches
from bot.safety.language import compile_spanish
from bot.safety.lemmas import lemmas
from bot.spelling import skeleton

_MACRO = re.compile(r"<([A-Z][A-Z_]*)>")
_WINDOW = 400  # characters: how close the parts of an `all` rule must be in a long message
MATCH, NO_MATCH, UNLESS = "match", "no match", "unless"  # Rule.outcome
# A message of fewer words than this is "short": the learned net reads little or nothing of it
# (net.py's `_worth_reading`), and the language detector calls it English unless it is sure, so
# the rules' SHORT_MESSAGE macro and the Spanish second reading (decision.py) both use this bound.
SHORT_WORDS = 8


@dataclass(frozen=True)
class Rule:
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
    # `gate`: strings worked out from the regexes (bot/safety/gate.py), one of which must be in the
    # text the rule reads; a fast substring check before the regexes (speed only, like `needs`)
    gate: tuple[str, ...] = ()
    # `gate_keys`: a three-character piece of each gate string (bot/safety/gate.py): the
    # message's three-character pieces leave only the rules that may match in play (Config.in_play)
    gate_keys: frozenset[str] | None = None
    # `branches`: a one-pattern rule's top-level alternatives, each with its own gate
    # (gate.top_level_branches), asked one by one: most are never searched (speed only)
    branches: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = ()
    # True when every branch has a gate: the rule's own gate is then only their union, and the
    # branch loop checks the same strings, so `_gate_open` need not (speed only)
    gated_by_branches: bool = False
    # `overdose_if`: signs that make this rule's event an overdose ("took it twice ... now he is
    # so sleepy"): the verdict's category becomes "overdose" (911 first). Before this key the
    # rules vetoed themselves on those signs and left the overdose rules to catch the message,
    # and a message none of them caught lost the crisis reply altogether (round twenty-two).
    overdose_if: tuple[re.Pattern[str], ...] = ()

    def category_of(self, lemma: str, surface: str) -> str:
        """The verdict's category for a message this rule matched: ``overdose`` when an
        ``overdose_if`` sign is in it, else the rule's own."""
        text = surface if self.on_surface else lemma
        if any(rx.search(text) for rx in self.overdose_if):
            return "overdose"
        return self.category

    def matches(self, lemma: str, surface: str, words: frozenset[str] | None = None) -> bool:
        """``words`` (the message's words, read before any blanking) only lets the rule say no
        sooner; without it the rule reads the texts alone. (Which rules are worth asking at all
        is ``Config.in_play``'s part.)"""
        return self.outcome(lemma, surface, words) is MATCH

    def outcome(self, lemma: str, surface: str, words: frozenset[str] | None = None,
                whole: tuple[str, str] | None = None) -> str:
        """``MATCH``, ``NO_MATCH``, or ``UNLESS`` when the rule's regexes match and its own
        ``unless`` vetoes them. Why three answers: the screen later asks whether any rule was
        vetoed (an explicit "not this", which the learned net may not overrule either).

        ``whole`` is the (lemma, surface) reading before any idiom was blanked: the ``unless``
        reads it, so an idiom that blanks "overdose recognition training" cannot hide the very
        words that set the rule aside, nor a guard's "right now" (round forty-five). The regexes
        read the blanked text, as before.

        The regexes are asked before the ``unless``: most rules do not match most messages, and
        a rule's ``unless`` list is often longer than its regexes (speed only; same answers)."""
        if self._ruled_out(words):
            return NO_MATCH
        text = surface if self.on_surface else lemma
        if not self._gate_open(text) or not self._matches(text, lemma, surface):
            return NO_MATCH
        if whole is not None:
            text = whole[1] if self.on_surface else whole[0]
        for rx in self.unless:
            if rx.search(text):
                return UNLESS
        return MATCH

    def _ruled_out(self, words: frozenset[str] | None) -> bool:
        """True when the message lacks every `needs` word: the rule cannot match (blanking only
        removes words, so the words read before it are a superset of those after)."""
        return bool(self.needs) and words is not None and self.needs.isdisjoint(words)

    def _gate_open(self, text: str) -> bool:
        """False when none of the gate's strings is in the text: the regexes could not match."""
        return not self.gate or self.gated_by_branches or _any_in(self.gate, text)

    def _matches(self, text: str, lemma: str, surface: str) -> bool:
        if self.branches:
            for regex, gate in self.branches:
                if gate and not _any_in(gate, text):
                    continue
                if regex.search(text) is not None:
                    return True
            return False
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


def _any_in(strings: tuple[str, ...], text: str) -> bool:
    """True when one of the strings is in the text (a gate is open)."""
    for s in strings:  # a loop, not any(<generator>): this runs for every rule in play
        if s in text:
            return True
    return False


@dataclass(frozen=True)
class Span:
    """An idiom or educational phrase whose words are blanked before the rules run."""

    id: str
    regex: re.Pattern[str]
    on_surface: bool
    gate: tuple[str, ...] = ()  # as Rule.gate: one of these strings must be in the text read
    gate_keys: frozenset[str] | None = None  # as Rule.gate_keys
    #: patterns read over the whole message as it stands when the span is tried (earlier spans
    #: already blanked): any match and the span blanks nothing. Why: a guard inside the span's
    #: own pattern reads forward only, and the writer's own words may come before the phrase
    #: ("honestly i think about it every night. why does the form ask about suicide?")
    unless: tuple[re.Pattern[str], ...] = ()


@dataclass
class Config:
    """Everything the screen needs, compiled from the YAML files."""

    slang: dict[str, tuple[str, ...]]
    symbols: dict[str, str]
    lemma_overrides: dict[str, str]
    fuzzy_by_initial: dict[str, tuple[str, ...]]
    vowelless: dict[str, str]  # consonants -> word (``texting_without_vowels``, key words, medicines)
    swap_targets: frozenset[str]  # ``swapped_letters``: short words a swap of two letters is mended to
    after_an_article: dict[str, str]  # ``after_an_article.words``: slang read as a noun after an article
    articles: frozenset[str]  # ``after_an_article.after``: "a", "an", "the", "my", "charge" ...
    med_single: dict[str, str]
    med_multi: dict[tuple[str, ...], str]
    med_max_len: int
    idioms: tuple[Span, ...]
    educational: tuple[Span, ...]
    crisis: tuple[Rule, ...]
    dosing: tuple[Rule, ...]
    replies: dict[str, list[str]]
    spanish: tuple[Any, ...] = ()
    raw: dict[str, Any] = field(repr=False, default_factory=dict)
    _indexes: dict[str, KeyIndex] = field(repr=False, default_factory=dict)

    def in_play(self, section: str, keys: frozenset[str] | None) -> list[Any]:
        """The rules or spans of ``section`` ("crisis", "dosing", "idioms" or
        "educational") that a message with these three-character pieces (``gate.text_keys``,
        read before any blanking: blanking only removes text) could match, in order."""
        items = getattr(self, section)
        index = self._indexes.get(section)
        if index is None:  # built once per section; two threads building it get the same index
            index = self._indexes[section] = KeyIndex([item.gate_keys for item in items])
        return index.in_play(items, keys)


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


def _branches(regex: re.Pattern[str]) -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    """A compiled rule's top-level alternatives with their gates (``Rule.branches``); () when it
    has one alternative only."""
    parts = top_level_branches(regex.pattern)
    if len(parts) < 2:
        return ()
    compiled = [re.compile(part) for part in parts]
    return tuple((part, required_strings(part)) for part in compiled)


def compile_pattern(pattern: str, macros: Mapping[str, str], where: str) -> re.Pattern[str]:
    """One rule pattern with its macros expanded (also used for the ``spanish:`` rules)."""
    try:
        return re.compile(_expand(pattern, macros, where))
    except re.error as exc:  # a typo in the YAML must fail loudly at start-up, not at run time
        raise ValueError(f"knowledge/safety.yml: bad regex in {where}: {exc}") from exc


_ITEM_KEYS = frozenset({"id", "pattern", "all", "reading", "unless", "needs", "overdose_if"})
#: an idiom or educational span: one pattern, no gate words, no second category
_SPAN_KEYS = frozenset({"id", "pattern", "reading", "unless"})


def _on_surface(item: Mapping[Any, Any], where: str, allowed: frozenset[str] = _ITEM_KEYS) -> bool:
    """True when a rule reads the surface string; rejects unknown keys.

    Why so strict: YAML 1.1 reads a key spelled ``on`` as the boolean True, so a misspelt option
    would silently switch a rule to the wrong reading. Better to fail at start-up.
    """
    unknown = set(item) - allowed
    if unknown:
        raise ValueError(f"knowledge/safety.yml: unknown keys {sorted(map(str, unknown))} in {where}")
    if "id" not in item or ("pattern" in item) == ("all" in item):
        raise ValueError(f"knowledge/safety.yml: give an id and exactly one of pattern/all in {where}")
    reading = item.get("reading", "lemma")
    if reading not in ("lemma", "surface"):
        raise ValueError(f"knowledge/safety.yml: reading must be lemma or surface in {where}")
    return reading == "surface"


def load_yaml(path: Path) -> dict[str, Any]:
    """A YAML file of knowledge/ as a dict, read once through the knowledge model."""
    return knowledge.texts(path.name, path.parent)


@functools.lru_cache(maxsize=4)
def load_config(knowledge_dir: str = str(KNOWLEDGE_DIR)) -> Config:
    """Read and compile knowledge/safety.yml and the medicine list (cached per process)."""
    kdir = Path(knowledge_dir)
    raw = load_yaml(kdir / "safety.yml")
    meds = load_yaml(kdir / "medications.yml")
    lem = lemmas()

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
    # fewer than SHORT_WORDS words, made here so the rules and decision.py share one bound
    macros["SHORT_MESSAGE"] = r"\A(?=(?:\S+ ){0,%d}\S+ ?\Z)" % (SHORT_WORDS - 2)

    slang = {
        str(k).lower(): tuple(str(v).lower().split()) for k, v in (raw.get("slang") or {}).items()
    }
    overrides = {str(k).lower(): str(v).lower() for k, v in (raw.get("lemma_overrides") or {}).items()}

    fuzzy_words = {str(w).lower() for w in raw.get("keywords", [])}
    fuzzy_words |= {w for w in med_single if len(w) >= 5 and w.isalpha()}
    by_initial: dict[str, list[str]] = {}
    for word in sorted(fuzzy_words):
        by_initial.setdefault(word[0], []).append(word)
    # consonants -> word, for words texted without vowels; the first listed wins
    vowelless: dict[str, str] = {}
    for word in [str(w).lower() for w in raw.get("texting_without_vowels") or []] + sorted(fuzzy_words):
        consonants = skeleton(word)
        if len(consonants) >= 2:
            vowelless.setdefault(consonants, word)

    def spans(key: str) -> tuple[Span, ...]:
        out = []
        for item in raw.get(key) or []:
            where = f"{key}/{item.get('id')}"
            on_surface = _on_surface(item, where, _SPAN_KEYS)
            regex = compile_pattern(str(item["pattern"]), macros, where)
            gate = best_gate((regex,))
            unless = tuple(compile_pattern(str(p), macros, where) for p in item.get("unless") or [])
            out.append(Span(str(item["id"]), regex, on_surface, gate, gate_keys(gate), unless))
        return tuple(out)

    def rules(kind: str) -> tuple[Rule, ...]:
        out = []
        for category, items in (raw.get(kind) or {}).items():
            for item in items:
                where = f"{kind}/{category}/{item.get('id')}"
                on_surface = _on_surface(item, where)
                patterns = item.get("all") or [item["pattern"]]
                regexes = tuple(compile_pattern(str(p), macros, where) for p in patterns)
                gate = best_gate(regexes)
                branches = _branches(regexes[0]) if len(regexes) == 1 else ()
                out.append(
                    Rule(
                        kind=kind,
                        category=str(category),
                        id=str(item["id"]),
                        regexes=regexes,
                        on_surface=on_surface,
                        unless=tuple(compile_pattern(str(p), macros, where) for p in item.get("unless") or []),
                        needs=frozenset(str(w).lower() for w in item.get("needs") or []),
                        gate=gate,
                        gate_keys=gate_keys(gate),
                        branches=branches,
                        gated_by_branches=bool(branches) and all(g for _, g in branches),
                        overdose_if=tuple(
                            compile_pattern(str(p), macros, where) for p in item.get("overdose_if") or []
                        ),
                    )
                )
        return tuple(out)

    crisis, dosing = rules("crisis"), rules("dosing")
    article = raw.get("after_an_article") or {}
    return Config(
        slang=slang,
        symbols={str(k): str(v) for k, v in (raw.get("symbols") or {}).items()},
        lemma_overrides=overrides,
        fuzzy_by_initial={k: tuple(v) for k, v in by_initial.items()},
        vowelless=vowelless,
        swap_targets=frozenset(str(w).lower() for w in raw.get("swapped_letters") or []),
        after_an_article={str(k).lower(): str(v).lower() for k, v in (article.get("words") or {}).items()},
        articles=frozenset(str(w).lower() for w in article.get("after") or []),
        med_single=med_single,
        med_multi=med_multi,
        med_max_len=max((len(k) for k in med_multi), default=1),
        idioms=spans("idioms"),
        educational=spans("educational"),
        crisis=crisis,
        dosing=dosing,
        replies={k: [str(t) for t in v] for k, v in (raw.get("replies") or {}).items()},
        spanish=compile_spanish(raw, macros, compile_pattern),
        raw=raw,
    )

