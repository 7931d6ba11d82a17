"""Code-generated variants of the training phrasings: typos, punctuation, fillers, texting forms.

Issue 10: variants are generated, not copied by hand, so the hand-written phrasings can spend
their effort on *kinds* of wording (carers, stories, anger, staff) and the model still sees the
noise of real typing. Deterministic: the same example always gets the same variants, so training
is reproducible.
"""
from __future__ import annotations

import random
import re
import zlib

FILLERS_BEFORE = ["hi ", "hey ", "um ", "so ", "ok so ", "quick question ", "sorry but ", "hello, "]
FILLERS_AFTER = ["?", "??", " pls", " please", " thx", " lol", "...", " asking for real"]
TEXTING = {"you": "u", "your": "ur", "are": "r", "please": "pls", "because": "bc", "what": "wat",
           "right now": "rn", "though": "tho", "really": "rly", "doctor": "dr", "with": "w"}
WORD = re.compile(r"[A-Za-z]{5,}")


def _typo(rng: random.Random, text: str) -> str:
    words = list(WORD.finditer(text))
    if not words:
        return text
    m = rng.choice(words)
    w = m.group(0)
    i = rng.randrange(1, len(w) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        w2 = w[:i] + w[i + 1] + w[i] + w[i + 2:]
    elif kind == 1:
        w2 = w[:i] + w[i + 1:]
    else:
        w2 = w[:i] + w[i] + w[i:]
    return text[: m.start()] + w2 + text[m.end():]


def _texting(text: str) -> str:
    out = text.lower()
    for long, short in TEXTING.items():
        out = re.sub(rf"\b{long}\b", short, out)
    return re.sub(r"[.,!']", "", out)


def variants(text: str, n: int = 2) -> list[str]:
    """Up to ``n`` noisy variants of ``text`` (never the text itself)."""
    rng = random.Random(zlib.crc32(text.encode("utf-8")))
    makers = [
        lambda t: _typo(rng, t),
        lambda t: rng.choice(FILLERS_BEFORE) + t.rstrip("?.! ") + rng.choice(FILLERS_AFTER),
        _texting,
        lambda t: _typo(rng, _texting(t)),
    ]
    rng.shuffle(makers)
    out: list[str] = []
    for make in makers:
        v = make(text)
        if v != text and v not in out:
            out.append(v)
        if len(out) == n:
            break
    return out
