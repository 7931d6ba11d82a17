"""Shared pytest set-up: the repository root on sys.path, quiet TensorFlow, and the real servers.

The ``chat`` fixture starts one real action server + one real Rasa server per test session,
talked to over REST. It lives here (not in tests/conversation/) because tests/web drives the same
servers with a browser.

The servers run on free ports with their own tracker database, referrals database and var/
folder in a temporary directory, so tests never touch a developer's data. Their combined log is
kept in that folder and printed when start-up fails.

``OIH_TEST_PROFILE=prod`` runs the same tests against the production profile (endpoints.prod.yml):
PostgreSQL tracker store and referrals, Redis lock store, ``OIH_TEST_INSTANCES`` (default 2) Rasa
instances with ``OIH_TEST_WORKERS`` (default 2) Sanic workers each, sharing one action server;
``Chat.send`` goes through nginx (deploy/nginx/oih.conf rendered by bot/front.py, TLS with a
self-signed certificate, loopback), which spreads the messages over the instances, so every
conversation goes through the shared stores and the documented front is the tested one; nginx
must be installed (``apt-get install nginx``). ``Chat.api`` and the per-instance ``urls`` stay
direct: Rasa's API is internal and nginx never exposes it. PostgreSQL and Redis are started for the session on loopback by
scripts/services.py (in a temporary folder, stopped at the end) unless ``OIH_PG_HOST`` is
already set, in which case the ``OIH_PG_*``/``OIH_REDIS_*`` variables of the environment are used.
"""
from __future__ import annotations

import importlib.util
import itertools
import os
import shutil
import signal
import sys
import tempfile
import threading
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("OIH_BIND", "127.0.0.1")  # test servers listen on loopback only (bot/servers.py)
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

import pytest  # noqa: E402
import requests  # noqa: E402

from bot import servers  # noqa: E402
from bot.processes import Watchdog  # noqa: E402
from bot.training import model_path  # noqa: E402

#: Rasa's HTTP API is off by default (bot/servers.py); the session's servers get a token so that
#: tests can read trackers through it (Chat.tracker, Chat.api). Loopback only, like the servers.
API_TOKEN = "test-api-token-" + uuid.uuid4().hex
ACTIONS_SECRET = "test-actions-secret-" + uuid.uuid4().hex  # shared by every instance of the session
#: In the prod profile REST is reached through nginx, and the channel answers proxied requests only
#: with its token (bot/channels/rest.py); the default profile keeps REST's development mode.
REST_TOKEN = "test-rest-token-" + uuid.uuid4().hex

#: The one other site allowed to embed the web chat (OIH_ALLOWED_ORIGINS; tests/web's clinic site).
ALLOWED_ORIGIN_PORT = servers.free_port()

PROFILE = os.environ.get("OIH_TEST_PROFILE", "default")
PROD = PROFILE == "prod"
INSTANCES = int(os.environ.get("OIH_TEST_INSTANCES", "2")) if PROD else 1
WORKERS = int(os.environ.get("OIH_TEST_WORKERS", "2")) if PROD else 1


def _interrupt_on_sigterm(signum: int, frame: Any) -> None:  # noqa: ARG001 - signal handler signature
    """SIGTERM (a CI time-out, ``kill``) ends the run the way Ctrl-C does: the session's fixtures are
    torn down, so the servers and PostgreSQL/Redis stop in order. A second SIGTERM ends pytest at
    once; the servers then still die with it (parent-death signal) and the services' watchdog
    removes PostgreSQL and Redis (bot/processes.py)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_configure(config: pytest.Config) -> None:  # noqa: ARG001 - pytest hook signature
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _interrupt_on_sigterm)


class Chat:
    """A REST client for the running assistant (in the prod profile: for all its instances)."""

    def __init__(
        self, url: str, var_dir: Path, referrals_url: str, urls: list[str] | None = None,
        tracker_db_url: str = "", profile: str = PROFILE, front: Any = None,
    ) -> None:
        self.url = url  # the first instance (pages, web tests)
        self.urls = urls or [url]
        #: The nginx front (a FrontInfo) in the prod profile: ``send`` goes through it.
        self.front = front
        self.rest_token = REST_TOKEN if front is not None else ""
        self.var_dir = var_dir
        self.referrals_url = referrals_url
        self.tracker_db_url = tracker_db_url
        self.profile = profile
        self.api_token = API_TOKEN
        self._next = itertools.cycle(range(len(self.urls)))
        self._lock = threading.Lock()

    def next_url(self) -> str:
        """Round robin over the instances: consecutive requests go to different instances."""
        with self._lock:
            return self.urls[next(self._next)]

    def rest_headers(self) -> dict[str, str]:
        """What a REST request needs: the bearer token when the servers have one (prod profile)."""
        return {"Authorization": f"Bearer {self.rest_token}"} if self.rest_token else {}

    def send(self, sender: str, message: str, timeout: float = 30) -> list[dict[str, Any]]:
        base, verify = (self.front.url, str(self.front.cert)) if self.front is not None else (self.next_url(), True)
        resp = requests.post(
            f"{base}/webhooks/rest/webhook", json={"sender": sender, "message": message},
            headers=self.rest_headers(), timeout=timeout, verify=verify,
        )
        resp.raise_for_status()
        return resp.json()

    def texts(self, sender: str, message: str) -> list[str]:
        return [m.get("text", "") for m in self.send(sender, message)]

    def api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """A call to Rasa's HTTP API with the session's token (?token=, as Rasa 3.6 reads it)."""
        params = {**kwargs.pop("params", {}), "token": self.api_token}
        kwargs.setdefault("timeout", 30)
        return requests.request(method, f"{self.next_url()}{path}", params=params, **kwargs)

    @staticmethod
    def conversation_id(sender: str, channel: str = "rest") -> str:
        """The id Rasa stores a channel's conversation under (bot/senders.py: ``rest:<sender>``)."""
        return f"{channel}:{sender}"

    def tracker(self, sender: str, channel: str = "rest") -> dict[str, Any]:
        resp = self.api("GET", f"/conversations/{self.conversation_id(sender, channel)}/tracker")
        resp.raise_for_status()
        return resp.json()


def _load_services_module() -> Any:
    """scripts/services.py (a script, not a package) as a module."""
    spec = importlib.util.spec_from_file_location("oih_services", ROOT / "scripts" / "services.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


PROD_ENV_NAMES = (
    "OIH_PG_HOST", "OIH_PG_PORT", "OIH_PG_DB", "OIH_PG_USER", "OIH_PG_PASSWORD", "OIH_REDIS_HOST",
    "OIH_REDIS_PORT", "OIH_REDIS_PASSWORD", "OIH_REDIS_DB", "OIH_REFERRALS_DB_URL",
)


@pytest.fixture(scope="session")
def services() -> Iterator[Any]:
    """The session's PostgreSQL + Redis (scripts/services.py ``Services``) in the prod profile.

    None in the default profile, and when the caller provides the services (``OIH_PG_HOST`` set).
    """
    if not PROD or os.environ.get("OIH_PG_HOST"):
        yield None
        return
    module = _load_services_module()
    # Directly under /tmp: as root, PostgreSQL runs as `postgres`, which must reach the folder.
    folder = Path(tempfile.mkdtemp(prefix="oih-services-", dir="/tmp"))
    svc = module.Services(folder, servers.free_port(), servers.free_port())
    # PostgreSQL (pg_ctl) and Redis (daemonize) detach from pytest's process tree, out of reach of
    # the death signal: should pytest be killed before the end of this fixture, the watchdog
    # removes them.
    watchdog = Watchdog([sys.executable, str(ROOT / "scripts" / "services.py"), "remove", "--dir", str(folder),
                         "--pg-port", str(svc.pg_port), "--redis-port", str(svc.redis_port)])
    try:
        svc.start()
    except BaseException:
        svc.remove()
        watchdog.disarm()
        raise
    try:
        yield svc
    finally:
        svc.remove()
        shutil.rmtree(folder, ignore_errors=True)
        watchdog.disarm()


@pytest.fixture(scope="session")
def prod_env(services: Any) -> dict[str, str]:
    """The OIH_PG_*/OIH_REDIS_* settings of the prod profile ({} in the default profile)."""
    if not PROD:
        return {}
    env = services.env() if services is not None else {k: os.environ.get(k, "") for k in PROD_ENV_NAMES}
    env.pop("OIH_SENDER_SALT", None)  # the tests' own process hashes senders with the default salt
    return env


def pg_url(env: dict[str, str]) -> str:
    return (
        f"postgresql://{env['OIH_PG_USER']}:{env['OIH_PG_PASSWORD']}@{env['OIH_PG_HOST']}:"
        f"{env['OIH_PG_PORT']}/{env['OIH_PG_DB']}"
    )


@dataclass
class FrontInfo:
    """A running nginx front (bot/front.py) over the session's Rasa instances."""

    url: str  # https://127.0.0.1:<port>
    http_url: str  # http://127.0.0.1:<port> (redirects to HTTPS)
    cert: Path  # its self-signed certificate (the trust anchor for requests' ``verify``)
    access_log: Path  # format ``oih``: time status method uri upstream_addr request_time
    upstreams: list[str]
    front: Any

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("allow_redirects", False)
        return requests.get(f"{self.url}{path}", verify=str(self.cert), **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 60)
        return requests.post(f"{self.url}{path}", verify=str(self.cert), **kwargs)

    def log_lines(self) -> list[list[str]]:
        return [line.split() for line in self.access_log.read_text().splitlines() if line.strip()]


@contextmanager
def nginx_front(rasa_ports: list[int], with_rest: bool) -> Iterator[FrontInfo]:
    """deploy/nginx/oih.conf rendered for loopback ports and run by a private nginx; always stopped."""
    from bot.front import Front, Site, nginx_binary, self_signed

    try:
        nginx_binary()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    folder = Path(tempfile.mkdtemp(prefix="oih-nginx-", dir="/tmp"))  # workers (nobody) must reach it
    try:
        cert, key = self_signed(folder)
        https_port, http_port = servers.free_port(), servers.free_port()
        upstreams = [f"127.0.0.1:{port}" for port in rasa_ports]
        site = Site(
            server_name="127.0.0.1 localhost", cert=str(cert), key=str(key), upstreams=upstreams,
            https_listen=f"127.0.0.1:{https_port}", http_listen=f"127.0.0.1:{http_port}", https_port=https_port,
            access_log=str(folder / "access.log"), with_rest=with_rest,
        )
        front = Front(folder, site)
        front.start()
        try:
            yield FrontInfo(f"https://127.0.0.1:{https_port}", f"http://127.0.0.1:{http_port}", cert,
                            folder / "access.log", upstreams, front)
        finally:
            front.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def nginx_front_factory() -> Callable[..., Any]:
    """``with nginx_front(rasa_ports, with_rest=...) as front:`` in a test (tests/conversation/test_front.py)."""
    return nginx_front


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
def chat(server_dir: Path, prod_env: dict[str, str]) -> Iterator[Chat]:
    if not model_path().exists():
        pytest.fail("No trained model: run `make test` (it trains first) or `python -m bot train`.")
    var_dir = server_dir / "var"
    referrals_url = f"sqlite:///{server_dir / 'referrals.db'}"
    tracker_db_url = f"sqlite:///{server_dir / 'tracker.db'}"
    env = {
        "OIH_VAR_DIR": str(var_dir),
        "OIH_TRACKER_DB": str(server_dir / "tracker.db"),
        "OIH_REFERRALS_DB_URL": referrals_url,
        "OIH_API_TOKEN": API_TOKEN,
        "OIH_ALLOWED_ORIGINS": f"http://127.0.0.1:{ALLOWED_ORIGIN_PORT}",
        "OIH_ACTIONS_SECRET": ACTIONS_SECRET,
    }
    if PROD:
        from bot.front import nginx_binary

        try:  # before starting anything: the whole prod profile goes through nginx
            nginx_binary()
        except RuntimeError as exc:
            pytest.fail(str(exc))
        env.update(prod_env)
        env["OIH_REST_TOKEN"] = REST_TOKEN
        env["SANIC_REAL_IP_HEADER"] = "x-real-ip"  # behind nginx, as docs/production.md says
        referrals_url, tracker_db_url = prod_env["OIH_REFERRALS_DB_URL"], pg_url(prod_env)
    endpoints = "endpoints.prod.yml" if PROD else "endpoints.yml"
    log_path = server_dir / "servers.log"
    rasa_ports = [servers.free_port() for _ in range(INSTANCES)]
    action_port = servers.free_port()
    with open(log_path, "w") as log:

        def start() -> servers.ServerSet:
            # All instances at once (they share the action server the first one starts), launched
            # from this, the main, thread: the parent-death signal is tied to the thread that
            # starts a child (bot/processes.py), so servers launched from a pool's thread would
            # not die with pytest. Only the waiting is sequential; the servers start in parallel.
            sets: list[servers.ServerSet] = []
            try:
                for index in range(INSTANCES):
                    sets.append(servers.launch(
                        rasa_port=rasa_ports[index], action_port=action_port, extra_env=env, log=log,
                        endpoints=endpoints, model=str(model_path()), workers=WORKERS, start_actions=index == 0,
                    ))
                for started in sets:
                    started.wait_ready()
            except BaseException as exc:
                for started in sets:
                    started.stop()
                if not isinstance(exc, Exception):
                    raise
                log.flush()  # show why the servers did not come up
                pytest.fail(f"servers did not start: {exc}\n--- log tail ---\n{log_path.read_text()[-4000:]}")
            return servers.ServerSet(
                rasa_ports[0], action_port, [p for started in sets for p in started.processes],
                watchdogs=[w for started in sets for w in started.watchdogs],
            )

        _SESSION_SERVERS.update(servers=start(), restart=start)
        try:
            with ExitStack() as stack:
                # Prod: the tests talk to nginx with the REST block on (scripts and tests only);
                # tests/conversation/test_front.py checks the clinic's rendering without it.
                front = stack.enter_context(nginx_front(rasa_ports, with_rest=True)) if PROD else None
                yield Chat(
                    f"http://127.0.0.1:{rasa_ports[0]}", var_dir, referrals_url,
                    urls=[f"http://127.0.0.1:{port}" for port in rasa_ports], tracker_db_url=tracker_db_url,
                    front=front,
                )
        finally:
            running = _SESSION_SERVERS.pop("servers", None)
            _SESSION_SERVERS.pop("restart", None)
            if running is not None:
                running.stop()


@pytest.fixture(scope="session")
def session_servers(chat: Chat) -> Callable[[], servers.ServerSet | None]:
    """The running ServerSet of `chat` (processes: the action server first, then each Rasa)."""
    return lambda: _SESSION_SERVERS.get("servers")


@pytest.fixture(scope="session")
def allowed_origin_port() -> int:
    """The port of http://127.0.0.1:<port>, the one origin the `chat` servers allow (CORS)."""
    return ALLOWED_ORIGIN_PORT


@pytest.fixture(scope="session")
def server_log(server_dir: Path) -> Path:
    """The combined log of the `chat` servers (Rasa and action server)."""
    return server_dir / "servers.log"


@pytest.fixture
def sender() -> str:
    """A fresh conversation id per test, so tests never share state."""
    return f"test-{uuid.uuid4().hex[:12]}"
