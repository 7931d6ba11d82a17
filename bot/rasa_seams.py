"""Every place this assistant reaches into Rasa's internals, in one module.

Rasa 3.6 offers no plug-in point for what these do, so each one relies on a private method, an
attribute or a route name of the pinned ``rasa==3.6.21``. Keeping them here means a Rasa upgrade
has one file to review, and ``tests/unit/test_rasa_seams.py`` pins the signature or attribute each
one relies on, so an upgrade that moves one fails that test instead of failing in front of a
patient. What each seam is *for* lives with its reason to change (``bot.resilience``,
``bot.typed_buttons``, ``bot.tracker_store``, the channels); only the hooking lives here.

Patches of Rasa classes, installed by ``install()`` (idempotent, once per process):

1. ``RemoteAction._validate_action_result`` replaced: the same schema check with a validator
   built once (``_validate_action_result``).
2. ``RemoteAction.run`` wrapped: the FAQ fast path and "never silence" of ``bot.resilience``.
   Relies on ``run(self, output_channel, nlg, tracker, domain)``, ``_action_call_format``,
   ``_utter_responses`` and ``create_bot_utterance``.
3. ``MessageProcessor.parse_message`` wrapped: a typed button label counts as pressing that button
   (``bot.typed_buttons``). Relies on ``parse_message(self, message, tracker, only_output_properties)``.

``install()`` runs from ``bot.resilience.ResilientNLG.__init__``. That is on purpose, not an import
side effect: ``python -m bot serve`` starts ``rasa run`` as a child process, and with several
Sanic workers Rasa forks them and loads the agent (and so creates the NLG named in
endpoints.yml / endpoints.prod.yml) in *each* worker, before it serves a message. The NLG is the
one object of ours that every Rasa process creates whatever its channels, so its constructor is
the start-up hook. The health of the hook is tested end to end (tests/reliability/test_faults.py:
FAQ answers and the clinic-contact fallback with the action server down).

Subclass overrides and hooks, used by the classes Rasa loads from our config files:

4. ``DataOnlySQLTrackerStore``: replaces ``SQLTrackerStore.engine``/``sessionmaker`` after Rasa's
   ``__init__`` and overrides the private ``_retrieve`` through ``_event_query``, ``SQLEvent`` and
   ``session_scope`` (bot/tracker_store.py builds on it).
5. ``replace_root_route``: swaps the handler of Rasa's ``hello`` route at ``/`` (web chat demo page).
6. ``freeze_startup_objects``: ``gc.freeze()`` once the model is loaded (a REST channel listener).
7. ``CodeFingerprint``: ``GraphComponent.fingerprint_addon`` from the code and data a component
   depends on (Rasa's training cache fingerprints only config and training data).
8. ``after_rasa_sets_warning_filters``: wraps ``rasa.__main__.configure_logging_and_warnings``
   (bot/rasa_cli.py, the command line ``serve`` and ``train`` start Rasa with).
"""
from __future__ import annotations

import functools
import gc
import hashlib
import json
import logging
import time
from pathlib import Path
from typing import Any, Callable, Iterable, List, Optional

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import sessionmaker

logger = logging.getLogger(__name__)


def install() -> None:
    """Install the patches 1-3 once per process (idempotent). See the module docstring for when."""
    _install_typed_buttons()
    _install_remote_action()


# --- 1. the action-response schema, checked once -------------------------------------------------


@functools.lru_cache(maxsize=1)
def _action_response_validator() -> Any:
    """Rasa's action-response schema, checked once, as a ready validator."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    spec = RemoteAction.action_response_format_spec()
    cls = validator_for(spec)
    cls.check_schema(spec)
    return cls(spec)


def _validate_action_result(self: Any, result: Any) -> bool:
    """``RemoteAction._validate_action_result`` without re-checking the schema on every call.

    Rasa 3.6 calls ``jsonschema.validate(result, schema)``, which first validates the (constant)
    schema against the JSON Schema meta-schema: measured with py-spy, that was about 9 ms of CPU
    per custom-action call, 20-40 % of Rasa's CPU on FAQ answers. Same check, same error (the
    best-matching one, as ``jsonschema.validate`` raises), same message as Rasa's.
    """
    from jsonschema import ValidationError
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    error = best_match(_action_response_validator().iter_errors(result))
    if error is None:
        return True
    assert isinstance(error, ValidationError)
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from the "
        f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


# --- 2. RemoteAction.run: in-process FAQ actions, never silence ----------------------------------


async def _run_in_process(self: Any, executor: Any, output_channel: Any, nlg: Any, tracker: Any,
                          domain: Any) -> List[Any]:
    """``RemoteAction.run`` without the HTTP hop: same payload, same checks on the result."""
    from rasa.core.actions.action import ActionExecutionRejection
    from rasa.shared.core import events as core_events
    from rasa_sdk.interfaces import ActionExecutionRejection as SdkRejection

    payload = self._action_call_format(tracker, domain)
    try:
        response = await executor.run(payload) or {"events": [], "responses": []}
    except SdkRejection as exc:
        raise ActionExecutionRejection(self.name(), exc.message) from exc
    self._validate_action_result(response)
    bot_messages = await self._utter_responses(response.get("responses", []), output_channel, nlg, tracker)
    return list(bot_messages) + list(core_events.deserialise_events(response.get("events", [])))


def _install_remote_action() -> None:
    """Wrap ``RemoteAction.run`` once per process; use the cached schema validator."""
    from rasa.core.actions.action import ActionExecutionRejection, RemoteAction, create_bot_utterance

    from bot import resilience

    if getattr(RemoteAction.run, "_oih_fallback", False):
        return
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    original = RemoteAction.run

    @functools.wraps(original)
    async def run(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> List[Any]:
        executor = resilience.local_executor()
        if executor is not None and self.name() in executor.actions:
            try:
                return await _run_in_process(self, executor, output_channel, nlg, tracker, domain)
            except ActionExecutionRejection:
                raise
            except Exception as exc:  # noqa: BLE001 - then the action server gets its chance
                logger.error("in-process action '%s' failed (%s); calling the action server",
                             self.name(), type(exc).__name__)
        try:
            return await original(self, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure of the action server, by design
            # The action name and error class only: never the conversation (it may hold a phone
            # number or an e-mail address).
            logger.error(
                "action server failed on '%s' (%s); sent the clinic-contact fallback",
                self.name(), type(exc).__name__,
            )
            if resilience.already_said_this_turn(tracker):
                return []
            return [create_bot_utterance(resilience.unavailable_message())]

    run._oih_fallback = True  # type: ignore[attr-defined]
    RemoteAction.run = run  # type: ignore[method-assign]


# --- 3. MessageProcessor.parse_message: typed button labels --------------------------------------


def _install_typed_buttons() -> None:
    """Wrap ``MessageProcessor.parse_message`` once per process (idempotent)."""
    from rasa.core.channels.channel import UserMessage
    from rasa.core.processor import MessageProcessor

    from bot.typed_buttons import pressed_payload

    original = MessageProcessor.parse_message
    if getattr(original, "_oih_buttons", False):
        return

    @functools.wraps(original)
    async def parse_message(self: Any, message: Any, tracker: Any = None, only_output_properties: bool = True) -> Any:
        if tracker is not None and message.text:
            payload = pressed_payload(message.text, [e.as_dict() for e in list(tracker.events)[-12:]])
            if payload is not None:
                pressed = UserMessage(payload, message.output_channel, message.sender_id,
                                      input_channel=message.input_channel, metadata=message.metadata)
                parsed = await original(self, pressed, tracker, only_output_properties)
                parsed["text"] = message.text
                return parsed
        return await original(self, message, tracker, only_output_properties)

    parse_message._oih_buttons = True  # type: ignore[attr-defined]
    MessageProcessor.parse_message = parse_message  # type: ignore[method-assign]


# --- 4. the SQL tracker store: own engine, data-only reads ---------------------------------------


class DataOnlySQLTrackerStore(SQLTrackerStore):
    """Rasa's ``SQLTrackerStore`` whose engine can be replaced and whose reads skip the ORM."""

    def use_engine(self, engine: Any) -> None:
        """Serve from ``engine`` instead of the one Rasa's ``__init__`` made (which is disposed).

        Rasa 3.6 builds its engine inside ``__init__`` with no way to pass pool options, so the
        only way to add them is to swap ``engine`` and ``sessionmaker`` afterwards.
        """
        old = self.engine
        self.engine = engine
        self.sessionmaker = sessionmaker(bind=self.engine)
        old.dispose()

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        """Rasa's ``_retrieve`` reading only the ``data`` column.

        Same query and result; Rasa builds a full ORM object per event and then reads only its
        ``data``, which was ~10 % of the server's CPU per message (py-spy, ``make bench``).
        """
        with self.session_scope() as session:
            rows = (
                self._event_query(session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions)
                .with_entities(self.SQLEvent.data)
                .all()
            )
            events = [json.loads(data) for (data,) in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None


# --- 5. the root route ---------------------------------------------------------------------------


def replace_root_route(app: Any, page: Callable[[], Any]) -> bool:
    """Serve ``page()`` at ``/`` instead of Rasa's plain-text greeting.

    Rasa adds its ``GET /`` route ("Hello from Rasa: <version>") before channels are registered,
    and Sanic refuses a second route for the same path. The router is finalised before
    ``before_server_start`` runs but reads ``route.handler`` on every request, so swapping the
    handler of that one route (and only if it is Rasa's ``hello``) is enough. If Rasa changes
    this, the page simply stays at ``/webchat/`` and a warning is logged.
    """
    for route in app.router.routes:
        if route.path == "" and "GET" in route.methods and getattr(route.handler, "__name__", "") == "hello":

            async def root_page(request: Any) -> Any:  # noqa: ARG001
                return page()

            route.handler = root_page
            return True
    logger.warning("Could not serve the demo page at '/': it is at /webchat/ instead.")
    return False


# --- 6. gc.freeze after start-up -----------------------------------------------------------------


def freeze_startup_objects() -> None:
    """Move everything loaded at start-up (TensorFlow, the model, the domain) out of the GC's way.

    Python's full garbage collection walks every tracked object; with TensorFlow and the model
    loaded that is millions of objects, and a full collection stalled the server for ~0.3 s now
    and then (the p99 latency of ``make bench``). ``gc.freeze()`` (Python 3.7+) moves all objects
    that exist now into a permanent generation the collector skips; what is allocated per message
    is still collected as usual. Runs once per Sanic worker, after the model is loaded (from the
    REST channel's ``after_server_start`` listener, bot/channels/rest.py).
    """
    started = time.perf_counter()
    gc.freeze()
    logger.info("gc: froze %d start-up objects in %.2f s", gc.get_freeze_count(), time.perf_counter() - started)


# --- 7. the training-cache fingerprint -----------------------------------------------------------


def files_digest(paths: Iterable[Path]) -> str:
    """SHA-256 over the bytes of ``paths``, in the order given."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


class CodeFingerprint:
    """Mixin for a Rasa ``GraphComponent``: its training-cache key includes ``fingerprint_files()``.

    Rasa fingerprints only a component's config and training data, so without this its cache
    hands back a model trained by older code.
    """

    @classmethod
    def fingerprint_files(cls) -> List[Path]:
        raise NotImplementedError

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> Optional[str]:
        return files_digest(cls.fingerprint_files())


# --- 8. warning filters after Rasa's own --------------------------------------------------------


def after_rasa_sets_warning_filters(hook: Callable[[], None]) -> None:
    """Call ``hook`` right after Rasa's command line has set its warning filters.

    ``rasa.__main__.main`` calls ``configure_logging_and_warnings`` (imported into its module)
    before it runs the command; whatever filters it adds go in front of any set earlier.
    """
    import rasa.__main__ as rasa_main

    original = rasa_main.configure_logging_and_warnings
    if getattr(original, "_oih_after", False):
        return

    @functools.wraps(original)
    def configure(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        hook()
        return result

    configure._oih_after = True  # type: ignore[attr-defined]
    rasa_main.configure_logging_and_warnings = configure
