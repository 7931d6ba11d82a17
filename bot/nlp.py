"""Builds the project's own spaCy pipeline and saves it to disk.

No pretrained spaCy model can be downloaded on our machines (and unofficial uploads are not to be
trusted), so the pipeline is assembled in code: a blank English tokenizer, a lookup lemmatizer
whose tables come from the ``spacy-lookups-data`` package, and an entity ruler that tags the
medication names in ``knowledge/medications.yml``. Rasa's ``SpacyNLP`` loads it from
``build/spacy_oih`` and the safety screen uses the same lemmas.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # spaCy is imported where a pipeline is built or loaded: importing it costs
    from spacy.language import Language  # seconds, which the staff search does not need

from bot.knowledge import cached_medicines
from bot.paths import KNOWLEDGE_DIR, SPACY_MODEL_DIR

PIPELINE_NAME = "oih_en"
COMMON_WORDS_FILE = "common_words.txt"
# Log-probability floor for "common English": "weather" is -10.5, "withdrawl" -15.0,
# "tollerance" -17.4 in spacy-lookups-data's en_lexeme_prob table.
COMMON_WORD_LOGPROB = -13.0


def medication_terms(knowledge_dir: Path = KNOWLEDGE_DIR) -> dict[str, str]:
    """Map every medication name and alias (lower case) to its canonical name."""
    return {name.lower(): med.name for med in cached_medicines(knowledge_dir) for name in med.names}


def build_pipeline(knowledge_dir: Path = KNOWLEDGE_DIR) -> Language:
    """Assemble blank English + lookup lemmatizer + medication entity ruler."""
    import spacy

    nlp = spacy.blank("en")
    nlp.meta["name"] = PIPELINE_NAME
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = "OIH assistant: tokenizer, lookup lemmas, medication entities"
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    lemmatizer.initialize()  # loads the lookup table from spacy-lookups-data into the pipeline
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(
        [
            {"label": "MEDICATION", "pattern": term, "id": canonical}
            for term, canonical in sorted(medication_terms(knowledge_dir).items())
        ]
    )
    return nlp


def _write_common_words(target: Path) -> None:
    """Save the common English words (by frequency) next to the pipeline for spelling repair."""
    import gzip

    import spacy_lookups_data

    table = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    probs = json.loads(gzip.open(table).read())
    words = sorted(w for w, p in probs.items() if p >= COMMON_WORD_LOGPROB and w.isalpha())
    (target / COMMON_WORDS_FILE).write_text("\n".join(words), encoding="utf-8")


@functools.lru_cache(maxsize=1)
def common_words(path: str = str(SPACY_MODEL_DIR)) -> frozenset[str]:
    """Lower-case common English words (built with the pipeline)."""
    file = Path(path, COMMON_WORDS_FILE)
    if not file.exists():
        save_pipeline(Path(path))
    return frozenset(file.read_text(encoding="utf-8").lower().split())


def save_pipeline(target: Path = SPACY_MODEL_DIR, knowledge_dir: Path = KNOWLEDGE_DIR) -> Path:
    """Write the pipeline to ``target`` unless an identical one is already there.

    The stamp file records the medication list the pipeline was built from, so ``make run`` only
    rebuilds (and so only retrains Rasa) when that list changes.
    """
    source = (knowledge_dir / "medications.yml").read_text(encoding="utf-8")
    stamp = target / "oih_stamp.json"
    if stamp.exists() and json.loads(stamp.read_text())["medications"] == source:
        return target
    nlp = build_pipeline(knowledge_dir)
    target.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)
    _write_common_words(target)
    stamp.write_text(json.dumps({"medications": source}))
    return target


@functools.lru_cache(maxsize=1)
def load_pipeline(path: str = str(SPACY_MODEL_DIR)) -> Language:
    """Load the saved pipeline once per process (building it first if missing)."""
    if not Path(path, "config.cfg").exists():
        save_pipeline(Path(path))
    import spacy

    return spacy.load(path)


def lemmas(text: str) -> list[str]:
    """Lower-cased lemmas of ``text`` from the project pipeline (used by the safety screen)."""
    doc = load_pipeline()(text)
    return [(tok.lemma_ or tok.text).lower() for tok in doc]


def lemma_text(texts: Iterable[str]) -> list[str]:
    """Lemmatise many texts at once with ``nlp.pipe`` (faster for whole datasets)."""
    nlp = load_pipeline()
    return [" ".join((t.lemma_ or t.text).lower() for t in doc) for doc in nlp.pipe(texts)]
