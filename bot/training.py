"""Train the Rasa model only when its inputs changed.

``rasa train`` has its own fingerprinting, but reaching that check costs a TensorFlow import and a
graph build (tens of seconds). Hashing the inputs here makes a second ``make run`` start at once.
"""
from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path

from bot.paths import ROOT, SPACY_MODEL_DIR

MODEL_DIR = ROOT / "models"
MODEL_NAME = "oih"
STAMP = MODEL_DIR / f"{MODEL_NAME}.inputs.sha256"
INPUT_GLOBS = (
    "config.yml",
    "domain.yml",
    "data/**/*.yml",
    "bot/components/*.py",
    "bot/understanding/*.py",
    "bot/textnorm.py",
    "bot/spelling.py",
    "bot/input_limits.py",
    "bot/safety/*.py",
    "knowledge/*.yml",
    "constraints.txt",
)
#: Read at run time only: a clinician's sign-off must not force a retrain (bot/signoff.py).
NOT_INPUTS = frozenset({Path("knowledge/reviews.yml")})


def inputs_hash(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    files = sorted({p for pattern in INPUT_GLOBS for p in root.glob(pattern) if p.is_file()
                    and p.relative_to(root) not in NOT_INPUTS})
    files += sorted(p for p in SPACY_MODEL_DIR.rglob("*") if p.is_file())
    for path in files:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def model_path() -> Path:
    return MODEL_DIR / f"{MODEL_NAME}.tar.gz"


def is_current() -> bool:
    return model_path().exists() and STAMP.exists() and STAMP.read_text().strip() == inputs_hash()


def build_safety_net() -> None:
    """Train the safety screen's learned net into build/ now, when its data changed.

    Otherwise the first server to load the model trains it on start: minutes on a busy machine,
    past the servers' start-up deadline (round forty-eight: a fresh clone's first conversation
    tests failed that way while other jobs loaded both cores). Seconds when the cache is current.
    """
    from bot.safety.net import load_model

    started = time.monotonic()
    load_model()
    print(f"Safety net ready in {time.monotonic() - started:.0f} s (build/safety_net.pkl).")


def train(force: bool = False) -> bool:
    """Train if needed; return True when a new model was trained. The safety net is built first."""
    build_safety_net()
    if not force and is_current():
        print(f"Model {model_path().relative_to(ROOT)} is up to date; not retraining.")
        return False
    expected = inputs_hash()
    started = time.monotonic()
    cmd = [
        sys.executable, "-m", "bot.rasa_cli", "train", "--fixed-model-name", MODEL_NAME,
        "--out", str(MODEL_DIR), "--config", "config.yml", "--domain", "domain.yml", "--data", "data",
    ]
    subprocess.run(cmd, cwd=ROOT, check=True)
    STAMP.write_text(expected)
    print(f"Trained {model_path().relative_to(ROOT)} in {time.monotonic() - started:.0f} s.")
    return True
