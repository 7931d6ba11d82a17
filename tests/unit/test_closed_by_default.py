"""Closed by default (security review C1, H2): what `python -m bot serve` opens, and the action guard."""
from __future__ import annotations

import json
import zlib

import pytest

from bot import action_guard, servers

TOKEN = "t" * 32


def test_api_is_off_without_a_token():
    args, interface = servers.rasa_args({})
    assert "--enable-api" not in args and "--cors" not in args
    assert interface == "0.0.0.0"  # the channels are public; nothing else exists on that port


def test_api_with_a_token_is_on_loopback_unless_told_otherwise():
    args, interface = servers.rasa_args({"OIH_API_TOKEN": TOKEN, "OIH_BIND": "0.0.0.0"})
    assert args == ["--enable-api", "--auth-token", TOKEN] and interface == "127.0.0.1"
    assert servers.rasa_args({"OIH_API_TOKEN": TOKEN, "OIH_API_INTERFACE": "10.0.0.5"})[1] == "10.0.0.5"


def test_short_api_token_refuses_to_start():
    with pytest.raises(servers.ConfigError, match="at least 32"):
        servers.rasa_args({"OIH_API_TOKEN": "short"})


def test_action_server_on_loopback_by_default_and_gets_a_secret_per_run():
    env = servers.server_env(5055, {})
    assert env["SANIC_HOST"] == "127.0.0.1"
    assert len(env["OIH_ACTIONS_SECRET"]) >= 32
    assert int(env["SANIC_REQUEST_MAX_SIZE"]) <= 64 * 1024
    assert int(servers.actions_env(env)["SANIC_REQUEST_MAX_SIZE"]) > int(env["SANIC_REQUEST_MAX_SIZE"])


def test_action_server_elsewhere_needs_a_secret():
    with pytest.raises(servers.ConfigError, match="OIH_ACTIONS_SECRET"):
        servers.actions_interface({"OIH_ACTIONS_INTERFACE": "0.0.0.0"})
    assert servers.actions_interface({"OIH_ACTIONS_INTERFACE": "0.0.0.0", "OIH_ACTIONS_SECRET": "s" * 32}) == "0.0.0.0"


def test_model_is_loaded_by_name():
    import inspect

    assert inspect.signature(servers.launch).parameters["model"].default == "models/oih.tar.gz"


def test_guard_refuses_unguarded_public_start():
    with pytest.raises(RuntimeError):
        action_guard.check_startup({})  # rasa-sdk's default host is 0.0.0.0
    assert action_guard.check_startup({"SANIC_HOST": "127.0.0.1"}) == ""
    with pytest.raises(RuntimeError):
        action_guard.check_startup({"SANIC_HOST": "127.0.0.1", "OIH_ACTIONS_SECRET": "short"})


CALL = json.dumps({"next_action": "action_forget_me", "tracker": {"sender_id": "x"}}).encode()


def check(headers: dict, body: bytes = CALL, secret: str = "s" * 32, path: str = "/webhook") -> int:
    try:
        action_guard.check_request("POST", path, headers, body, secret, 1024 * 1024)
    except action_guard.GuardError as exc:
        return exc.status
    return 200


def test_guard_needs_the_secret_and_a_well_formed_call():
    good = {"X-OIH-Actions-Secret": "s" * 32}
    assert check({}) == 403
    assert check({"X-OIH-Actions-Secret": "s" * 31 + "t"}) == 403
    assert check(good) == 200
    assert check(good, b"[1, 2]") == 400
    assert check(good, b"{not json") == 400
    assert check(good, b'{"next_action": "x"}') == 400
    assert check({}, b"", path="/health") == 403  # POST /health is not the health check
    action_guard.check_request("GET", "/health", {}, b"", "s" * 32, 10)  # GET /health stays open


def test_guard_caps_deflate_bodies():
    good = {"X-OIH-Actions-Secret": "s" * 32, "Content-Encoding": "deflate"}
    assert check(good, zlib.compress(CALL)) == 200
    bomb = zlib.compress(b"{" + b" " * (20 * 1024 * 1024) + b"}")
    assert len(bomb) < 64 * 1024
    assert check(good, bomb) == 413
    assert check(good, b"not deflate") == 400
    assert check({**good, "Content-Encoding": "gzip"}, CALL) == 415
