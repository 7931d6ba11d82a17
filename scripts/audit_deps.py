#!/usr/bin/env python3
"""Audit constraints.txt (every pinned package) for known vulnerabilities with pip-audit.

    make audit                      # or: .venv/bin/python scripts/audit_deps.py [--required]

Why this shape:
- pip-audit is installed in a throw-away virtual environment in a temporary folder, removed at the
  end: the project's environment never gets a package it does not run with.
- pip-audit asks a vulnerability database over the network (OSV, or PyPI's JSON API). Without it
  there is nothing to check against, so the script says SKIPPED, loudly, and exits 0; with
  ``--required`` (or OIH_AUDIT_REQUIRED=1: CI with network) it exits 1 instead.
- Rasa 3.6 pins many packages to old releases (aiohttp<3.10, sanic 21.12, tensorflow 2.12.0, ...).
  A finding whose fixed release is outside those bounds cannot be fixed here; failing on it would
  keep CI red for ever and hide new findings. So each finding is classified with the requirement
  specifiers the installed packages declare (and requirements.txt): *held* (no fixed release is
  allowed: listed with who holds it; docs/production.md explains the risk) or *actionable* (a
  fixed release is allowed: raise the pin, ``make lock``). Only actionable findings fail.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PIP_AUDIT = "pip-audit==2.10.1"
OSV_URL = "https://api.osv.dev/v1/query"
PYPI_URL = "https://pypi.org/pypi/jinja2/2.4/json"  # a release with known advisories, per version
TIMEOUT = 15


@dataclass
class Finding:
    package: str
    version: str
    vuln_id: str
    fix_versions: list[str]
    aliases: list[str] = field(default_factory=list)
    held_by: list[str] = field(default_factory=list)  # "rasa: aiohttp<3.10,>=3.9.0"

    @property
    def actionable(self) -> bool:
        return bool(self.fix_versions) and not self.held_by


def canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def declared_requirements(
    packages: set[str], requirements_txt: Path = ROOT / "requirements.txt",
) -> dict[str, list[tuple[str, Any]]]:
    """package -> [(who, Requirement)] for ``packages``, from the installed distributions' metadata
    and requirements.txt. Only the matching lines are parsed (packaging's parser is slow)."""
    from packaging.requirements import InvalidRequirement, Requirement

    wanted = {canonical(p) for p in packages}
    found: dict[str, list[tuple[str, Any]]] = {}

    def add(who: str, text: str) -> None:
        name = re.match(r"\s*([A-Za-z0-9._-]+)", text)
        if not name or canonical(name.group(1)) not in wanted:
            return
        try:
            req = Requirement(text)
        except InvalidRequirement:
            return
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            return
        found.setdefault(canonical(req.name), []).append((who, req))

    for dist in metadata.distributions():
        requires = dist.requires or []
        if requires:
            who = dist.metadata["Name"]  # parses the whole METADATA file: once per distribution
            for text in requires:
                add(who, text)
    for line in requirements_txt.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            add("requirements.txt", line)
    return found


def classify(report: dict[str, Any], declared: dict[str, list[tuple[str, Any]]]) -> list[Finding]:
    """The findings of a pip-audit JSON report, each marked held (by whom) or actionable."""
    from packaging.version import InvalidVersion, Version

    findings = []
    for dep in report.get("dependencies", []):
        for vuln in dep.get("vulns", []):
            finding = Finding(dep["name"], dep.get("version", ""), vuln["id"], list(vuln.get("fix_versions") or []),
                              list(vuln.get("aliases") or []))
            reqs = [(who, req) for who, req in declared.get(canonical(dep["name"]), []) if str(req.specifier)]

            def allowed(fix: str, reqs: list = reqs) -> bool:
                try:
                    version = Version(fix)
                except InvalidVersion:
                    return False
                return all(req.specifier.contains(version, prereleases=True) for _, req in reqs)

            if finding.fix_versions and not any(allowed(fix) for fix in finding.fix_versions):
                lowest = min(finding.fix_versions, key=Version)
                finding.held_by = [f"{who}: {req}" for who, req in reqs if not req.specifier.contains(Version(lowest), True)]
            findings.append(finding)
    return findings


def reachable_service(osv_url: str = OSV_URL, pypi_url: str = PYPI_URL) -> str | None:
    """'osv' or 'pypi' (whichever vulnerability database answers), or None when offline."""
    body = json.dumps({"package": {"name": "jinja2", "ecosystem": "PyPI"}, "version": "2.4"}).encode()
    probes = [("osv", urllib.request.Request(osv_url, data=body, headers={"Content-Type": "application/json"})),
              ("pypi", urllib.request.Request(pypi_url))]
    for name, request in probes:
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as resp:
                if resp.status == 200 and b"vuln" in resp.read():
                    return name
        except (OSError, ValueError):
            continue
    return None


def pinned_requirements(constraints: Path, out: Path) -> int:
    lines = [ln.strip() for ln in constraints.read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.lstrip().startswith("#")]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def run_pip_audit(service: str, constraints: Path, folder: Path) -> dict[str, Any]:
    """pip-audit in a venv of its own under ``folder``; its JSON report."""
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", PIP_AUDIT], check=True, timeout=600)
    pinned = folder / "pinned.txt"
    pinned_requirements(constraints, pinned)
    report = folder / "report.json"
    subprocess.run(
        [str(venv / "bin" / "pip-audit"), "--no-deps", "--disable-pip", "--progress-spinner", "off",
         "-r", str(pinned), "-s", service, "-f", "json", "-o", str(report)],
        timeout=1800,
    )  # exit 1 just means "findings": the report says which
    return json.loads(report.read_text(encoding="utf-8"))


def summary(findings: list[Finding], report: dict[str, Any]) -> str:
    skipped = [d for d in report.get("dependencies", []) if d.get("skip_reason")]
    lines = [f"{len(report.get('dependencies', []))} pinned packages audited, {len(skipped)} could not be "
             f"(not found in the database), {len(findings)} known vulnerabilities."]
    for f in sorted(findings, key=lambda f: (f.actionable, f.package)):
        ids = ", ".join([f.vuln_id, *f.aliases][:3])
        fix = ", ".join(f.fix_versions) or "no fixed release"
        state = "ACTIONABLE: raise the pin" if f.actionable else (
            "held by " + "; ".join(f.held_by) if f.held_by else "no fixed release yet")
        lines.append(f"  {f.package} {f.version}  {ids}  fixed in: {fix}  -> {state}")
    return "\n".join(lines)


def main(argv: list[str] | None = None, osv_url: str = OSV_URL, pypi_url: str = PYPI_URL) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--constraints", type=Path, default=ROOT / "constraints.txt")
    parser.add_argument("--required", action="store_true", default=os.environ.get("OIH_AUDIT_REQUIRED") == "1",
                        help="fail (exit 1) instead of skipping when the vulnerability database is unreachable")
    parser.add_argument("--report", type=Path, help="classify this pip-audit JSON report instead of running pip-audit")
    args = parser.parse_args(argv)
    if args.report:
        report = json.loads(args.report.read_text(encoding="utf-8"))
    else:
        service = reachable_service(osv_url, pypi_url)
        if service is None:
            print("SKIPPED dependency audit: no vulnerability database reachable (api.osv.dev, pypi.org JSON API). "
                  "Nothing was checked. Run `make audit` on a machine whose network reaches one (in CI: AUDIT_ARGS=--required to fail instead).",
                  file=sys.stderr)
            return 1 if args.required else 0
        with tempfile.TemporaryDirectory(prefix="oih-audit-") as tmp:
            try:
                report = run_pip_audit(service, args.constraints, Path(tmp))
            except (subprocess.SubprocessError, OSError, ValueError) as exc:
                print(f"SKIPPED dependency audit: pip-audit could not run ({exc}).", file=sys.stderr)
                return 1 if args.required else 0
    deps = report.get("dependencies", [])
    if deps and all(d.get("skip_reason") for d in deps):
        print(f"SKIPPED dependency audit: the vulnerability database knew none of the {len(deps)} packages "
              f"({deps[0]['skip_reason']}). Nothing was checked.", file=sys.stderr)
        return 1 if args.required else 0
    vulnerable = {d["name"] for d in report.get("dependencies", []) if d.get("vulns")}
    findings = classify(report, declared_requirements(vulnerable))
    print(summary(findings, report))
    actionable = [f for f in findings if f.actionable]
    if actionable:
        print(f"FAILED: {len(actionable)} finding(s) have a fixed release that the pins allow: raise them "
              "(make lock) and rerun.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
