"""Start and stop the rasa-sdk action server and the Rasa server as one unit.

Used by ``python -m bot serve`` (what ``make run`` ends in) and by the conversation-test fixture,
so that tests exercise exactly the start-up a clinic uses. Each server runs in its own process
group that dies with its starter and is stopped as a whole (bot/processes.py), so neither Ctrl-C
nor a killed ``serve`` leaves an orphan behind.
"""
from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterator

from bot.paths import ROOT, VAR_DIR
from bot.processes import Watchdog, group_watchdog, start_group, stop_groups

#: Rasa's command line without third-party deprecation noise (bot/rasa_cli.py).
RASA = [sys.executable, "-m", "bot.rasa_cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: Seconds a server may take to answer after it starts. Only a ceiling for a server that never
#: comes up: on a quiet machine Rasa loads in about a minute, but four instances loading the model
#: and the safety net at once on two cores that other jobs also load took 244 s (round forty-nine's
#: clean-clone CI beside the newcomer check), past the old 240 s.
START_TIMEOUT = 480.0


@dataclass
class ServerSet:
    """Running servers (process groups, bot/processes.py): the action server first, then Rasa."""

    rasa_port: int
    action_port: int
    processes: list[subprocess.Popen] = field(default_factory=list)
    #: What ``wait_ready`` waits for: (health URL, the process serving it).
    health: list[tuple[str, subprocess.Popen]] = field(default_factory=list)
    workers: int = 1
    rest_token: str = ""
    #: Stop the groups if whoever started them dies first (bot/processes.py ``group_watchdog``).
    watchdogs: list[Watchdog] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        """Return once every server answers HTTP and Rasa has been warmed up."""
        for url, proc in self.health:
            _wait_until_up(url, proc, timeout)
        warm_up(self.url, self.workers, self.rest_token)

    def stop(self, grace: float = 10.0) -> None:
        stop_groups(self.processes, grace)
        while self.watchdogs:
            self.watchdogs.pop().disarm()


#: Interface Rasa listens on while its HTTP API is off (default all: the channels are public; the
#: tests set 127.0.0.1). Only the channels' routes exist then: /webhooks/*, /webchat/*, /staff, /.
BIND_ENV = "OIH_BIND"
#: Rasa's HTTP API (/conversations/..., /model/...) is OFF unless this token is set (closed by
#: default, security review C1/C2). With it, Rasa gets ``--enable-api --auth-token`` and listens on
#: OIH_API_INTERFACE (default 127.0.0.1: the API reads and writes every conversation).
API_TOKEN_ENV = "OIH_API_TOKEN"
API_INTERFACE_ENV = "OIH_API_INTERFACE"
#: The action server listens on OIH_ACTIONS_INTERFACE (default 127.0.0.1) and answers only requests
#: carrying OIH_ACTIONS_SECRET in the X-OIH-Actions-Secret header (rasa_sdk_plugins/). When unset,
#: ``start`` makes a random one for this run and gives it to both servers; listening elsewhere than
#: loopback without setting one is refused (several machines must share it).
ACTIONS_INTERFACE_ENV = "OIH_ACTIONS_INTERFACE"
ACTIONS_SECRET_ENV = "OIH_ACTIONS_SECRET"
#: Largest HTTP request body (bytes) Rasa and the action server read (Sanic's default is 100 MB).
#: Rasa: the channels carry at most a 1,000-character message. The action server gets the whole
#: conversation with every call, so it gets more room.
RASA_MAX_REQUEST_ENV = "OIH_MAX_REQUEST_BYTES"
ACTIONS_MAX_REQUEST_ENV = "OIH_ACTIONS_MAX_REQUEST_BYTES"
DEFAULT_RASA_MAX_REQUEST = 64 * 1024
DEFAULT_ACTIONS_MAX_REQUEST = 4 * 1024 * 1024
MIN_SECRET_CHARS = 32
LOOPBACK = ("127.0.0.1", "::1", "localhost")


class ConfigError(RuntimeError):
    """A setting that would open something it should not: refuse to start, say which and why."""


def _secret(env: dict[str, str], name: str) -> str:
    value = env.get(name, "").strip()
    if value and len(value) < MIN_SECRET_CHARS:
        raise ConfigError(
            f"{name} must be at least {MIN_SECRET_CHARS} characters "
            "(e.g. python -c \"import secrets; print(secrets.token_urlsafe(32))\")"
        )
    return value


def rasa_args(env: dict[str, str]) -> tuple[list[str], str]:
    """The API-related arguments of ``rasa run`` and the interface, from the environment.

    Never ``--enable-api`` without a token of at least 32 characters, never ``--cors`` (the web
    chat sets its own CORS headers on its routes only, for OIH_ALLOWED_ORIGINS: bot/channels/webchat.py).
    """
    token = _secret(env, API_TOKEN_ENV)
    if not token:
        return [], env.get(BIND_ENV) or "0.0.0.0"
    return ["--enable-api", "--auth-token", token], env.get(API_INTERFACE_ENV) or "127.0.0.1"


def actions_interface(env: dict[str, str]) -> str:
    host = env.get(ACTIONS_INTERFACE_ENV) or "127.0.0.1"
    if host not in LOOPBACK and not _secret(env, ACTIONS_SECRET_ENV):
        raise ConfigError(
            f"the action server would listen on {host} without {ACTIONS_SECRET_ENV}: set it (at least "
            f"{MIN_SECRET_CHARS} characters, the same on Rasa's machines) or leave {ACTIONS_INTERFACE_ENV} unset"
        )
    return host


def secure_var_dir(path: Path) -> None:
    """var/ readable by the service user only: 0700, and the files in it 0600 (review M4).

    New files are created 0600 because both servers run with umask 077; this fixes files created
    before that (or copied in).
    """
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    for child in path.iterdir():
        if child.is_file() and not child.is_symlink():
            os.chmod(child, 0o600)


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
    env["SANIC_HOST"] = actions_interface(env)  # rasa-sdk's action server
    if not env.get(ACTIONS_SECRET_ENV):
        env[ACTIONS_SECRET_ENV] = secrets.token_urlsafe(32)  # this run only; endpoints.yml sends it
    env.setdefault("SANIC_REQUEST_MAX_SIZE", env.get(RASA_MAX_REQUEST_ENV) or str(DEFAULT_RASA_MAX_REQUEST))
    return env


def actions_env(env: dict[str, str]) -> dict[str, str]:
    """The action server's environment: a larger request cap (it receives the whole tracker)."""
    size = env.get(ACTIONS_MAX_REQUEST_ENV) or str(DEFAULT_ACTIONS_MAX_REQUEST)
    return {**env, "SANIC_REQUEST_MAX_SIZE": size, ACTIONS_MAX_REQUEST_ENV: size}


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


def warm_up(url: str, workers: int = 1, rest_token: str = "") -> None:
    """Send a few messages before declaring the server ready.

    Rasa answers before its models have run once; the first message then pays for TensorFlow's
    graph tracing and lazy caches (about a second). The messages go through the REST channel (the
    HTTP API, which has /model/parse, is usually off) as one reserved conversation,
    ``rest:oih-warm-up``, which holds no personal data and is removed by ``python -m bot purge``
    like any other. Each Sanic worker is a process of its own, and the kernel spreads connections
    over them, hence a few per worker. Failures are ignored: warming up is an optimisation, never a
    reason not to start.
    """
    import json

    body = json.dumps({"sender": "oih-warm-up", "message": "hello, what is oih?"}).encode()
    headers = {"Content-Type": "application/json"}
    if rest_token:
        headers["Authorization"] = f"Bearer {rest_token}"
    for _ in range(3 * max(1, workers)):
        request = urllib.request.Request(f"{url}/webhooks/rest/webhook", data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=60):
                pass
        except OSError:
            return


def launch(
    rasa_port: int = 5005,
    action_port: int = 5055,
    model: str = "models/oih.tar.gz",
    endpoints: str = "endpoints.yml",
    credentials: str = "credentials.yml",
    extra_env: dict[str, str] | None = None,
    log: IO[str] | None = None,
    workers: int = 1,
    start_actions: bool = True,
) -> ServerSet:
    """Start the action server (unless ``start_actions`` is false) and Rasa; return at once.

    Separate from waiting (``ServerSet.wait_ready``) so that several instances can start together
    from the main thread, the only one whose children keep the parent-death signal for as long as
    the process lives (bot/processes.py ``start_group``).
    """
    env = server_env(action_port, extra_env)
    api_args, interface = rasa_args(env)
    secure_var_dir(Path(env.get("OIH_VAR_DIR") or VAR_DIR))
    missing = missing_env(endpoints, env)
    if missing:
        raise RuntimeError(
            f"{endpoints} needs these environment variables: {', '.join(missing)} "
            "(see docs/operations.md, production profile; for a local try, `eval \"$(python scripts/services.py start)\"`)"
        )
    output: dict[str, Any] = {"stdout": log, "stderr": subprocess.STDOUT if log is not None else None}
    servers = ServerSet(rasa_port, action_port, workers=workers, rest_token=env.get("OIH_REST_TOKEN", ""))
    try:
        if start_actions:
            actions = start_group(
                [*RASA, "run", "actions", "--actions", "actions", "--port", str(action_port)],
                cwd=ROOT, env=actions_env(env), umask=0o077, **output,
            )
            servers.processes.append(actions)
            servers.health.append((f"http://127.0.0.1:{action_port}/health", actions))
        rasa = start_group(
            [
                *RASA, "run", "--model", model, "--port", str(rasa_port), "--endpoints", endpoints,
                "--credentials", credentials, "--interface", interface, *api_args,
            ],
            cwd=ROOT, env=rasa_env(env, workers), umask=0o077, **output,
        )
        servers.processes.append(rasa)
        # The REST channel's health route exists whether or not the API is on; warming up goes
        # through the channel too (a throw-away conversation), never through the API.
        servers.health.append((f"http://127.0.0.1:{rasa_port}/webhooks/rest/", rasa))
        servers.watchdogs.append(group_watchdog(servers.processes))
    except BaseException:
        servers.stop()
        raise
    return servers


def start(timeout: float = START_TIMEOUT, **kwargs: Any) -> ServerSet:
    """``launch`` (same arguments), then return once both answer HTTP; stopped again on failure."""
    servers = launch(**kwargs)
    try:
        servers.wait_ready(timeout)
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


def _clinic_ready(endpoints: str, profile: str | None) -> bool:
    """False (with the reason printed) when the production profile would start with the example
    clinic of knowledge/clinic.yml; a loud warning and True for the default profile."""
    from bot.clinic_check import placeholder_problems, profile_of, refusal, warning
    from bot.knowledge import cached_clinic

    try:
        chosen = profile_of(endpoints, os.environ, profile)
    except ValueError as exc:
        print(f"Cannot start: {exc}", file=sys.stderr, flush=True)
        return False
    problems = placeholder_problems(cached_clinic())
    if problems and chosen == "prod":
        print(refusal(problems), file=sys.stderr, flush=True)
        return False
    if problems:
        print(warning(problems), file=sys.stderr, flush=True)
    return True


def serve_forever(rasa_port: int = 5005, action_port: int = 5055, profile: str | None = None, **kwargs) -> int:
    """``make run``: start both, print where to talk to them, stop both on Ctrl-C/SIGTERM."""
    stop_requested = False

    def _stop(signum, frame):  # noqa: ARG001 - signal handler signature
        nonlocal stop_requested
        stop_requested = True

    # Our own handlers for both: when `serve` starts with SIGINT ignored (a background job,
    # nohup, some CI runners and process managers), Python's default KeyboardInterrupt never
    # comes, and Ctrl-C would do nothing (issue 15).
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    if not _clinic_ready(kwargs.get("endpoints", "endpoints.yml"), profile):
        return 2
    print(f"Starting the action server on :{action_port} and Rasa on :{rasa_port} (about a minute)...", flush=True)
    try:
        servers = start(rasa_port=rasa_port, action_port=action_port, **kwargs)
    except RuntimeError as exc:  # a configuration problem (ConfigError too): say what, no traceback
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
