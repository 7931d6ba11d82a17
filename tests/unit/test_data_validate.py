"""Rasa's own consistency check of domain, data and config, with warnings as failures."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow  # starts Rasa's command line (~20 s): `make test` runs it, `make test-unit` does not
def test_rasa_data_validate_has_no_warnings():
    rasa = str(Path(sys.executable).with_name("rasa"))
    proc = subprocess.run(
        [rasa, "data", "validate", "--fail-on-warnings", "--config", "config.yml", "--domain", "domain.yml", "--data", "data"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
