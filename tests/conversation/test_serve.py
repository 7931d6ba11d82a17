"""`make run` ends in `python -m bot serve`: it must answer, and Ctrl-C must leave no orphan."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from bot import servers
from bot.paths import ROOT


def _pids_listening_for(port: int) -> list[int]:
    """Processes whose command line names ``--port <port>`` (our servers), from /proc."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"--port" in cmd and str(port).encode() in cmd:
            found.append(int(proc.name))
    return found


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def test_serve_started_with_sigint_ignored_still_stops_on_ctrl_c_and_dies_with_no_orphans(tmp_path):
    """Issue 15: a background job or CI runner starts `serve` with SIGINT ignored; its own handler
    still stops it on Ctrl-C. And when `serve` is SIGKILLed, its servers die with it."""
    for how in ("sigint", "sigkill"):
        rasa_port, action_port = servers.free_port(), servers.free_port()
        env = {**os.environ, "OIH_VAR_DIR": str(tmp_path / how), "PYTHONPATH": str(ROOT),
               "OIH_TRACKER_DB": str(tmp_path / f"{how}.db"),
               "OIH_REFERRALS_DB_URL": f"sqlite:///{tmp_path / f'{how}-referrals.db'}"}
        serve = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--port", str(rasa_port), "--action-port", str(action_port)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            preexec_fn=_ignore_sigint,
        )
        try:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                line = serve.stdout.readline()
                if "The assistant is running" in line or (not line and serve.poll() is not None):
                    break
            assert _pids_listening_for(rasa_port) and _pids_listening_for(action_port)
            if how == "sigint":
                serve.send_signal(signal.SIGINT)
                assert serve.wait(timeout=60) == 0
            else:
                serve.kill()
                serve.wait(timeout=30)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and (_pids_listening_for(rasa_port) or _pids_listening_for(action_port)):
                time.sleep(1)
            assert _pids_listening_for(rasa_port) == [] and _pids_listening_for(action_port) == [], how
        finally:
            if serve.poll() is None:
                serve.kill()
            serve.wait(timeout=30)
            for port in (rasa_port, action_port):  # never leave a server behind, pass or fail
                for pid in _pids_listening_for(port):
                    os.kill(pid, signal.SIGKILL)


def test_serve_answers_then_ctrl_c_stops_both_servers(tmp_path):
    rasa_port, action_port = servers.free_port(), servers.free_port()
    env = {
        **os.environ,
        "OIH_VAR_DIR": str(tmp_path),
        "OIH_TRACKER_DB": str(tmp_path / "tracker.db"),
        "OIH_REFERRALS_DB_URL": f"sqlite:///{tmp_path / 'referrals.db'}",
        "PYTHONPATH": str(ROOT),
    }
    serve = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(rasa_port), "--action-port", str(action_port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 300
        lines = []
        while time.monotonic() < deadline:
            line = serve.stdout.readline()
            if not line and serve.poll() is not None:
                break
            lines.append(line)
            if "The assistant is running" in line:
                break
        assert any("The assistant is running" in l for l in lines), "".join(lines)[-3000:]
        reply = requests.post(
            f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook", json={"sender": "a", "message": "hi"}, timeout=60
        ).json()
        assert "opioid-induced hyperalgesia" in reply[0]["text"]
        assert _pids_listening_for(rasa_port) and _pids_listening_for(action_port)

        serve.send_signal(signal.SIGINT)  # what Ctrl-C delivers to `make run`
        assert serve.wait(timeout=60) == 0
        time.sleep(1)
        assert _pids_listening_for(rasa_port) == []
        assert _pids_listening_for(action_port) == []
    finally:
        if serve.poll() is None:
            serve.kill()
