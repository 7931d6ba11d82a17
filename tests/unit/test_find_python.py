"""scripts/find_python.sh picks the NEWEST Python 3.10 it can find (docs/production.md: 3.10 is
past its end of life, so its last patch release carries the last security fixes).

Fake interpreters (scripts that print a version) stand in for installed Pythons: one on PATH as
python3.10, others in a fake ~/.pyenv. The machine's real ones are also seen by the script (it
looks in /root/.pyenv and /usr/bin), which is why the fakes use versions no machine has.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "find_python.sh"


def fake_python(path: Path, version: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho {version}\n")
    path.chmod(0o755)
    return path


def run(home: Path, path_dir: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(SCRIPT)], capture_output=True, text=True, timeout=60,
        env={"HOME": str(home), "PATH": f"{path_dir}:/usr/bin:/bin", **env},
    )


def test_newest_3_10_wins_over_the_one_on_path(tmp_path: Path) -> None:
    fake_python(tmp_path / "bin" / "python3.10", "3.10.1")
    newest = fake_python(tmp_path / "home" / ".pyenv" / "versions" / "3.10.99" / "bin" / "python", "3.10.99")
    fake_python(tmp_path / "home" / ".pyenv" / "versions" / "3.10.98" / "bin" / "python", "3.10.98")
    fake_python(tmp_path / "home" / ".pyenv" / "versions" / "3.10.x" / "bin" / "python", "3.11.99")
    result = run(tmp_path / "home", tmp_path / "bin")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(newest)


def test_an_older_3_10_is_not_chosen_over_a_newer_one(tmp_path: Path) -> None:
    old = fake_python(tmp_path / "bin" / "python3.10", "3.10.0")
    result = run(tmp_path / "home", tmp_path / "bin")
    assert result.returncode == 0, result.stderr
    found = result.stdout.strip()
    real = subprocess.run([found, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True, text=True)
    if found == str(old):  # the machine has no other 3.10: the fake is the only choice
        pytest.skip("no real Python 3.10 on this machine besides the fake")
    assert real.stdout.strip() == "(3, 10)"


def test_python_variable_must_be_3_10(tmp_path: Path) -> None:
    wrong = fake_python(tmp_path / "other" / "python", "3.11.4")
    result = run(tmp_path / "home", tmp_path / "bin", PYTHON=str(wrong))
    assert result.returncode == 1 and "not a Python 3.10" in result.stderr
    right = fake_python(tmp_path / "other" / "python310", "3.10.5")
    assert run(tmp_path / "home", tmp_path / "bin", PYTHON=str(right)).stdout.strip() == str(right)
