"""One real action server + one real Rasa server per test session, talked to over REST.

The servers run on free ports with their own tracker database, referrals database and var/
folder in a temporary directory, so tests never touch a developer's data. Their combined log is
kept in that folder and printed when start-up fails.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any, Iterator

import pytest
import requests

from bot import servers
from bot.training import model_path

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
    with open(log_path, "w") as log:
        try:
            running = servers.start(
                rasa_port=servers.free_port(), action_port=servers.free_port(), extra_env=env,
                log=log, endpoints=endpoints, model=str(model_path()),
            )
        except Exception as exc:  # show why the servers did not come up
            log.flush()
            pytest.fail(f"servers did not start: {exc}\n--- log tail ---\n{log_path.read_text()[-4000:]}")
        try:
            yield Chat(running.url, var_dir, referrals_url)
        finally:
            running.stop()


@pytest.fixture
def sender() -> str:
    """A fresh conversation id per test, so tests never share state."""
    return f"test-{uuid.uuid4().hex[:12]}"
