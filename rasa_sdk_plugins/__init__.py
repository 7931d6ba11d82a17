"""rasa-sdk's plugin hook: the action server's guard (bot/action_guard.py) is installed here.

rasa-sdk 3.6 imports a top-level package named ``rasa_sdk_plugins`` when it starts
(``rasa_sdk.plugin._discover_plugins``) and calls ``attach_sanic_app_extensions(app)`` on every
plugin registered by its ``init_hooks``. The repository root is on PYTHONPATH for the action
server (bot/servers.py), so ``rasa run actions`` always gets the guard; it cannot be forgotten.
"""
from __future__ import annotations

import sys

import pluggy

hookimpl = pluggy.HookimplMarker("rasa_sdk")


def init_hooks(manager: pluggy.PluginManager) -> None:
    manager.register(sys.modules[__name__])


@hookimpl
def attach_sanic_app_extensions(app) -> None:  # noqa: ANN001 - a Sanic app
    from bot.action_guard import install

    install(app)
