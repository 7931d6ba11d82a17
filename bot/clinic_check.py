"""Refuse to go live with the example clinic: the placeholders of ``knowledge/clinic.yml``.

The safety replies, the "service down" message and the callback offer all give the clinic's name,
phone and web page from that file. Shipped values are examples ("Your Clinic", a 555 number,
example.org). A patient in trouble who is told to call (555) 010-0000 has been failed, so:

* the production profile (``make run PROFILE=prod``, ``python -m bot serve --profile prod``,
  ``OIH_PROFILE=prod``, or ``--endpoints endpoints.prod.yml``) refuses to start and says which
  values to edit;
* the default profile (a local try-out) starts, but says so loudly first.

Detection does not rely on ``placeholder: true`` alone: a file that says ``placeholder: false``
but still holds a 555 number or an example.org address is caught too.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Mapping

from bot.knowledge import Clinic, ClinicLike

PROFILE_ENV = "OIH_PROFILE"
PROFILES = ("default", "prod")
PROD_ENDPOINTS = "endpoints.prod.yml"

_EXAMPLE_WEB = re.compile(r"\bexample\.(org|com|net)\b", re.IGNORECASE)
# North American fictional numbers: 555-0100 to 555-0199 (and any "555" exchange, to be safe).
_FICTIONAL_PHONE = re.compile(r"(^|\D)\(?\d{3}\)?[\s.-]*555[\s.-]*\d{4}(\D|$)|^\(?555\)?[\s.-]*\d{3}[\s.-]*\d{4}$")
_EXAMPLE_NAMES = {"your clinic", "the clinic", "clinic name", "example clinic"}


def profile_of(endpoints: str, env: Mapping[str, str], explicit: str | None = None) -> str:
    """``prod`` or ``default``: the explicit choice, else OIH_PROFILE, else the endpoints file."""
    chosen = (explicit or env.get(PROFILE_ENV) or "").strip().lower()
    if chosen:
        if chosen not in PROFILES:
            raise ValueError(f"unknown profile {chosen!r}: use one of {', '.join(PROFILES)}")
        return chosen
    return "prod" if Path(endpoints).name == PROD_ENDPOINTS else "default"


def placeholder_problems(clinic: ClinicLike = None) -> list[str]:
    """What in clinic.yml is still an example, as lines a clinic can act on (empty when real).

    ``clinic``: the model (default: knowledge/clinic.yml's) or the file's shape as a mapping.
    """
    info = Clinic.of(clinic)
    problems = []
    if info.placeholder is not False:
        problems.append("clinic.placeholder is not false (set it to false once the values are real)")
    name = info.name
    if not name or name.lower() in _EXAMPLE_NAMES:
        problems.append(f"clinic.name is {name or 'empty'!r}: the clinic's name as patients know it")
    phone = info.phone
    if not phone or _FICTIONAL_PHONE.search(phone):
        problems.append(f"clinic.phone is {phone or 'empty'!r}: the number patients call about their medicines")
    web = info.web
    if not web or _EXAMPLE_WEB.search(web):
        problems.append(f"clinic.web is {web or 'empty'!r}: the clinic's contact page")
    if not info.hours:
        problems.append("clinic.hours is empty: when patients can call")
    return problems


def refusal(problems: list[str], path: str = "knowledge/clinic.yml") -> str:
    return (
        f"Refusing to start the production profile: {path} still holds example values that patients "
        "would be told to call or visit. Edit:\n" + "\n".join(f"  - {p}" for p in problems)
        + "\nthen start again. (The default profile, `make run`, starts with them for a local try-out.)"
    )


def warning(problems: list[str], path: str = "knowledge/clinic.yml") -> str:
    bar = "!" * 78
    return (
        f"{bar}\n!! PLACEHOLDER CLINIC DETAILS: {path} is the example, not a real clinic.\n"
        "!! Patients would be told to call a fictional number. Fine for a local try-out ONLY.\n"
        + "\n".join(f"!!   - {p}" for p in problems)
        + "\n!! The production profile (make run PROFILE=prod) refuses to start until they are edited.\n"
        + bar
    )
