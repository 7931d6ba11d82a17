"""Where things live, in one place, so that tests, CLI and Rasa components agree."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = Path(os.environ.get("OIH_KNOWLEDGE_DIR", ROOT / "knowledge"))
# The source articles' texts, kept in the repo only to check our wording (knowledge/sources/README.md).
SEEDS_DIR = Path(os.environ.get("OIH_SEEDS_DIR", ROOT / "knowledge" / "sources"))
BUILD_DIR = ROOT / "build"
SPACY_MODEL_DIR = BUILD_DIR / "spacy_oih"
VAR_DIR = Path(os.environ.get("OIH_VAR_DIR", ROOT / "var"))
