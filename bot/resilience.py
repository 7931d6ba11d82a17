"""How Rasa runs this assistant's custom actions: fast, and never into silence.

Rasa runs every custom action through ``rasa.core.actions.action.RemoteAction.run`` (the
validation and "ask" actions of forms included). ``install()`` wraps that one method with three
changes, each measured (issue 7; ``make bench``, py-spy profiles in docs/operations.md):

1. **FAQ fast path.** The read-only actions on the FAQ path (``OIH_LOCAL_ACTIONS``, default
   ``action_answer_faq,action_clarify,action_follow_up``) run inside the Rasa process, through rasa-sdk's own
   ``ActionExecutor`` with the very payload Rasa would POST to the action server, and their result
   goes through the same validation and NLG as a remote answer. This saves the HTTP round trip, and
   above all the second trip through Rasa's busy event loop that every remote call costs while
   the answer is awaited: under 20 concurrent conversations an FAQ answer waited twice in the
   queue, which made the p95 latency about twice the median. It also keeps FAQ answers working
   while the action server is down. Actions that write personal data or run forms (callback
   requests, questionnaire, "forget me") stay on the action server. ``OIH_LOCAL_ACTIONS=`` (empty)
   sends everything to the action server again.

2. **Never silence.** Stock Rasa 3.6, when the action server is down, restarting or crashing,
   logs the error in ``MessageProcessor._run_action``, drops the action's events and carries on:
   the patient's message gets *no reply at all*. When the call fails for any reason other than a
   deliberate rejection (``ActionExecutionRejection``, which Rasa handles itself), the wrapper
   returns one bot message saying that part of the service is down, with the clinic's phone,
   hours, web page and the emergency number from ``knowledge/clinic.yml``, and no other event, so
   the tracker stays as stock Rasa would leave it and the conversation continues normally once
   the action server is back. At most one such message per user message (a form can call several
   actions in one turn). Crisis and dosing replies are domain responses: they never needed the
   action server.

3. **Schema check once.** ``RemoteAction._validate_action_result`` called
   ``jsonschema.validate``, which re-validates the constant schema against the meta-schema on every
   call: about 9 ms of CPU per action call, 20-40 % of Rasa's CPU on FAQ answers. Replaced by the
   same check with a validator built once (``bot.rasa_seams._validate_action_result``).

Alternatives we rejected: answering FAQs from domain responses (loses citations, related topics
and the once-per-conversation disclaimer, and needs a second copy of the content); a proxy in
front of the action server (one more process and network hop, and it fails with its host).

The wrapper itself (the Rasa internals it relies on) is in ``bot.rasa_seams``; it is installed
when Rasa creates ``ResilientNLG``, the NLG the endpoints files name (the output guard of
``bot.nlg`` plus this), in every Rasa process and Sanic worker.
"""
from __future__ import annotations

import functools
import importlib
import logging
import os
from typing import Any, Optional

from bot import rasa_seams
from bot.nlg import GuardedNLG
from bot.safety import contains_dose_amount, load_clinic
from bot.safety.messages import reply_fields
from bot.tracker_events import bot_texts, since_latest_user

logger = logging.getLogger(__name__)

#: A phrase only this message contains: the per-turn de-duplication and the tests look for it.
UNAVAILABLE_MARK = "part of this service is not working right now"

#: The last resort, used only when knowledge/ cannot be read: the one reply text kept in Python
#: (tests/unit/test_reply_wording.py allows it), because this message must exist even then.
_MINIMAL = "Sorry, I can't answer that at the moment: " + UNAVAILABLE_MARK + ". Please call the clinic."


@functools.lru_cache(maxsize=1)
def unavailable_text() -> str:
    """The fallback message (knowledge/conversation.yml ``service_unavailable``), filled from
    knowledge/clinic.yml and checked with the output guard's dose check.

    Not a domain response: Rasa makes it when a call to the action server has failed, and the REST
    channel when Rasa itself has, so it is filled here, once, with the same guard.
    """
    from bot.replies import squash, wording

    try:
        template = squash(wording("conversation.yml")["service_unavailable"])
        text = template.format_map(reply_fields(load_clinic()))
    except Exception:  # noqa: BLE001 - a broken knowledge/ must not silence the fallback itself
        logger.exception("could not build the action-server fallback from knowledge/")
        return _MINIMAL
    if UNAVAILABLE_MARK not in text or contains_dose_amount(text):
        return _MINIMAL
    return text


def unavailable_message() -> dict[str, str]:
    """The fallback as the bot message Rasa utters (``utter_action`` names it in the tracker)."""
    return {"text": unavailable_text(), "utter_action": "action_server_unavailable"}


def already_said_this_turn(tracker: Any) -> bool:
    """True when this user message already got the fallback (forms call several actions)."""
    this_turn = since_latest_user(list(getattr(tracker, "events", []) or []))
    return any(UNAVAILABLE_MARK in text for text in bot_texts(this_turn))


LOCAL_ACTIONS_ENV = "OIH_LOCAL_ACTIONS"
DEFAULT_LOCAL_ACTIONS = "action_answer_faq,action_clarify,action_follow_up"
#: Modules that define the actions which may run in-process (read-only, no personal data).
LOCAL_ACTION_MODULES = ("actions.faq",)


@functools.lru_cache(maxsize=1)
def local_executor() -> Any:
    """rasa-sdk's ``ActionExecutor`` holding the in-process actions (None when there are none)."""
    names = {n.strip() for n in os.environ.get(LOCAL_ACTIONS_ENV, DEFAULT_LOCAL_ACTIONS).split(",") if n.strip()}
    if not names:
        return None
    from rasa_sdk import Action
    from rasa_sdk.executor import ActionExecutor

    classes: dict[str, type] = {}
    for module_name in LOCAL_ACTION_MODULES:
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:  # noqa: BLE001 - then every action stays on the action server
            logger.error("cannot import %s for in-process actions (%s)", module_name, type(exc).__name__)
            continue
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Action) and value is not Action:
                try:
                    classes[value().name()] = value
                except Exception:  # noqa: BLE001 - abstract helpers and mixins have no name
                    continue
    executor = ActionExecutor()
    for name in sorted(names):
        if name in classes:
            executor.register_action(classes[name])
        else:
            logger.warning("%s names '%s', which is not in %s: it stays on the action server",
                           LOCAL_ACTIONS_ENV, name, ", ".join(LOCAL_ACTION_MODULES))
    logger.info("in-process actions: %s", ", ".join(sorted(executor.actions)) or "none")
    return executor if executor.actions else None


class ResilientNLG(GuardedNLG):
    """The output guard of ``bot.nlg.GuardedNLG``; creating it installs the Rasa seams.

    Named in endpoints.yml / endpoints.prod.yml (``nlg: type: bot.resilience.ResilientNLG``)
    because the NLG is created by every Rasa server whatever its channels, in every Sanic worker
    (Rasa loads the agent in each forked worker), before the first message: the one start-up hook
    Rasa 3.6 gives us in every process that serves patients (bot/rasa_seams.py).
    """

    def __init__(self, endpoint_config: Optional[Any] = None, domain: Optional[Any] = None) -> None:
        rasa_seams.install()
        super().__init__(endpoint_config, domain)
