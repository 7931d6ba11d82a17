"""Start and stop the rasa-sdk action server and the Rasa server as one unit.

Used by ``python -m bot serve`` (what ``make run`` ends in) and by the conversation-test fixture,
so that tests exercise exactly the start-up a clinic uses. Each server runs in its own process
group; stopping sends SIGTERM to the whole group (then SIGKILL after a grace period), so Ctrl-C
never leaves an orphan behind.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterator

from bot.paths import ROOT, VAR_DIR

RASA = str(Path(sys.executable).with_name("rasa"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class ServerSet:
    rasa_port: int
    action_port: int
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def stop(self, grace: float = 10.0) -> None:
        for proc in self.processes:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + grace
        for proc in self.processes:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def server_env(action_port: int, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment both servers share: endpoints.yml reads these variables."""
    env = dict(os.environ)
    env.setdefault("OIH_TRACKER_DB", str(VAR_DIR / "tracker.db"))
    env["ACTION_ENDPOINT_URL"] = f"http://127.0.0.1:{action_port}/webhook"
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("PYTHONPATH", str(ROOT))
    env.update(extra or {})
    return env


def _wait_until_up(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} while starting ({url})")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def start(
    rasa_port: int = 5005,
    action_port: int = 5055,
    model: str = "models",
    endpoints: str = "endpoints.yml",
    credentials: str = "credentials.yml",
    extra_env: dict[str, str] | None = None,
    log: IO[str] | None = None,
    timeout: float = 240.0,
    workers: int = 1,
    start_actions: bool = True,
) -> ServerSet:
    """Start the action server, then Rasa, and return once both answer HTTP."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    env = server_env(action_port, extra_env)
    out = log if log is not None else None
    servers = ServerSet(rasa_port, action_port)
    try:
        if start_actions:
            actions = subprocess.Popen(
                [RASA, "run", "actions", "--actions", "actions", "--port", str(action_port)],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT if out else None,
                start_new_session=True,
            )
            servers.processes.append(actions)
        rasa = subprocess.Popen(
            [
                RASA, "run", "--model", model, "--port", str(rasa_port), "--endpoints", endpoints,
                "--credentials", credentials, "--cors", "*", "--enable-api",
            ],
            cwd=ROOT, env={**env, "SANIC_WORKERS": str(workers)}, stdout=out,
            stderr=subprocess.STDOUT if out else None, start_new_session=True,
        )
        servers.processes.append(rasa)
        if start_actions:
            _wait_until_up(f"http://127.0.0.1:{action_port}/health", actions, timeout)
        _wait_until_up(f"http://127.0.0.1:{rasa_port}/status", rasa, timeout)
    except BaseException:
        servers.stop()
        raise
    return servers


@contextmanager
def running(**kwargs) -> Iterator[ServerSet]:
    servers = start(**kwargs)
    try:
        yield servers
    finally:
        servers.stop()


def serve_forever(rasa_port: int = 5005, action_port: int = 5055, **kwargs) -> int:
    """``make run``: start both, print where to talk to them, stop both on Ctrl-C/SIGTERM."""
    stop_requested = False

    def _stop(signum, frame):  # noqa: ARG001 - signal handler signature
        nonlocal stop_requested
        stop_requested = True

    signal.signal(signal.SIGTERM, _stop)
    print(f"Starting the action server on :{action_port} and Rasa on :{rasa_port} (about a minute)...", flush=True)
    servers = start(rasa_port=rasa_port, action_port=action_port, **kwargs)
    print(
        "\nThe assistant is running.\n"
        f"  Web chat demo page : http://localhost:{rasa_port}/webchat/\n"
        f"  REST               : curl -s localhost:{rasa_port}/webhooks/rest/webhook "
        "-d '{\"sender\":\"a\",\"message\":\"hi\"}'\n"
        "Press Ctrl-C to stop both servers.\n",
        flush=True,
    )
    try:
        while not stop_requested:
            for proc in servers.processes:
                if proc.poll() is not None:
                    print(f"A server exited with code {proc.returncode}; stopping.", flush=True)
                    return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        print("\nStopping...", flush=True)
        servers.stop()
    return 0
