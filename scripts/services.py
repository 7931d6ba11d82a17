#!/usr/bin/env python3
"""PostgreSQL and Redis for the production profile's tests and benchmarks, on loopback only.

Why a script of our own: CI starts on a fresh machine with nothing running, and the tests must
exercise the production profile for real (issue 7). This starts a throw-away PostgreSQL cluster and
a Redis server from Debian's packages (``apt-get install postgresql redis-server``), each on
127.0.0.1, on a non-default port, with its data in a folder of its own; nothing is installed as a
system service and nothing listens beyond loopback.

    python scripts/services.py start   [--dir DIR] [--pg-port N] [--redis-port N]
    python scripts/services.py env     [--dir DIR]     # the exports endpoints.prod.yml reads
    python scripts/services.py restart-postgres|restart-redis [--dir DIR]
    python scripts/services.py stop    [--dir DIR]

``start`` prints ``export VAR=...`` lines (also written to DIR/env.sh, mode 600), e.g.
``eval "$(python scripts/services.py start)"``. The pytest fixture (tests/conftest.py) uses the
``Services`` class directly and stops everything at the end of the session.

PostgreSQL refuses to run as root; when run as root the cluster belongs to the ``postgres`` user
that Debian's package creates, and its commands run through ``runuser``. Every wait is bounded.
"""
from __future__ import annotations

import argparse
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_DIR = Path(os.environ.get("OIH_SERVICES_DIR", f"/tmp/oih-services-{os.getuid()}"))
DEFAULT_PG_PORT = 55432
DEFAULT_REDIS_PORT = 56379
HOST = "127.0.0.1"
DB_NAME = "oih"
DB_USER = "oih"
WAIT_SECONDS = 60.0


def _pg_bin(name: str) -> str:
    """The newest installed PostgreSQL's binary (Debian keeps them off PATH)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if found:
        return found[-1]
    on_path = shutil.which(name)
    if on_path:
        return on_path
    raise SystemExit(f"{name} not found: install PostgreSQL (apt-get install postgresql)")


def _redis_bin() -> str:
    found = shutil.which("redis-server")
    if not found:
        raise SystemExit("redis-server not found: install it (apt-get install redis-server)")
    return found


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((HOST, port)) == 0


class Services:
    """One PostgreSQL cluster + one Redis server in ``folder``."""

    def __init__(self, folder: Path = DEFAULT_DIR, pg_port: int = DEFAULT_PG_PORT,
                 redis_port: int = DEFAULT_REDIS_PORT) -> None:
        self.folder, self.pg_port, self.redis_port = Path(folder), pg_port, redis_port

    # ------------------------------------------------------------------ paths and credentials
    @property
    def pg_data(self) -> Path:
        return self.folder / "pgdata"

    @property
    def secrets_file(self) -> Path:
        return self.folder / "secrets"

    def _secrets(self) -> dict[str, str]:
        if not self.secrets_file.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            self.secrets_file.write_text(
                f"pg={secrets.token_hex(16)}\nredis={secrets.token_hex(16)}\n"
                f"salt={secrets.token_hex(16)}\npg_port={self.pg_port}\nredis_port={self.redis_port}\n"
            )
            self.secrets_file.chmod(0o600)
        values = dict(line.split("=", 1) for line in self.secrets_file.read_text().split())
        # The ports chosen at first start stay with the folder (restart/stop/env reuse them).
        self.pg_port = int(values.get("pg_port", self.pg_port))
        self.redis_port = int(values.get("redis_port", self.redis_port))
        return values

    def env(self) -> dict[str, str]:
        """What endpoints.prod.yml and bot/referrals.py read (see docs/operations.md, production profile)."""
        s = self._secrets()
        return {
            "OIH_PG_HOST": HOST,
            "OIH_PG_PORT": str(self.pg_port),
            "OIH_PG_DB": DB_NAME,
            "OIH_PG_USER": DB_USER,
            "OIH_PG_PASSWORD": s["pg"],
            "OIH_REDIS_HOST": HOST,
            "OIH_REDIS_PORT": str(self.redis_port),
            "OIH_REDIS_PASSWORD": s["redis"],
            "OIH_REDIS_DB": "0",
            "OIH_REFERRALS_DB_URL": f"postgresql://{DB_USER}:{s['pg']}@{HOST}:{self.pg_port}/{DB_NAME}",
            "OIH_SENDER_SALT": s["salt"],
        }

    # ------------------------------------------------------------------ running commands
    def _as_db_owner(self) -> list[str]:
        """PostgreSQL will not run as root: use the `postgres` account then."""
        if os.getuid() != 0:
            return []
        try:
            pwd.getpwnam("postgres")
        except KeyError as exc:
            raise SystemExit("running as root needs the `postgres` user (apt-get install postgresql)") from exc
        return ["runuser", "-u", "postgres", "--"]

    def _run(self, cmd: list[str], timeout: float = WAIT_SECONDS, **kw) -> subprocess.CompletedProcess:
        return subprocess.run(
            self._as_db_owner() + cmd, check=True, timeout=timeout, capture_output=True, text=True, **kw
        )

    # ------------------------------------------------------------------ PostgreSQL
    def _init_postgres(self) -> None:
        if (self.pg_data / "PG_VERSION").exists():
            return
        s = self._secrets()
        self.pg_data.mkdir(parents=True, exist_ok=True)
        pwfile = self.folder / "pgpass.tmp"
        pwfile.write_text(s["pg"] + "\n")
        if os.getuid() == 0:
            shutil.chown(self.folder, "postgres")
            shutil.chown(self.pg_data, "postgres")
            shutil.chown(pwfile, "postgres")
        self.pg_data.chmod(0o700)
        try:
            self._run([
                _pg_bin("initdb"), "-D", str(self.pg_data), "-U", DB_USER, f"--pwfile={pwfile}",
                "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C",
            ], timeout=120)
        finally:
            pwfile.unlink(missing_ok=True)

    def _pg_ctl(self, action: str) -> None:
        opts = (
            f"-c listen_addresses={HOST} -p {self.pg_port} -k {self.folder} "
            "-c fsync=off -c full_page_writes=off -c max_connections=300"
        )
        cmd = [_pg_bin("pg_ctl"), "-D", str(self.pg_data), "-l", str(self.folder / "postgres.log"),
               "-w", "-t", str(int(WAIT_SECONDS))]
        if action in ("start", "restart"):
            cmd += ["-o", opts]
        if action in ("stop", "restart"):
            cmd += ["-m", "fast"]
        self._run(cmd + [action], timeout=WAIT_SECONDS + 10)

    def _create_database(self) -> None:
        import psycopg2  # in .venv (requirements.txt)

        s = self._secrets()
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            try:
                conn = psycopg2.connect(host=HOST, port=self.pg_port, user=DB_USER, password=s["pg"],
                                        dbname="postgres", connect_timeout=3)
                break
            except psycopg2.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,))
                if cur.fetchone() is None:
                    cur.execute(f'CREATE DATABASE "{DB_NAME}"')
        finally:
            conn.close()

    def postgres_running(self) -> bool:
        return (self.pg_data / "postmaster.pid").exists() and _port_open(self.pg_port)

    def restart_postgres(self) -> None:
        """A real restart (fast shutdown: open connections are cut), then wait until it accepts."""
        self._secrets()
        self._pg_ctl("restart")

    def stop_redis(self) -> None:
        self._secrets()
        self._stop_redis()

    def start_redis(self) -> None:
        self._secrets()
        self._start_redis()

    def restart_redis(self) -> None:
        """Stop Redis (its locks are lost: it keeps nothing on disk), then start it again."""
        self._secrets()
        self._stop_redis()
        deadline = time.monotonic() + WAIT_SECONDS
        while _port_open(self.redis_port):
            if time.monotonic() > deadline:
                raise TimeoutError("redis did not stop")
            time.sleep(0.1)
        self._start_redis()

    # ------------------------------------------------------------------ Redis
    def _redis_conf(self) -> Path:
        s = self._secrets()
        conf = self.folder / "redis.conf"
        conf.write_text(
            f"bind {HOST}\nport {self.redis_port}\nprotected-mode yes\nrequirepass {s['redis']}\n"
            f"dir {self.folder}\npidfile {self.folder / 'redis.pid'}\nlogfile {self.folder / 'redis.log'}\n"
            'daemonize yes\nsave ""\nappendonly no\n'
        )
        conf.chmod(0o600)
        return conf

    def _start_redis(self) -> None:
        if _port_open(self.redis_port):
            return
        subprocess.run([_redis_bin(), str(self._redis_conf())], check=True, timeout=30)
        deadline = time.monotonic() + WAIT_SECONDS
        while not _port_open(self.redis_port):
            if time.monotonic() > deadline:
                raise TimeoutError(f"redis did not listen on {HOST}:{self.redis_port}")
            time.sleep(0.2)

    def _stop_redis(self) -> None:
        pidfile = self.folder / "redis.pid"
        if not pidfile.exists():
            return
        try:
            pid = int(pidfile.read_text().strip())
            os.kill(pid, 15)
        except (ValueError, ProcessLookupError):
            pidfile.unlink(missing_ok=True)
            return
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.2)
        else:
            os.kill(pid, 9)
        pidfile.unlink(missing_ok=True)

    # ------------------------------------------------------------------ both
    def start(self) -> dict[str, str]:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._secrets()
        self._init_postgres()
        if not self.postgres_running():
            if _port_open(self.pg_port):
                raise SystemExit(f"port {self.pg_port} is taken by something else; choose --pg-port")
            self._pg_ctl("start")
        self._create_database()
        self._start_redis()
        env = self.env()
        env_file = self.folder / "env.sh"
        env_file.write_text("".join(f"export {k}={v}\n" for k, v in env.items()))
        env_file.chmod(0o600)
        return env

    def stop(self) -> None:
        self._stop_redis()
        if (self.pg_data / "postmaster.pid").exists():
            try:
                self._pg_ctl("stop")
            except subprocess.CalledProcessError as exc:
                print(exc.stderr, file=sys.stderr)

    def remove(self) -> None:
        """Stop, then delete the folder (data included)."""
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["start", "stop", "env", "restart-postgres", "restart-redis", "remove"])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--pg-port", type=int, default=DEFAULT_PG_PORT)
    parser.add_argument("--redis-port", type=int, default=DEFAULT_REDIS_PORT)
    args = parser.parse_args(argv)
    services = Services(args.dir.resolve(), args.pg_port, args.redis_port)
    if args.command == "start":
        env = services.start()
        print("".join(f"export {k}={v}\n" for k, v in env.items()), end="")
        print(f"# PostgreSQL on {HOST}:{services.pg_port}, Redis on {HOST}:{services.redis_port}; "
              f"data in {services.folder}", file=sys.stderr)
    elif args.command == "env":
        print("".join(f"export {k}={v}\n" for k, v in services.env().items()), end="")
    elif args.command == "restart-postgres":
        services.restart_postgres()
    elif args.command == "restart-redis":
        services.restart_redis()
    elif args.command == "stop":
        services.stop()
    else:
        services.remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
