"""Shared pytest set-up: the repository root on sys.path, quiet TensorFlow, and the real servers.

The ``chat`` fixture starts one real action server + one real Rasa server per test session,
talked to over REST. It lives here (not in tests/conversation/) because tests/web drives the same
servers with a browser.

The servers run on free ports with their own tracker database, referrals database and var/
folder in a temporary directory, so tests never touch a developer's data. Their combined log is
kept in that folder and printed when start-up fails.
"""
from __future__ import annotations

import os
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # noqa: E402
import requests  # noqa: E402

from bot import servers  # noqa: E402
from bot.training import model_path  # noqa: E402

PROFILE = os.environ.get("OIH_TEST_PROFILE", "default")


class Chat:
    """A REST client for one running assistant."""

    def __init__(self, url: str, var_dir: Path, referrals_url: str) -> None:
        self.url = url
        self.var_dir = var_dir
        self.referrals_url = referrals_url

    def send(self, sender: str, message: str, timeout: float = 30) -> list[dict[str, Any]]:
        resp = requests.post(
            f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=timeout
        )
        resp.raise_for_status()
        return resp.json()

    def texts(self, sender: str, message: str) -> list[str]:
        return [m.get("text", "") for m in self.send(sender, message)]

    def tracker(self, sender: str) -> dict[str, Any]:
        resp = requests.get(f"{self.url}/conversations/{sender}/tracker", timeout=30)
        resp.raise_for_status()
        return resp.json()


# The session's `chat` servers, so that a test module needing a differently configured server set
# (tests/conversation/test_channels.py) can pause them: the CI machine has two cores, and two
# server sets at once make both slow. Restarted on the same ports, so `chat.url` stays valid.
_SESSION_SERVERS: dict[str, Any] = {}


@contextmanager
def session_servers_paused() -> Iterator[None]:
    """Stop the session's `chat` servers (if running) for the duration; restart them after."""
    running: servers.ServerSet | None = _SESSION_SERVERS.get("servers")
    restart: Callable[[], servers.ServerSet] | None = _SESSION_SERVERS.get("restart")
    if running is None or restart is None:
        yield
        return
    running.stop()
    _SESSION_SERVERS["servers"] = None
    try:
        yield
    finally:
        _SESSION_SERVERS["servers"] = restart()


@pytest.fixture(scope="session")
def pause_session_servers() -> Callable[[], Any]:
    """``with pause_session_servers(): ...`` runs a block with the `chat` servers stopped."""
    return session_servers_paused


@pytest.fixture(scope="session")
def server_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("servers")


@pytest.fixture(scope="session")
def chat(server_dir: Path) -> Iterator[Chat]:
    if not model_path().exists():
        pytest.fail("No trained model: run `make test` (it trains first) or `python -m bot train`.")
    var_dir = server_dir / "var"
    referrals_url = f"sqlite:///{server_dir / 'referrals.db'}"
    env = {
        "OIH_VAR_DIR": str(var_dir),
        "OIH_TRACKER_DB": str(server_dir / "tracker.db"),
        "OIH_REFERRALS_DB_URL": referrals_url,
    }
    endpoints = "endpoints.prod.yml" if PROFILE == "prod" else "endpoints.yml"
    log_path = server_dir / "servers.log"
    rasa_port, action_port = servers.free_port(), servers.free_port()
    with open(log_path, "w") as log:

        def start() -> servers.ServerSet:
            try:
                return servers.start(
                    rasa_port=rasa_port, action_port=action_port, extra_env=env,
                    log=log, endpoints=endpoints, model=str(model_path()),
                )
            except Exception as exc:  # show why the servers did not come up
                log.flush()
                pytest.fail(f"servers did not start: {exc}\n--- log tail ---\n{log_path.read_text()[-4000:]}")

        _SESSION_SERVERS.update(servers=start(), restart=start)
        try:
            yield Chat(f"http://127.0.0.1:{rasa_port}", var_dir, referrals_url)
        finally:
            running = _SESSION_SERVERS.pop("servers", None)
            _SESSION_SERVERS.pop("restart", None)
            if running is not None:
                running.stop()


@pytest.fixture
def sender() -> str:
    """A fresh conversation id per test, so tests never share state."""
    return f"test-{uuid.uuid4().hex[:12]}"
