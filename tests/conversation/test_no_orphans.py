"""The tests' own servers never outlive pytest, whatever ends it (issue 15, "No orphans").

A pytest run holding the session's ``chat`` servers (tests/conftest.py, loaded as a plugin) is
started as a subprocess with a marker in its environment, which every process it starts inherits.
Once its servers answer, it gets SIGTERM (a CI time-out) or SIGKILL, and no process carrying the
marker may be left. The session's own servers are paused meanwhile (two server sets at once make
both slow on two cores).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from bot.paths import ROOT
from bot.processes import live_processes

HOLD = '''
import time


def test_hold(chat):
    print("SERVERS-UP", flush=True)
    time.sleep(900)
'''


def marked(marker: bytes) -> list[int]:
    """Live processes whose environment carries ``marker``."""
    return [pid for pid, _ in live_processes() if marker in _read(f"/proc/{pid}/environ")]


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError:  # gone meanwhile, or not ours to read
        return b""


def wait_for_none(marker: bytes, timeout: float) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and marked(marker):
        time.sleep(0.5)
    return marked(marker)


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
        try:
            deadline = time.monotonic() + 400
            while time.monotonic() < deadline:
                line = inner.stdout.readline()
                lines.append(line)
                if "SERVERS-UP" in line or (not line and inner.poll() is not None):
                    break
            assert any("SERVERS-UP" in line for line in lines), "".join(lines)[-3000:]
            # pytest itself, the action server and Rasa at least
            assert len(marked(marker.encode())) >= 3, marked(marker.encode())
            inner.send_signal(how)
            out, _ = inner.communicate(timeout=120)
            if how == signal.SIGTERM:  # torn down like Ctrl-C: "Interrupted", servers stopped in order
                assert inner.returncode == pytest.ExitCode.INTERRUPTED, out[-3000:]
            left = wait_for_none(marker.encode(), 90)
            assert left == [], [Path(f"/proc/{pid}/cmdline").read_bytes()[:200] for pid in left]
        finally:
            if inner.poll() is None:
                inner.kill()
            inner.wait(timeout=30)
            inner.stdout.close()
            for pid in marked(marker.encode()):  # never leave a server behind, pass or fail
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
