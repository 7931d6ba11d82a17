"""The tests' own servers never outlive pytest, whatever ends it (issue 15, "No orphans").

A pytest run holding the session's ``chat`` servers (tests/conftest.py, loaded as a plugin) is
started as a subprocess with a marker in its environment, which every process it starts inherits.
Once its servers answer, it gets SIGTERM (a CI time-out) or SIGKILL, and no process carrying the
marker may be left. The session's own servers are paused meanwhile (two server sets at once make
both slow on two cores).
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from bot.paths import ROOT
from bot.processes import live_processes
from bot.servers import START_TIMEOUT

HOLD = '''
import time


def test_hold(chat, services):
    print("SERVERS-UP", services.folder if services is not None else "-", flush=True)
    time.sleep(900)
'''


def marked(marker: bytes, folder: str = "-") -> list[int]:
    """Live processes whose environment carries ``marker``, or that work in ``folder`` (the prod
    profile's PostgreSQL and Redis: Redis writes its process title over its environment)."""
    return [pid for pid, _ in live_processes()
            if marker in _read(f"/proc/{pid}/environ") or (folder != "-" and _cwd(pid).startswith(folder))]


def _cwd(pid: int) -> str:
    try:
        return os.readlink(f"/proc/{pid}/cwd")
    except OSError:
        return ""


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError:  # gone meanwhile, or not ours to read
        return b""


def wait_for_none(marker: bytes, folder: str, timeout: float) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and marked(marker, folder):
        time.sleep(0.5)
    return marked(marker, folder)


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_servers_of_a_killed_pytest_do_not_outlive_it(tmp_path, pause_session_servers, how):
    (tmp_path / "test_hold.py").write_text(HOLD)
    marker = f"OIH_ORPHAN_MARKER=oih-{uuid.uuid4().hex}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), marker.split("=")[0]: marker.split("=")[1]}
    with pause_session_servers():
        inner = subprocess.Popen(
            [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider", "-q", "-s",
             f"--basetemp={tmp_path / 'inner'}", str(tmp_path / "test_hold.py")],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        lines: list[str] = []
        folder = "-"  # the prod profile's services folder, once known
        try:
            deadline = time.monotonic() + START_TIMEOUT + 160  # the servers start inside, then the session
            while time.monotonic() < deadline:
                line = inner.stdout.readline()
                lines.append(line)
                if "SERVERS-UP" in line or (not line and inner.poll() is not None):
                    break
            assert "SERVERS-UP" in lines[-1], "".join(lines)[-3000:]
            folder = lines[-1].split()[-1]
            # pytest itself, the action server and Rasa at least (PostgreSQL and Redis in prod)
            assert len(marked(marker.encode(), folder)) >= (3 if folder == "-" else 5), marked(marker.encode(), folder)
            inner.send_signal(how)
            out, _ = inner.communicate(timeout=120)
            if how == signal.SIGTERM:  # torn down like Ctrl-C: "Interrupted", servers stopped in order
                assert inner.returncode == pytest.ExitCode.INTERRUPTED, out[-3000:]
            left = wait_for_none(marker.encode(), folder, 120)
            assert left == [], [Path(f"/proc/{pid}/cmdline").read_bytes()[:200] for pid in left]
        finally:
            if inner.poll() is None:
                inner.kill()
            inner.wait(timeout=30)
            inner.stdout.close()
            for pid in marked(marker.encode(), folder):  # never leave a server behind, pass or fail
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            if folder != "-":
                shutil.rmtree(folder, ignore_errors=True)
