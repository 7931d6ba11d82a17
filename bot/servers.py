"""Start and stop the rasa-sdk action server and the Rasa server as one unit.

Used by ``python -m bot serve`` (what ``make run`` ends in) and by the conversation-test fixture,
so that tests exercise exactly the start-up a clinic uses. Each server runs in its own process
group; stopping sends SIGTERM to the whole group (then SIGKILL after a grace period), so Ctrl-C
never leaves an orphan behind.
"""
from __future__ import annotations

import os
import re
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


#: Interface both servers listen on (default all: a load balancer must reach them). The tests set
#: 127.0.0.1. The action server reads it as SANIC_HOST.
BIND_ENV = "OIH_BIND"
#: When set, Rasa's HTTP API (/conversations/..., /model/...) needs this token (?token=...);
#: the channels' webhooks do not. Set it in production (README, production profile).
API_TOKEN_ENV = "OIH_API_TOKEN"


def server_env(action_port: int, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment both servers share: endpoints.yml reads these variables."""
    env = dict(os.environ)
    env.setdefault("OIH_TRACKER_DB", str(VAR_DIR / "tracker.db"))
    env["ACTION_ENDPOINT_URL"] = f"http://127.0.0.1:{action_port}/webhook"
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # No usage telemetry from a clinic's server (Rasa sends it by default once it has asked).
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("PYTHONPATH", str(ROOT))
    env.update(extra or {})
    if env.get(BIND_ENV):
        env.setdefault("SANIC_HOST", env[BIND_ENV])  # rasa-sdk's action server
    return env


def rasa_env(env: dict[str, str], workers: int = 1) -> dict[str, str]:
    """The Rasa server's own environment: its Sanic workers and TensorFlow's thread pools.

    One TensorFlow thread per pool (unless set otherwise): the one model (DIET, a few hundred
    thousand weights) gains nothing from parallel kernels, while the extra threads compete with
    the Sanic loop and the action server for the cores. Measured with ``make bench`` on 2 cores:
    about +15 % messages/s and a lower p95 at 20 concurrent conversations. Only for Rasa: Rasa's
    CLI imports TensorFlow whenever these are set, so the action server would grow by ~350 MB.
    More throughput on a bigger machine comes from more Sanic workers (production profile).
    """
    out = {**env, "SANIC_WORKERS": str(workers)}
    out.setdefault("TF_INTRA_OP_PARALLELISM_THREADS", "1")
    out.setdefault("TF_INTER_OP_PARALLELISM_THREADS", "1")
    return out


_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
#: Variables of endpoints.prod.yml that may be set to an empty string (e.g. Redis without AUTH).
MAY_BE_EMPTY = frozenset({"OIH_REDIS_PASSWORD"})


def missing_env(endpoints: str, env: dict[str, str]) -> list[str]:
    """The ${VAR}s an endpoints file uses that ``env`` lacks (Rasa would fail to start on them).

    Checked before starting, so ``make run PROFILE=prod`` without the database settings says
    which variables to set instead of a Rasa traceback a minute later.
    """
    path = Path(endpoints) if Path(endpoints).is_absolute() else ROOT / endpoints
    names = {m.group(1) for line in path.read_text(encoding="utf-8").splitlines()
             if not line.lstrip().startswith("#") for m in _ENV_REF.finditer(line)}
    return sorted(n for n in names if n not in env or (env[n] == "" and n not in MAY_BE_EMPTY))


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


def warm_up(url: str, workers: int = 1, token: str = "") -> None:
    """Parse a few messages before declaring the server ready.

    Rasa answers /status before its models have run once; the first message then pays for
    TensorFlow's graph tracing and lazy caches (about a second). /model/parse runs the whole NLU
    pipeline (safety screen included) without touching any conversation. Each Sanic worker is a
    process of its own, and the kernel spreads connections over them, hence a few per worker.
    Failures are ignored: warming up is an optimisation, never a reason not to start.
    """
    import json

    body = json.dumps({"text": "hello, what is oih?"}).encode()
    for _ in range(3 * max(1, workers)):
        request = urllib.request.Request(
            f"{url}/model/parse{token}", data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=60):
                pass
        except OSError:
            return


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
    missing = missing_env(endpoints, env)
    if missing:
        raise RuntimeError(
            f"{endpoints} needs these environment variables: {', '.join(missing)} "
            "(see the README, production profile; for a local try, `eval \"$(python scripts/services.py start)\"`)"
        )
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
                "--interface", env.get(BIND_ENV, "0.0.0.0"),
                *(["--auth-token", env[API_TOKEN_ENV]] if env.get(API_TOKEN_ENV) else []),
            ],
            cwd=ROOT, env=rasa_env(env, workers), stdout=out,
            stderr=subprocess.STDOUT if out else None, start_new_session=True,
        )
        servers.processes.append(rasa)
        if start_actions:
            _wait_until_up(f"http://127.0.0.1:{action_port}/health", actions, timeout)
        token = f"?token={env[API_TOKEN_ENV]}" if env.get(API_TOKEN_ENV) else ""
        _wait_until_up(f"http://127.0.0.1:{rasa_port}/status{token}", rasa, timeout)
        warm_up(f"http://127.0.0.1:{rasa_port}", workers, token)
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
    try:
        servers = start(rasa_port=rasa_port, action_port=action_port, **kwargs)
    except RuntimeError as exc:  # a configuration problem: say what, without a traceback
        print(f"Cannot start: {exc}", file=sys.stderr, flush=True)
        return 2
    print(
        "\nThe assistant is running.\n"
        f"  Web chat demo page : http://localhost:{rasa_port}/  (widget: /webchat/widget.js)\n"
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
