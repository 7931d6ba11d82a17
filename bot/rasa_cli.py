"""``rasa`` as this project starts it: Rasa's own command line, minus third-party deprecation noise.

``python -m bot.rasa_cli run ...`` is ``rasa run ...`` (same arguments, same code: Rasa's
``rasa.__main__.main``). ``python -m bot serve`` and ``python -m bot train`` start Rasa this way.

Why: Sanic's ``app`` module runs ``warnings.filterwarnings("once", category=DeprecationWarning)``
when it is imported, which turns on every library's deprecation notices: about 30 lines at every
start (pkg_resources, SQLAlchemy's 2.0 notices, pyparsing via matplotlib, click via typer, ...)
that no pin of ours can change and that bury the lines that matter. ``PYTHONWARNINGS`` cannot
fix it: its filters are installed first, so Sanic's comes before them, and it can only name
modules exactly. So: import Sanic, then put one filter in front of its: ignore a
``DeprecationWarning`` (and subclasses) raised from any module outside ``bot`` and ``actions``.
SQLAlchemy's summary of its 2.0 notices is switched off with its own variable. A deprecation
raised in our own code, and every other warning category, still shows.
``OIH_SHOW_DEPRECATIONS=1`` shows them all (before upgrading a pin, say).
"""
from __future__ import annotations

import os
import sys
import warnings

SHOW_ENV = "OIH_SHOW_DEPRECATIONS"
#: Modules whose deprecation warnings are ours to see and fix.
OWN_MODULES = ("bot", "actions", "rasa_sdk_plugins", "__main__")
THIRD_PARTY = r"(?!(?:" + "|".join(OWN_MODULES) + r")(?:\.|$))"


def quiet_third_party_deprecations() -> None:
    """Hide ``DeprecationWarning`` raised by third-party modules (idempotent)."""
    if os.environ.get(SHOW_ENV):
        return
    # SQLAlchemy 1.4's one-line summary of its 2.0 notices (Rasa's tracker store) has its own switch.
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    import sanic.app  # noqa: F401 - installs its "once" filter; ours must come after (= in front)

    warnings.filterwarnings("ignore", category=DeprecationWarning, module=THIRD_PARTY)


def main() -> None:
    from bot import rasa_seams

    quiet_third_party_deprecations()
    # Rasa's CLI then puts its own filters in front, among them "once" for every UserWarning,
    # which pyparsing's deprecation warnings also are: put ours in front of those again.
    rasa_seams.after_rasa_sets_warning_filters(quiet_third_party_deprecations)
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
