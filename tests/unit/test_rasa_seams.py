"""The Rasa internals bot/rasa_seams.py relies on, pinned; and what each seam does, without servers.

Why: every seam uses a private method, attribute or route of the pinned Rasa. A Rasa upgrade that
moves one would otherwise fail quietly (the FAQ fast path falls back to HTTP with one log line) or
at call time in front of a patient (a new argument to ``RemoteAction.run`` makes every custom
action fail). Each pin below names the seam that needs it; when one fails, read that seam against
the new Rasa before changing the pin.
"""
from __future__ import annotations

import asyncio
import inspect
from pathlib import Path

import pytest

pytest.importorskip("rasa")

import rasa  # noqa: E402
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction, create_bot_utterance  # noqa: E402
from rasa.core.channels.channel import CollectingOutputChannel  # noqa: E402
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator  # noqa: E402
from rasa.core.processor import MessageProcessor  # noqa: E402
from rasa.core.tracker_store import SQLTrackerStore  # noqa: E402
from rasa.engine.graph import GraphComponent  # noqa: E402
from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered  # noqa: E402
from rasa.shared.core.trackers import DialogueStateTracker  # noqa: E402
from rasa.utils.endpoints import EndpointConfig  # noqa: E402

from bot import rasa_seams, resilience  # noqa: E402


def params(func) -> list[str]:
    """Parameter names of the original function (through a wrapper's ``__wrapped__``)."""
    return list(inspect.signature(inspect.unwrap(func)).parameters)


# --- pins ----------------------------------------------------------------------------------------


def test_the_pinned_rasa_is_3_6():
    assert rasa.__version__.startswith("3.6."), "re-check every seam in bot/rasa_seams.py first"


def test_remote_action_private_surface():
    # 2. the RemoteAction.run wrapper: same arguments in, same helpers used for the in-process path
    assert params(RemoteAction.run) == ["self", "output_channel", "nlg", "tracker", "domain"]
    assert params(RemoteAction._action_call_format) == ["self", "tracker", "domain"]
    assert isinstance(inspect.getattr_static(RemoteAction, "_utter_responses"), staticmethod)
    assert params(RemoteAction._utter_responses) == ["responses", "output_channel", "nlg", "tracker"]
    assert params(create_bot_utterance) == ["message"]
    assert params(ActionExecutionRejection.__init__) == ["self", "action_name", "message"]
    # 1. the replaced schema check
    assert params(RemoteAction._validate_action_result) == ["self", "result"]
    assert isinstance(inspect.getattr_static(RemoteAction, "action_response_format_spec"), staticmethod)


def test_rasa_sdk_executor_surface():
    from rasa_sdk.executor import ActionExecutor

    assert params(ActionExecutor.run) == ["self", "action_call"]
    assert params(ActionExecutor.register_action) == ["self", "action"]
    assert isinstance(ActionExecutor().actions, dict)


def test_parse_message_surface():
    # 3. typed buttons
    assert params(MessageProcessor.parse_message) == ["self", "message", "tracker", "only_output_properties"]


def test_sql_tracker_store_private_surface():
    # 4. the engine swap and the data-only read
    assert params(SQLTrackerStore._retrieve) == ["self", "sender_id", "fetch_events_from_all_sessions"]
    assert params(SQLTrackerStore._event_query) == ["self", "session", "sender_id", "fetch_events_from_all_sessions"]
    assert "self._retrieve(" in inspect.getsource(SQLTrackerStore.retrieve)
    assert "self._retrieve(" in inspect.getsource(SQLTrackerStore.retrieve_full_tracker)
    init = inspect.getsource(SQLTrackerStore.__init__)
    assert "self.engine =" in init and "self.sessionmaker =" in init
    assert hasattr(SQLTrackerStore.SQLEvent, "data")


def test_rasa_root_route_is_hello():
    # 5. the demo page at /: the real Rasa app has the route the seam swaps
    import rasa.server

    app = rasa.server.create_app()
    assert [r.handler.__name__ for r in app.router.routes if r.path == "" and "GET" in r.methods] == ["hello"]


def test_fingerprint_addon_surface():
    # 7. CodeFingerprint
    assert isinstance(inspect.getattr_static(GraphComponent, "fingerprint_addon"), classmethod)
    assert params(GraphComponent.fingerprint_addon) == ["config"]


def test_rasa_cli_sets_warnings_through_the_seam():
    # 8. bot/rasa_cli.py: Rasa's main calls the function the seam wraps, by its module-level name
    import rasa.__main__ as rasa_main

    assert "configure_logging_and_warnings(" in inspect.getsource(rasa_main.main)
    assert callable(rasa_main.configure_logging_and_warnings)


def test_channel_overrides_surface():
    """Not moved (they belong to their channel), but private too: bot/channels/slack.py overrides
    ``SlackBot._post_message``; bot/channels/telegram.py skips Rasa's ``TelegramOutput.__init__``
    (which takes only the token) to pass the API server to aiogram's ``Bot``."""
    from aiogram import Bot
    from rasa.core.channels.slack import SlackBot
    from rasa.core.channels.telegram import TelegramOutput

    assert params(SlackBot._post_message) == ["self", "channel", "kwargs"]
    assert params(TelegramOutput.__init__) == ["self", "access_token"]
    assert TelegramOutput.__mro__[1] is Bot


# --- behaviour -----------------------------------------------------------------------------------


def test_install_is_idempotent_and_wraps_once():
    rasa_seams.install()
    run, parse = RemoteAction.run, MessageProcessor.parse_message
    rasa_seams.install()
    assert RemoteAction.run is run and MessageProcessor.parse_message is parse
    assert run._oih_fallback and parse._oih_buttons
    assert RemoteAction._validate_action_result is rasa_seams._validate_action_result


def test_creating_the_nlg_installs_the_seams():
    resilience.ResilientNLG(None, Domain.empty())
    assert getattr(RemoteAction.run, "_oih_fallback", False)


def _run(action: RemoteAction, tracker: DialogueStateTracker) -> list:
    rasa_seams.install()
    nlg = TemplatedNaturalLanguageGenerator({})
    return asyncio.run(action.run(CollectingOutputChannel(), nlg, tracker, Domain.empty()))


def test_an_unreachable_action_server_gets_the_clinic_contact_once_per_turn():
    action = RemoteAction("action_not_local", EndpointConfig("http://127.0.0.1:9/webhook"))
    tracker = DialogueStateTracker.from_events("s", [ActionExecuted("action_listen"), UserUttered("hi")])
    events = _run(action, tracker)
    assert len(events) == 1 and isinstance(events[0], BotUttered)
    assert resilience.UNAVAILABLE_MARK in events[0].text
    tracker.update(events[0])
    assert _run(action, tracker) == []  # a form calls several actions in one turn: one message
    tracker.update(UserUttered("hello again"))
    assert len(_run(action, tracker)) == 1


def test_the_schema_check_is_rasas():
    import jsonschema

    spec = RemoteAction.action_response_format_spec()
    assert rasa_seams._validate_action_result(None, {"events": [], "responses": []})
    bad = {"events": "not a list"}
    with pytest.raises(jsonschema.ValidationError) as ours:
        rasa_seams._validate_action_result(None, bad)
    with pytest.raises(jsonschema.ValidationError) as theirs:
        jsonschema.validate(bad, spec)
    assert ours.value.message.startswith(theirs.value.message)
    assert "Failed to validate Action server response" in ours.value.message


def test_the_data_only_read_returns_what_rasa_reads(tmp_path: Path):
    domain = Domain.empty()
    db = str(tmp_path / "t.db")
    ours = rasa_seams.DataOnlySQLTrackerStore(domain=domain, dialect="sqlite", db=db)
    stock = SQLTrackerStore(domain=domain, dialect="sqlite", db=db)
    tracker = DialogueStateTracker.from_events(
        "s", [ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet"}), BotUttered("hello")]
    )
    asyncio.run(ours.save(tracker))
    for full in (False, True):
        a = asyncio.run(ours._retrieve("s", full))
        b = asyncio.run(stock._retrieve("s", full))
        assert a is not None and [e.as_dict() for e in a.events] == [e.as_dict() for e in b.events]
    assert asyncio.run(ours._retrieve("nobody", False)) is None


def test_use_engine_replaces_engine_and_sessions(tmp_path: Path):
    import sqlalchemy as sa

    store = rasa_seams.DataOnlySQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "t.db"))
    engine = sa.create_engine(store.engine.url)
    store.use_engine(engine)
    assert store.engine is engine and store.sessionmaker.kw["bind"] is engine


def test_root_route_swap():
    from sanic import Sanic, response

    app = Sanic("oih_seam_test")

    @app.get("/")
    async def hello(_):
        return response.text("Hello from Rasa")

    app.router.finalize()
    assert rasa_seams.replace_root_route(app, lambda: "page")
    handler = [r.handler for r in app.router.routes if r.path == ""][0]
    assert asyncio.run(handler(None)) == "page"
    assert not rasa_seams.replace_root_route(app, lambda: "page")  # no `hello` any more


def test_code_fingerprint_follows_the_files(tmp_path: Path):
    code = tmp_path / "a.py"
    code.write_text("x = 1\n")

    class Component(rasa_seams.CodeFingerprint):
        @classmethod
        def fingerprint_files(cls) -> list[Path]:
            return [code]

    before = Component.fingerprint_addon({})
    assert before == Component.fingerprint_addon({"any": "config"})
    code.write_text("x = 2\n")
    assert Component.fingerprint_addon({}) != before


def test_topic_classifier_fingerprints_its_code_and_knowledge():
    from bot.components.topic_classifier import TopicClassifier

    files = TopicClassifier.fingerprint_files()
    assert Path(inspect.getfile(TopicClassifier)) in files
    assert any(p.suffix == ".yml" for p in files) and any(p.parent.name == "understanding" for p in files)
    assert TopicClassifier.fingerprint_addon({}) == rasa_seams.files_digest(files)


def test_the_warning_hook_runs_after_rasas_filters_and_wraps_once():
    import warnings

    import rasa.__main__ as rasa_main

    calls = []
    original = rasa_main.configure_logging_and_warnings
    try:
        rasa_seams.after_rasa_sets_warning_filters(lambda: calls.append(len(warnings.filters)))
        wrapped = rasa_main.configure_logging_and_warnings
        rasa_seams.after_rasa_sets_warning_filters(lambda: calls.append("twice"))
        assert rasa_main.configure_logging_and_warnings is wrapped
        with warnings.catch_warnings():
            wrapped(None, None, warn_only_once=True, filter_repeated_logs=False)
        assert len(calls) == 1 and calls[0] != "twice"
    finally:
        rasa_main.configure_logging_and_warnings = original


def test_rasa_cli_hides_third_party_deprecations_only(monkeypatch):
    import warnings

    from bot import rasa_cli

    monkeypatch.setenv("SQLALCHEMY_SILENCE_UBER_WARNING", "1")  # restored after the test
    with warnings.catch_warnings():
        rasa_cli.quiet_third_party_deprecations()
        action, _, category, module, _ = warnings.filters[0]
        assert (action, category) == ("ignore", DeprecationWarning)
        for theirs in ("rasa.core.tracker_store", "pkg_resources", "botocore", "actionsx"):
            assert module.match(theirs)
        for ours in ("bot", "bot.nlg", "actions.faq", "__main__"):
            assert not module.match(ours)
