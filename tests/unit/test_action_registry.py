"""What the action server registers from actions/: exactly the custom actions domain.yml lists.

Why: rasa-sdk's executor registers every non-abstract ``Action`` subclass it finds by importing
the package (``rasa_sdk/executor.py`` ``_register_all_actions``). A base class that lost its
abstract method would be registered under a name like ``action_ask_`` (or overwrite a real
action); an ask action that is not a subclass of ``Action`` (a mixin) or not made for a new
question would be missing, and Rasa would fail the form in front of a patient with "no registered
action found". Built the way the action server builds it, with rasa-sdk's own executor.
"""
from __future__ import annotations

import inspect
import pkgutil
from importlib import import_module
from typing import Any

import pytest
from rasa_sdk import Action
from rasa_sdk.executor import ActionExecutor

import actions
from actions.callback import AskCallbackStep
from actions.form_base import FormAskAction, InterruptibleFormValidationAction
from actions.screening import AskScreeningQuestion

BASES = (FormAskAction, InterruptibleFormValidationAction, AskCallbackStep, AskScreeningQuestion)


@pytest.fixture(scope="module")
def executor() -> ActionExecutor:
    executor = ActionExecutor()
    executor.register_package("actions")
    return executor


def own_classes() -> list[type]:
    """Every class defined in a module of actions/."""
    found = []
    for info in pkgutil.iter_modules(actions.__path__):
        module = import_module(f"actions.{info.name}")
        found += [c for _, c in inspect.getmembers(module, inspect.isclass) if c.__module__ == module.__name__]
    return found


def test_the_registry_holds_exactly_the_custom_actions_of_the_domain(executor: ActionExecutor, domain: dict[str, Any]) -> None:
    declared = set(domain["actions"])
    asks = {a for a in declared if a.startswith("action_ask_")}
    assert asks and asks <= set(executor.actions)
    assert set(executor.actions) == declared


def test_no_base_class_is_registered(executor: ActionExecutor) -> None:
    registered = executor._loaded  # the classes rasa-sdk instantiated (rasa_sdk/executor.py)
    for base in BASES:
        assert inspect.isabstract(base), base
        assert base not in registered, base
    assert not [c for c in registered if inspect.isabstract(c)]


def test_every_form_ask_action_derives_from_the_one_base(executor: ActionExecutor) -> None:
    asks = [c for c in executor._loaded if c().name().startswith("action_ask_")]
    assert asks and all(issubclass(c, FormAskAction) for c in asks)


def test_no_mixins_in_actions() -> None:
    """A class with ``name`` or ``run`` that is not an ``Action`` is a mixin the server skips."""
    mixins = [
        c.__name__ for c in own_classes()
        if not issubclass(c, Action) and ("name" in vars(c) or "run" in vars(c))
    ]
    assert mixins == []
