"""One preparation of a message for both opinions, at training and at prediction time.

Spelling repair (bot/textnorm.py) first; then lower-case lemmas from the project's lookup table,
so "hurts"/"hurting" meet "hurt"; then each medicine name (brand, street or generic, from
knowledge/medications.yml) gets two extra tokens: its canonical name and its kind. "percs",
"norco" and "oxy" all read as ``med_opioid``, so a story about any of them looks like the
training phrasings about another, while methadone and buprenorphine keep their own kind
(``med_mat``): two topics are about them.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

from bot.knowledge import Medicine, cached_medicines
from bot.textnorm import normalise

TOKEN_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
MAT = frozenset({"methadone", "buprenorphine"})


def medicine_pattern() -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    """A regex of every medicine name and alias, and alias -> (canonical name, kind)."""
    return _medicine_pattern(cached_medicines())


@functools.lru_cache(maxsize=2)
def _medicine_pattern(medicines: tuple[Medicine, ...]) -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    # Keyed by the list itself: after ``bot.knowledge.reload()`` an edited list compiles anew.
    kinds: dict[str, tuple[str, str]] = {}
    for med in medicines:
        name = med.name.lower()
        med_kind = "mat" if name in MAT else "opioid" if med.group == "opioids" else "other"
        for alias in [name, *med.aliases]:
            kinds[alias.lower()] = (name.replace(" ", "_"), med_kind)
    words = sorted(kinds, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")s?\b")
    return pattern, kinds


@functools.lru_cache(maxsize=1)
def _lemma_table() -> dict[str, str]:
    """spaCy's English lookup-lemma table (spacy-lookups-data), read directly: the very table the
    project's lookup lemmatizer uses (bot/nlp.py), without importing spaCy."""
    import gzip
    import json

    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lemma_lookup.json.gz"
    return {str(k): str(v).lower() for k, v in json.loads(gzip.open(path).read()).items()}


def surface(text: str) -> str:
    """Spelling-repaired, lower-cased text with single spaces (for character n-grams)."""
    return " ".join(normalise(text).lower().split())


def lemmas(text: str) -> str:
    """Lemmas plus medicine tokens of an already ``surface``-d text (for word n-grams)."""
    table = _lemma_table()
    tokens = [table.get(tok, tok) for tok in TOKEN_RE.findall(text)]
    pattern, kinds = medicine_pattern()
    for match in pattern.finditer(text):
        name, kind = kinds[match.group(1)]
        tokens += [f"med_{name}", f"med_{kind}"]
    return " ".join(tokens)
