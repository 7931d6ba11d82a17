"""A cheap pre-check for each rule: strings of which one must be in a message for its regex to match.

Why: the screen runs some two hundred regex rules on every message, and most messages match
none of them. Python's ``re`` walks the whole message for each rule; ``"overdose" in text`` is a
fast C search. The strings are worked out from the compiled regex itself (its parse tree), so they
cannot drift from the rule, and no one has to write them by hand as with ``needs``.

Sound by construction: a regex's required strings are only taken from parts every match must
contain (a run of literal characters outside any optional part, or, for an alternation, one
string from every branch). When no useful set exists, the rule has no gate and always runs.
tests/unit/test_safety_kinds.py checks on every labelled message that a gate never changes a
verdict.
"""
from __future__ import annotations

import re
import sre_constants as c
import sre_parse
from typing import Optional, Sequence, TypeVar

T = TypeVar("T")

_MIN_LEN = 3  # shorter strings ("i", "to") are in almost every message: no gate is cheaper
_MAX_ALTERNATIVES = 24  # beyond this the substring checks cost about what the regex does


def required_strings(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """Strings of which at least one is in every text ``pattern`` matches; () when none is useful."""
    if pattern.flags & re.IGNORECASE:
        return ()
    try:
        tree = sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - no gate is always safe
        return ()
    found = _required(list(tree))
    return tuple(sorted(found)) if found and _useful(found) else ()


def top_level_branches(pattern: str) -> list[str]:
    """The alternatives of a pattern's outermost ``|`` (the pattern itself when it has none).

    Why: a rule written as one long ``a|b|c`` is searched as a whole at every position of the
    message, every branch tried each time; asked one by one, each branch has its own gate
    (``required_strings``) and most are never searched at all. ``search(a|b)`` finds a match
    exactly when ``search(a)`` or ``search(b)`` does, so the answers are the same. (Safe for the
    patterns of knowledge/safety.yml, which use no back-references and no global inline flags.)
    """
    out: list[str] = []
    depth, start, i, in_class = 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            i += pattern.startswith("^", i + 1)  # "[^" and a "]" right after it are not the end
            i += pattern.startswith("]", i + 1)
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


def best_gate(patterns: tuple[re.Pattern[str], ...]) -> tuple[str, ...]:
    """For an ``all`` rule every regex must match, so any one regex's strings are a valid gate:
    the one with the fewest, longest strings."""
    gates = [g for g in (required_strings(p) for p in patterns) if g]
    return min(gates, key=_cost) if gates else ()


def _useful(strings: set[str]) -> bool:
    return len(strings) <= _MAX_ALTERNATIVES and min(len(s) for s in strings) >= _MIN_LEN


def _cost(strings: tuple[str, ...] | set[str]) -> tuple[int, int]:
    return (-min(len(s) for s in strings), len(strings))


def _required(items: list) -> Optional[set[str]]:
    """Required strings of a sequence of parse-tree items (see the module docstring)."""
    candidates: list[set[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            candidates.append({"".join(run)})
            run.clear()

    for op, av in items:
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        flush()
        found: Optional[set[str]] = None
        if op is c.SUBPATTERN:
            _group, add_flags, _del_flags, sub = av
            found = None if add_flags & sre_parse.SRE_FLAG_IGNORECASE else _required(list(sub))
        elif op is c.BRANCH:
            branches = [_required(list(b)) for b in av[1]]
            if all(branches):
                found = set().union(*branches)  # type: ignore[arg-type]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, _high, sub = av
            found = _required(list(sub)) if low >= 1 else None
        if found:
            candidates.append(found)
    flush()
    useful = [s for s in candidates if _useful(s)]
    if useful:
        return min(useful, key=_cost)
    return min(candidates, key=_cost) if candidates else None


def gate_keys(gate: tuple[str, ...]) -> Optional[frozenset[str]]:
    """One three-character piece of each gate string (``_rarest_piece``), or None when the gate
    has none to offer.

    Why: checking a rule's gate strings one by one is itself most of the screen's time on a long
    message. A gate string can only be in a text whose three-character pieces include every
    piece of the string, so the message's pieces (``text_keys``) rule out most rules before any
    substring search (``KeyIndex``). The rarer the piece, the more rules it rules out.
    """
    if not gate or any(len(g) < _MIN_LEN or "~" in g for g in gate):
        return None  # "~" marks blanked words: absent from the pieces read before blanking
    return frozenset(_rarest_piece(g) for g in gate)


# English letters from the most to the least common: a rough stand-in for how often a piece of
# text turns up in messages (no word counts are shipped for this)
_LETTERS_BY_FREQUENCY = "etaoinshrdlcumwfgypbvkjxqz"
_COMMONNESS = {ch: len(_LETTERS_BY_FREQUENCY) - i for i, ch in enumerate(_LETTERS_BY_FREQUENCY)}


def _rarest_piece(string: str) -> str:
    """The three-character piece of ``string`` likely to be in the fewest messages: no spaces
    if it can ("e o" is in nearly every message), then the least common letters."""
    pieces = [string[i : i + _MIN_LEN] for i in range(len(string) - _MIN_LEN + 1)]
    return min(pieces, key=lambda p: (p.count(" "), sum(_COMMONNESS.get(ch, 0) for ch in p)))


def text_keys(*texts: str) -> frozenset[str]:
    """Every three-character piece of the texts (see ``gate_keys``)."""
    return frozenset(t[i : i + _MIN_LEN] for t in texts for i in range(len(t) - _MIN_LEN + 1))


class KeyIndex:
    """Which items of a list (rules or spans, in order) a message's three-character pieces leave
    in play: an item whose gate keys (``gate_keys``) share none of the message's pieces cannot
    match, and never comes up.

    Why an index: asking each of some three hundred rules in turn whether its keys meet the
    message's pieces costs a few Python calls per rule, which was most of the screen's time on a
    long message. The index asks once, per piece of the message that some item needs, and yields
    the items left in their original order (the first rule that matches still wins). An item
    without gate keys (None) is always in play.
    """

    def __init__(self, gates: Sequence[Optional[frozenset[str]]]) -> None:
        self.always = 0  # bit i: item i has no gate keys
        self.by_key: dict[str, int] = {}  # piece -> bits of the items that have it as a gate key
        for i, gate in enumerate(gates):
            if gate is None:
                self.always |= 1 << i
            else:
                for key in gate:
                    self.by_key[key] = self.by_key.get(key, 0) | (1 << i)

    def in_play(self, items: Sequence[T], keys: Optional[frozenset[str]]) -> list[T]:
        """The items that may match a message with these pieces (``text_keys``), in order; every
        item when ``keys`` is None ("cannot tell")."""
        if keys is None:
            return list(items)
        mask = self.always
        by_key = self.by_key
        for key in by_key.keys() & keys:
            mask |= by_key[key]
        out = []
        while mask:
            low = mask & -mask
            out.append(items[low.bit_length() - 1])
            mask ^= low
        return out
