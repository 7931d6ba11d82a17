"""The learned second net under the rules: a small text classifier (none / crisis / past harm / dosing).

Why: rules catch the wording someone wrote down; people in pain write in ways nobody did. This
net learns from the screen's own data -- tests/safety/crisis.yml, dosing.yml, benign.yml,
tests/safety/net_train/ (phrasings written for training and the retired blind batches of earlier
rounds), the ``net_examples`` of knowledge/safety.yml, and as ``none`` every FAQ example in
knowledge/faq/ and every other intent's phrasing in data/nlu/ (what the assistant must answer, not
refuse) -- never from the current blind
batches (tests/safety/blind_*.yml). English and Spanish. It is not the FAQ model: a separate,
tiny model whose only job is risk.

Model: TF-IDF of character n-grams (typos, slang) and word uni/bigrams, logistic regression with
balanced classes. It is trained in seconds on first use and cached in ``build/`` keyed by a hash
of its data and this file, so a server starts without retraining and an edit to the data
retrains it.

How it is used:

* ``second_opinion`` (every English or Spanish message, after the rules): a crisis of the rules
  stands; a dosing hit becomes a crisis when the net is sure of one, and is dropped when the net
  is sure it is neither; with nothing found, the net's own crisis or dosing verdict when it is sure
  (over an idiom or educational exemption only when it is sure, and never over a
  ``final_exemptions`` one). Messages of fewer than five words (a form's "ok", "stop", "I want
  to stop") never reach it.
* ``unsure_verdict`` (called by the SafetyScreen component only when the FAQ model is unsure,
  i.e. the message would get a "Did you mean" list): P(crisis) + P(dosing) >= ``unsure`` AND a
  risk cue (``risk_cues`` in knowledge/safety.yml) -> the safe reply of the more likely kind.
* ``confirms``: the FAQ model's own crisis / dosing guess stands only when the net backs it.

Thresholds live in knowledge/safety.yml (``net:``) and were set on the dev batch
(``python -m bot eval-safety --sets dev``); the test batch is only reported.
"""
from __future__ import annotations

import hashlib
import pickle
import re
import threading
from pathlib import Path
from typing import Any

import yaml

from bot import knowledge
from bot.paths import KNOWLEDGE_DIR, ROOT
from bot.safety import batches

SETS_DIR = ROOT / "tests" / "safety"
NLU_DIR = ROOT / "data" / "nlu"
CACHE = ROOT / "build" / "safety_net.pkl"
LABELS = ("none", "crisis", "past_harm", "dosing")
MAX_CHARS = 300
#: ``crisis_veto`` (off by default) is asked only on messages this long: on the k-fold records of
#: round twenty-nine the net was sure of "none" (P >= 0.97) on real crises only when they were short
#: texting ("cnt brth rt nw"); on fifteen words or more its highest P(none) on a real crisis was 0.96.
LONG_MESSAGE_WORDS = 15

_MODEL: Any = None
_LOCK = threading.Lock()


def _strings(node: Any) -> list[str]:
    out: list[str] = []
    if isinstance(node, str):
        out.append(node)
    elif isinstance(node, dict):
        for value in node.values():
            out.extend(_strings(value))
    elif isinstance(node, list):
        for value in node:
            out.extend(_strings(value))
    return out


#: Sections of a batch file -> the label the net learns (Spanish is screened by the net too).
SECTION_LABELS = {
    "crisis": "crisis", "spanish_crisis": "crisis",
    "dosing": "dosing", "spanish_dosing": "dosing",
    "lookalike": "none", "spanish_other": "none",
}


def training_data(knowledge_dir: Path = KNOWLEDGE_DIR, sets_dir: Path = SETS_DIR,
                  nlu_dir: Path = NLU_DIR) -> tuple[list[str], list[str]]:
    """(texts, labels) from the screen's own sets and knowledge/ -- never from blind_*.yml.

    ``tests/safety/net_train/`` holds phrasings written for training (by writers who never saw
    an evaluation batch) and the retired blind batches of earlier rounds: once a batch has been
    reported on, a fresh blind batch replaces it, and the old one becomes training data.
    """
    texts: list[str] = []
    labels: list[str] = []

    def add(items: list[str], label: str) -> None:
        for t in items:
            t = " ".join(str(t).split())
            if t:
                texts.append(t)
                labels.append(label)

    for name, label in (("crisis.yml", "crisis"), ("dosing.yml", "dosing"), ("benign.yml", "none")):
        path = sets_dir / name
        if path.exists():
            add(_strings(yaml.safe_load(path.read_text(encoding="utf-8")) or {}), label)
    for path in sorted((sets_dir / "net_train").glob("*.yml")):
        for section, item in batches.items(path):
            if section in SECTION_LABELS:
                # past harm with no danger now is a label of its own: the kind reply, no alarm
                label = "past_harm" if item.get("kind") == "past_harm" else SECTION_LABELS[section]
                add([item["text"]], label)
    raw = knowledge.texts("safety.yml", knowledge_dir)
    for label, items in (raw.get("net_examples") or {}).items():
        add([str(t) for t in items or []], str(label))
    for path in sorted((knowledge_dir / "faq").glob("*.yml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError:
            continue
        add([str(t) for t in data.get("examples") or []], "none")
    # Every other intent's training phrasings (clinic admin, small talk, the questionnaire,
    # follow-ups): ordinary messages the net must leave alone ("whats the weather tomorrow",
    # "running late for my 10:30"); crisis and ask_dosing are the screen's own, not "none".
    add(_nlu_phrasings(nlu_dir, exclude={"crisis", "ask_dosing"}), "none")
    # A few short messages ("hi", "can i chew my oxycontin") were written into the older sets and
    # into a blind batch independently: drop them, so the net never trains on an evaluation item.
    return without(texts, labels, _blind_texts(sets_dir))


def _nlu_phrasings(nlu_dir: Path, exclude: set[str]) -> list[str]:
    """The examples of every intent in Rasa's NLU files under ``nlu_dir`` but those excluded."""
    out: list[str] = []
    for path in sorted(nlu_dir.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            if "intent" not in block or block["intent"] in exclude:
                continue
            for line in str(block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    out.append(line[2:])
    return out


def without(texts: list[str], labels: list[str], drop: set[str]) -> tuple[list[str], list[str]]:
    """The training data less every phrasing in ``drop`` (from ``batches.texts``): an evaluation
    item must never be trained on, by the real net or by a leave-one-batch-out fold."""
    kept = [(t, lab) for t, lab in zip(texts, labels) if t.lower() not in drop]
    return [t for t, _ in kept], [lab for _, lab in kept]


def _blind_texts(sets_dir: Path) -> set[str]:
    return set().union(*(batches.texts(p) for p in sorted(sets_dir.glob("blind_*.yml"))))


def _settings(knowledge_dir: Path = KNOWLEDGE_DIR) -> dict[str, Any]:
    raw = knowledge.texts("safety.yml", knowledge_dir)
    return dict(raw.get("net") or {})


def _data_hash(texts: list[str], labels: list[str]) -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for t, lab in zip(texts, labels):
        digest.update(f"{lab}\t{t}\n".encode())
    return digest.hexdigest()


def train(texts: list[str], labels: list[str]) -> Any:
    """A fitted scikit-learn pipeline (deterministic: liblinear, fixed features)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion(
        [
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, lowercase=True)),
            ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=1, sublinear_tf=True, lowercase=True,
                                      token_pattern=r"(?u)\b\w+\b")),
        ]
    )
    model = Pipeline([("features", features), ("clf", LogisticRegression(C=64.0, class_weight="balanced", max_iter=2000, solver="liblinear"))])
    model.fit(texts, labels)
    return model


def load_model() -> Any:
    """The trained net: from the build/ cache when its data is unchanged, else trained now."""
    global _MODEL
    if _MODEL is not None:
        return _MODEL
    with _LOCK:
        if _MODEL is not None:
            return _MODEL
        texts, labels = training_data()
        key = _data_hash(texts, labels)
        model = None
        if CACHE.exists():
            try:
                cached = pickle.loads(CACHE.read_bytes())
                if cached.get("key") == key:
                    model = cached["model"]
            except Exception:  # noqa: BLE001 - a bad cache is retrained, never trusted
                model = None
        if model is None:
            model = train(texts, labels)
            try:
                CACHE.parent.mkdir(parents=True, exist_ok=True)
                tmp = CACHE.with_suffix(".tmp")
                tmp.write_bytes(pickle.dumps({"key": key, "model": model}))
                tmp.replace(CACHE)
            except OSError:
                pass  # read-only checkout: keep the model in memory
        _MODEL = model
    return _MODEL


def reset() -> None:
    global _MODEL, _CUES, _FAST, _SETTINGS
    _MODEL = _CUES = _FAST = _SETTINGS = None
    _NAMED.clear()


class FastNet:
    """The fitted pipeline's arithmetic without scikit-learn's per-call overhead.

    Why: ``predict_proba`` on one message costs about 1.5 ms (input validation, sparse matrices),
    which alone breaks the screen's 2 ms p99. The same numbers come from a dict look-up of each
    term's row and one small numpy product per vectorizer (the rows of its idf and of its weights
    per class, gathered once per message); sublinear tf, l2 norm per vectorizer,
    the intercepts, and liblinear's one-vs-rest probabilities (sigmoid, then normalised).
    ``tests/unit/test_safety_net.py`` checks it agrees with ``predict_proba``.
    """

    def __init__(self, model: Any) -> None:
        import numpy as np

        union = model.named_steps["features"]
        clf = model.named_steps["clf"]
        self.classes = [str(c) for c in clf.classes_]
        coef = np.asarray(clf.coef_, dtype=float)
        self.intercept = np.asarray(clf.intercept_, dtype=float)
        self.parts = []
        offset = 0
        for _, vec in union.transformer_list:
            vocab = vec.vocabulary_
            # term -> row of this vectorizer's idf and (class x term) weights, transposed once
            table = {term: index for term, index in vocab.items()}
            weights = np.ascontiguousarray(coef[:, offset : offset + len(vocab)].T)
            idf = np.asarray(vec.idf_, dtype=float)
            self.parts.append((vec.analyzer, vec.ngram_range, re.compile(vec.token_pattern), table, idf, weights))
            offset += len(vocab)
        self._word_grams: dict[tuple[int, str], Any] = {}

    @staticmethod
    def _char_wb(text: str, lo: int, hi: int) -> list[str]:
        grams = []
        for w in text.split():
            w = " " + w + " "
            length = len(w)
            for n in range(lo, hi + 1):
                if length <= n:  # a short word counts once, as scikit-learn does
                    grams.append(w)
                    break
                grams.extend(w[i : i + n] for i in range(length - n + 1))
        return grams

    @staticmethod
    def _words(text: str, lo: int, hi: int, token: "re.Pattern[str]") -> list[str]:
        tokens = token.findall(text)
        grams = []
        for n in range(lo, hi + 1):
            grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
        return grams

    def _known_char_rows(self, word: str, lo: int, hi: int, table: dict) -> Any:
        """The rows of the vocabulary's character n-grams of one word, one per occurrence (an
        array, cached per vectorizer and word: words repeat across messages)."""
        import numpy as np

        key = (id(table), word)
        hit = self._word_grams.get(key)
        if hit is None:
            rows = [table[g] for g in self._char_wb(word, lo, hi) if g in table]
            hit = np.asarray(rows, dtype=np.intp)
            if len(self._word_grams) < 100_000:
                self._word_grams[key] = hit
        return hit

    def probabilities(self, text: str) -> dict[str, float]:
        import numpy as np

        text = text.lower()
        scores = self.intercept.copy()
        for analyzer, (lo, hi), token, table, idf, weights in self.parts:
            if analyzer == "char_wb":
                # every word's n-gram rows at once; np.unique counts each row's occurrences
                per_word = [self._known_char_rows(word, lo, hi, table) for word in text.split()]
                every = np.concatenate(per_word) if per_word else np.empty(0, dtype=np.intp)
            else:
                every = np.fromiter(
                    (table[g] for g in self._words(text, lo, hi, token) if g in table), dtype=np.intp
                )
            if not every.size:
                continue
            rows, counts = np.unique(every, return_counts=True)
            tf = counts.astype(float)
            values = (1.0 + np.log(tf)) * idf[rows]  # sublinear tf (1 + log 1 = 1), times idf
            norm = float(np.sqrt(values @ values)) or 1.0
            scores += (values @ weights[rows]) / norm
        probs = 1.0 / (1.0 + np.exp(-scores))
        probs /= probs.sum() or 1.0
        return {label: float(p) for label, p in zip(self.classes, probs)}


_FAST: Any = None


def probabilities(text: str) -> dict[str, float]:
    """P(none), P(crisis), P(past_harm), P(dosing) for one message."""
    global _FAST
    if _FAST is None:
        _FAST = FastNet(load_model())
    # At most two windows of a few hundred characters: the net's cost grows with length (the
    # rules read long messages whole). A long story often comes to its point at the end ("...
    # my plan is to drop one a week, should I slow down?"), so a long message is read at its
    # start and in its last sentences, and the window that looks riskier (lower P(none)) speaks.
    windows = [text[:MAX_CHARS]]
    if len(text) > MAX_CHARS:
        windows.append(_last_sentences(text))
    return min((_FAST.probabilities(w) for w in windows), key=lambda p: p.get("none", 0.0))


_SENTENCE_END = re.compile(r"(?<=[.!?\n])\s+")


def _last_sentences(text: str) -> str:
    """The last sentence of a long message (with the one before it when it is a short one), at
    most ``MAX_CHARS`` long: read alone, so that the story before it does not dilute it."""
    sentences = [s for s in _SENTENCE_END.split(text.strip()) if s.strip()]
    tail = sentences[-1] if sentences else text
    if len(tail.split()) < 5 and len(sentences) > 1:
        tail = sentences[-2] + " " + tail
    return tail[-MAX_CHARS:]


def sklearn_probabilities(text: str) -> dict[str, float]:
    model = load_model()
    probs = model.predict_proba([text])[0]
    return {str(label): float(p) for label, p in zip(model.classes_, probs)}


_CUES: Any = None


_NAMED: dict[str, frozenset[str]] = {}


def _named(list_name: str) -> frozenset[str]:
    """The rule ids one ``net:`` list of knowledge/safety.yml names, read once (``reset`` forgets).

    ``final_exemptions``: exemptions the net never overrules, questions the net reads wrongly and a
    clinician decided are not requests ("should I keep naloxone at home?"). ``crisis_idioms``: the
    final exemptions that set aside crisis words only ("my tooth has been killing me" says nothing
    about a dose, so the net's dosing reading still counts). ``history_exemptions``: idioms that set
    aside someone else's harm told as history. ``not_a_dose``: exemptions after which the net's
    dosing reading does not count, its crisis reading still does (a question about this chat).
    """
    if list_name not in _NAMED:
        _NAMED[list_name] = frozenset(str(x) for x in _settings().get(list_name) or [])
    return _NAMED[list_name]


def _worth_reading(text: str) -> bool:
    """A sentence of five words or more. A form's "ok", "stop", "I want to stop", "not now" never
    reaches the net, whose guesses on a few words are noise (the rules read every message, short
    ones included).

    Five, not ``SHORT_WORDS`` (eight, bot/safety/config.py): that bound is where the language
    detector stops being trusted and the SHORT_MESSAGE rules read what the net may miss. The net
    still reads five to seven words; the two bounds answer different questions and overlap on
    purpose."""
    return len(text[:MAX_CHARS].split()) >= 5


def _cues() -> "re.Pattern[str]":
    global _CUES
    if _CUES is None:
        words = _settings().get("risk_cues") or []
        _CUES = re.compile(r"\b(?:" + "|".join(str(w) for w in words) + r")", re.IGNORECASE) if words else re.compile(r"(?!x)x")
    return _CUES


def second_opinion(text: str, verdict: Any, exempted: Any = (), *, probs: dict[str, float] | None = None,
                   settings: dict[str, float] | None = None) -> Any:
    """The verdict after the net's say on the rules' one (thresholds: ``net:`` of safety.yml).

    * A crisis found by the rules stands: the net never lowers a crisis. (``crisis_veto`` would
      let it drop a crisis rule's hit on a long message, of ``LONG_MESSAGE_WORDS`` words or more,
      when P(none) reaches it; it is off, above 1, and measured with
      ``python -m bot eval-safety --kfold crisis_veto=...``: docs/safety.md, round twenty-nine.)
    * A dosing hit of the rules becomes a crisis when the net is sure it is one (``upgrade``:
      "mum took her codeine and sleeping tablets and is hard to wake" matches a mixing rule),
      and is dropped when the net is sure it is neither (``veto``: "what's a morphine milligram
      equivalent? my chart says 90 MME", "how often should I have my medication reviewed?").
      It becomes the past-harm reply when the net is sure the writer tells their own harm as
      history (``past_upgrade``: "put myself in the hospital mixing pills and whiskey ... 2009").
    * Nothing found: crisis or dosing when the net is sure (``crisis``, ``dosing``), even over an
      idiom or educational exemption of the rules only when it is very sure (``override``), and
      over a final exemption (``final_exemptions``) only a crisis or the writer's own past harm it is
      all but certain of (``sure``; past harm gets the kind reply of past harm),
      or dosing (at ``override``) when every final exemption found is an idiom about crisis words
      (``crisis_idioms``);
      over an idiom that sets aside someone else's harm told as history (``history_exemptions``)
      only its P(crisis) counts, not its P(past harm), which cannot tell whose history it is.
      The bars are the same in every language (the Spanish training phrasings of rounds six and
      seven made a Spanish dosing bar of its own unnecessary), and a crisis bar is never raised
      to spare false flags.

    ``probs`` and ``settings`` are for the k-fold sweep (bot/safety_kfold.py), which asks the
    same decision again with a fold net's recorded probabilities and other bars; the screen leaves
    them out (this net's probabilities, the bars of knowledge/safety.yml).
    """
    from bot.safety import Verdict

    settings = settings or _settings_cached()
    if verdict.kind == "crisis":
        # ``crisis_veto`` is off (above 1) unless a clinician turns it on (LONG_MESSAGE_WORDS says why long)
        if settings["crisis_veto"] > 1.0 or len(text.split()) < LONG_MESSAGE_WORDS:
            return verdict
        p = probs if probs is not None else probabilities(text)
        if p.get("none", 0.0) >= settings["crisis_veto"]:
            return Verdict("none", "exempted", "net_crisis_veto:" + verdict.rule)
        return verdict
    p = probs if probs is not None else probabilities(text)
    crisis, dosing, past = p.get("crisis", 0.0), p.get("dosing", 0.0), p.get("past_harm", 0.0)
    risk = crisis + past
    if verdict.kind == "dosing":
        if crisis >= settings["upgrade"]:
            return Verdict("crisis", "unsure", "net_over_dosing_rule")
        if past >= settings["past_upgrade"] and past > crisis:
            # the writer's own harm told as history beside a mixing word ("put myself in the
            # hospital mixing pills and whiskey in 2009"): the kind reply, not a dose refusal
            return Verdict("crisis", "past_harm", "net_over_dosing_rule")
        if p.get("none", 0.0) >= settings["veto"] and _worth_reading(text):
            # never on a few words ("one more than doctor said?"): there the rules are the only net
            return Verdict("none", "exempted", "net_veto:" + verdict.rule)
        return verdict
    if exempted:
        ids = (exempted,) if isinstance(exempted, str) else tuple(exempted) if not isinstance(exempted, bool) else ()
        history = bool(set(ids) & _named("history_exemptions"))
        if history:
            # The rules read someone else's past harm ("my father overdosed twice in the 90s");
            # the net's P(past harm) says only "a history", not whose: it agrees, and only its
            # P(crisis) may overrule the exemption.
            risk = crisis
        if set(ids) & _named("not_a_dose"):
            # a question about this chat itself ("can i still use the chat while I'm away") is never a
            # dose question, whatever the net reads in it; a crisis beside it still counts
            dosing = 0.0
        final = set(ids) & _named("final_exemptions")
        if final and final <= _named("crisis_idioms") and dosing >= settings["override"] and dosing > risk and _worth_reading(text):
            # an idiom about crisis words beside a dose question ("tooth has been killing me ... could
            # i borrow 2 or 3 of hers"): the idiom stays no crisis, the question is still a dose's
            return Verdict("dosing", "unsure", "net_over_idiom")
        if final and crisis >= settings["sure"] and _worth_reading(text):
            # A final exemption is a rule's own "not this" ("... unless the room is blue"); a net
            # this sure of a crisis overrules even that: an `unless` that reads a word anywhere in
            # the message ("break room") once hid "he's blue round the mouth" (round twenty-two).
            return Verdict("crisis", "unsure", "net_over_exemption")
        if final and not history and past >= settings["sure"] and past > crisis and _worth_reading(text):
            # the writer's own harm told as history, all but certain, beside a final exemption ("the whole
            # bottle of tylenol with codeine at 19, stomach pumped ... does OIH happen with codeine?" is
            # also an OIH question about a regimen): the kind reply of past harm, never the alarm
            return Verdict("crisis", "past_harm", "net_over_exemption")
        if final or max(risk, dosing) < settings["override"]:
            return verdict  # the rules' decision: an idiom or an educational question
    if not _worth_reading(text):
        return verdict  # nothing the net could catch ("ok", "yes")
    if risk >= settings["crisis"]:
        # the reply of past harm only when the net is sure it is past: otherwise the full one
        if past > crisis and past >= settings["crisis"]:
            return Verdict("crisis", "past_harm", "net")
        return Verdict("crisis", "unsure", "net")
    if dosing >= settings["dosing"]:
        return Verdict("dosing", "unsure", "net")
    return verdict


def net_verdict(text: str) -> Any:
    """A Verdict from the net alone, or None (for tests and the evaluation)."""
    from bot.safety import NO_VERDICT

    verdict = second_opinion(text, NO_VERDICT)
    return verdict if verdict.fired else None


def unsure_verdict(text: str) -> Any:
    """For a message the FAQ model is unsure about (it would get "Did you mean ..."): the safe
    reply when the net leans towards risk and the message carries a risk cue, else None."""
    from bot.safety import Verdict

    settings = _settings_cached()
    p = probabilities(text)
    crisis, dosing = p.get("crisis", 0.0) + p.get("past_harm", 0.0), p.get("dosing", 0.0)
    if crisis + dosing >= settings["unsure"] and _cues().search(text):
        kind = "crisis" if crisis >= dosing else "dosing"
        return Verdict(kind, "unsure", "net_risk_cue")
    return None


_SETTINGS: dict[str, float] | None = None


def _settings_cached() -> dict[str, float]:
    global _SETTINGS
    if _SETTINGS is None:
        raw = _settings()
        _SETTINGS = {
            name: float(raw.get(name, default))
            for name, default in (("crisis", 0.8), ("dosing", 0.5), ("unsure", 0.6), ("upgrade", 0.85),
                                  ("veto", 0.85), ("override", 0.7), ("confirm", 0.3), ("sure", 1.01),
                                  ("crisis_veto", 1.01), ("past_upgrade", 1.01))
        }
    return _SETTINGS


def confirms(text: str, kind: str) -> bool:
    """Whether the net backs the FAQ model's own ``crisis`` / ``dosing`` guess for a message the
    rules did not flag. Why: that model learned those two intents from few examples and flags
    look-alikes ("suicide prevention week"); the net learned risk from many more. Below the
    ``confirm`` threshold the guess is dropped and the message is treated like any other."""
    p = probabilities(text)
    backing = p.get(kind, 0.0) + (p.get("past_harm", 0.0) if kind == "crisis" else 0.0)
    return backing >= _settings_cached()["confirm"]
