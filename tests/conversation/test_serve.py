"""`make run` ends in `python -m bot serve`: it must answer, and Ctrl-C must leave no orphan."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

from bot import servers
from bot.paths import ROOT
from bot.processes import live_processes

READY = "The assistant is running"


def _pids_listening_for(port: int) -> list[int]:
    """Live processes whose command line names ``--port <port>`` (our servers), from /proc."""
    found = []
    for pid, _ in live_processes():
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"--port" in cmd and str(port).encode() in cmd:
            found.append(pid)
    return found


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _serve(folder: Path, rasa_port: int, action_port: int, **popen_kwargs) -> tuple[subprocess.Popen, str]:
    """`python -m bot serve` on these ports with its data in ``folder``; returns once it says it is
    running (or has exited), with what it printed until then. The rest of its output (the servers
    log to it too) is drained by a thread, so that no server ever blocks on a full pipe."""
    env = {**os.environ, "OIH_VAR_DIR": str(folder), "PYTHONPATH": str(ROOT),
           "OIH_TRACKER_DB": str(folder / "tracker.db"),
           "OIH_REFERRALS_DB_URL": f"sqlite:///{folder / 'referrals.db'}"}
    serve = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(rasa_port), "--action-port", str(action_port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **popen_kwargs,
    )
    lines = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        line = serve.stdout.readline()
        if not line and serve.poll() is not None:
            break
        lines.append(line)
        if READY in line:
            break
    threading.Thread(target=serve.stdout.read, daemon=True).start()
    return serve, "".join(lines)


def _gone(ports: tuple[int, ...], timeout: float = 60) -> bool:
    """Whether every server of ``ports`` is gone within ``timeout`` seconds (a bounded poll)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(_pids_listening_for(port) for port in ports):
        time.sleep(0.5)
    return not any(_pids_listening_for(port) for port in ports)


def _clean_up(serve: subprocess.Popen, ports: tuple[int, ...]) -> None:
    """Never leave a server behind, pass or fail."""
    if serve.poll() is None:
        serve.kill()
    serve.wait(timeout=30)
    for port in ports:
        for pid in _pids_listening_for(port):
            os.kill(pid, signal.SIGKILL)


def test_serve_started_with_sigint_ignored_still_stops_on_ctrl_c_and_dies_with_no_orphans(tmp_path):
    """Issue 15: a background job or CI runner starts `serve` with SIGINT ignored; its own handler
    still stops it on Ctrl-C. And when `serve` is SIGKILLed, its servers die with it."""
    for how in ("sigint", "sigkill"):
        ports = (servers.free_port(), servers.free_port())
        (tmp_path / how).mkdir()
        serve, printed = _serve(tmp_path / how, *ports, preexec_fn=_ignore_sigint)
        try:
            assert READY in printed, printed[-3000:]
            assert all(_pids_listening_for(port) for port in ports)
            if how == "sigint":
                serve.send_signal(signal.SIGINT)
                assert serve.wait(timeout=60) == 0
            else:
                serve.kill()
                serve.wait(timeout=30)
            assert _gone(ports), how
        finally:
            _clean_up(serve, ports)


def test_serve_answers_then_ctrl_c_stops_both_servers(tmp_path):
    ports = rasa_port, _ = (servers.free_port(), servers.free_port())
    serve, printed = _serve(tmp_path, *ports)
    try:
        assert READY in printed, printed[-3000:]
        reply = requests.post(
            f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook", json={"sender": "a", "message": "hi"}, timeout=60
        ).json()
        assert "opioid-induced hyperalgesia" in reply[0]["text"]
        assert all(_pids_listening_for(port) for port in ports)

        serve.send_signal(signal.SIGINT)  # what Ctrl-C delivers to `make run`
        assert serve.wait(timeout=60) == 0
        assert _gone(ports)
    finally:
        _clean_up(serve, ports)
