"""scripts/audit_deps.py: which findings fail the audit, and the clear skip when offline.

The classification runs on the project's real installed metadata (Rasa 3.6.21's own requirement
specifiers), with pip-audit reports written here in pip-audit's JSON shape. The network part
(pip-audit against OSV) runs in CI (`make audit`, .ci/run).
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.servers import free_port

ROOT = Path(__file__).resolve().parents[2]


def load() -> Any:
    spec = importlib.util.spec_from_file_location("audit_deps", ROOT / "scripts" / "audit_deps.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules["audit_deps"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


audit = load()


def declared() -> dict[str, Any]:
    return audit.declared_requirements({"aiohttp", "requests", "sanic"})


def report(*deps: tuple[str, str, str, list[str]]) -> dict[str, Any]:
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for name, version, vuln_id, fixes in deps:
        grouped.setdefault((name, version), []).append({"id": vuln_id, "fix_versions": fixes, "aliases": []})
    return {"dependencies": [{"name": n, "version": v, "vulns": vulns} for (n, v), vulns in grouped.items()]
            + [{"name": "idna", "version": "3.20", "vulns": []}], "fixes": []}


def test_a_fix_outside_rasas_bounds_is_held_and_named() -> None:
    findings = audit.classify(report(("aiohttp", "3.9.5", "GHSA-test-1", ["3.10.11"])), declared())
    (finding,) = findings
    assert not finding.actionable
    assert any(h.startswith("rasa:") and "<3.10" in h for h in finding.held_by), finding.held_by


def test_a_fix_the_pins_allow_is_actionable() -> None:
    # rasa allows requests>=2.23,<3.0: a 2.x fix can be taken.
    (finding,) = audit.classify(report(("requests", "2.34.2", "GHSA-test-2", ["2.99.0"])), declared())
    assert finding.actionable and not finding.held_by


def test_no_fixed_release_is_reported_but_not_actionable() -> None:
    (finding,) = audit.classify(report(("sanic", "21.12.2", "GHSA-test-3", [])), declared())
    assert not finding.actionable and not finding.held_by


def test_exit_code_follows_actionable_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    held = tmp_path / "held.json"
    held.write_text(json.dumps(report(("tensorflow", "2.12.0", "PYSEC-test-4", ["2.12.1", "2.13.0"]))))
    assert audit.main(["--report", str(held)]) == 0
    out = capsys.readouterr().out
    assert "tensorflow 2.12.0" in out and "held by rasa: tensorflow==2.12.0" in out
    mixed = tmp_path / "mixed.json"
    mixed.write_text(json.dumps(report(("tensorflow", "2.12.0", "PYSEC-test-4", ["2.13.0"]),
                                       ("urllib3", "2.8.0", "GHSA-test-5", ["2.99.1"]))))
    assert audit.main(["--report", str(mixed)]) == 1
    captured = capsys.readouterr()
    assert "ACTIONABLE" in captured.out and "FAILED: 1 finding" in captured.err


def test_offline_says_skipped_and_required_fails(capsys: pytest.CaptureFixture[str]) -> None:
    closed = f"http://127.0.0.1:{free_port()}/"  # nothing listens there
    assert audit.main([], osv_url=closed, pypi_url=closed) == 0
    assert "SKIPPED dependency audit" in capsys.readouterr().err
    assert audit.main(["--required"], osv_url=closed, pypi_url=closed) == 1
    assert "SKIPPED dependency audit" in capsys.readouterr().err


def test_a_report_that_checked_nothing_is_a_skip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """What this machine's PyPI mirror gives: every package 'not found' (no per-release JSON)."""
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"dependencies": [
        {"name": "aiohttp", "skip_reason": "Dependency not found on PyPI and could not be audited: aiohttp (3.9.5)"},
    ], "fixes": []}))
    assert audit.main(["--report", str(empty)]) == 0
    assert "SKIPPED dependency audit" in capsys.readouterr().err
    assert audit.main(["--report", str(empty), "--required"]) == 1
