"""The example clinic of knowledge/clinic.yml never goes live (issue 13): the production profile
refuses to start with it and says what to edit; `make run` (default profile) says so loudly.

The start-up checks run `python -m bot serve` for real. Each stops before any server starts: the
production profile at the clinic check, the others at a deliberately short OIH_API_TOKEN (a
configuration error serve reports before starting anything)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.clinic_check import placeholder_problems, profile_of
from bot.paths import KNOWLEDGE_DIR, ROOT
from bot.safety import load_clinic

REAL = {"clinic": {"name": "Riverside Pain Clinic", "placeholder": False, "phone": "(520) 624-3300",
                   "hours": "Monday to Friday, 8 am to 5 pm", "web": "https://riverside-pain.test/contact"}}


def test_shipped_clinic_is_recognised_as_the_example():
    problems = " ".join(placeholder_problems(load_clinic()))
    for field in ("placeholder", "name", "phone", "web"):
        assert f"clinic.{field}" in problems


def test_real_details_pass():
    assert placeholder_problems(REAL) == []


@pytest.mark.parametrize("field, value", [
    ("phone", "(555) 010-0000"), ("phone", "520-555-0142"), ("phone", ""),
    ("web", "https://example.org/clinic"), ("web", "http://www.example.com"),
    ("name", "Your Clinic"), ("hours", ""),
])
def test_each_example_value_is_caught_even_when_placeholder_is_false(field, value):
    clinic = {"clinic": {**REAL["clinic"], field: value}}
    assert any(f"clinic.{field}" in p for p in placeholder_problems(clinic))


def test_placeholder_flag_alone_is_caught():
    assert placeholder_problems({"clinic": {**REAL["clinic"], "placeholder": True}})


def test_profile_is_known_from_option_env_or_endpoints_file():
    assert profile_of("endpoints.yml", {}) == "default"
    assert profile_of("endpoints.prod.yml", {}) == "prod"
    assert profile_of("endpoints.yml", {"OIH_PROFILE": "prod"}) == "prod"
    assert profile_of("endpoints.prod.yml", {}, "default") == "default"
    with pytest.raises(ValueError):
        profile_of("endpoints.yml", {"OIH_PROFILE": "production-ish"})


def serve(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "OIH_PROFILE"}
    env.update({"PYTHONPATH": str(ROOT), **(env_extra or {})})
    return subprocess.run([sys.executable, "-m", "bot", "serve", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("how", [["--profile", "prod"], ["--endpoints", "endpoints.prod.yml"], ["ENV"]])
def test_production_profile_refuses_the_example_clinic(how):
    args, extra = (([], {"OIH_PROFILE": "prod"}) if how == ["ENV"] else (how, {}))
    done = serve(*args, env_extra=extra)
    assert done.returncode == 2
    assert "Refusing to start the production profile" in done.stderr
    assert "knowledge/clinic.yml" in done.stderr and "clinic.phone" in done.stderr
    assert "Starting the action server" not in done.stdout  # nothing was started


def test_default_profile_warns_loudly_before_starting():
    done = serve("--port", str(1), env_extra={"OIH_API_TOKEN": "too-short"})
    assert done.returncode == 2  # stopped by the short token, after the warning
    assert "PLACEHOLDER CLINIC DETAILS" in done.stderr and "!!!!!!!!" in done.stderr
    assert "Refusing" not in done.stderr


def test_production_profile_starts_past_the_check_with_real_details(tmp_path: Path):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, knowledge)
    raw = yaml.safe_load((knowledge / "clinic.yml").read_text(encoding="utf-8"))
    raw["clinic"].update(REAL["clinic"])
    (knowledge / "clinic.yml").write_text(yaml.safe_dump(raw), encoding="utf-8")
    done = serve("--profile", "prod", env_extra={"OIH_KNOWLEDGE_DIR": str(knowledge), "OIH_API_TOKEN": "too-short"})
    assert done.returncode == 2 and "OIH_API_TOKEN must be at least" in done.stderr  # got past the check
    assert "Refusing" not in done.stderr and "PLACEHOLDER" not in done.stderr
