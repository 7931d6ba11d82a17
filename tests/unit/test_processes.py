"""bot/processes.py with real process groups: what is stopped is gone, grandchildren included, and
children die with their starter however it dies (issue 15, "No orphans").

Every wait is a bounded poll (the machine is shared and busy); every test kills what it started.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bot.paths import ROOT
from bot.processes import alive, group_members, start_group, stop_group

#: A leader that ignores SIGTERM and forks two grandchildren that ignore it too (inherited), then
#: prints the grandchildren's pids.
STUBBORN = textwrap.dedent("""
    import signal, subprocess, sys, time
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    kids = [subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"]) for _ in range(2)]
    print(" ".join(str(k.pid) for k in kids), flush=True)
    time.sleep(600)
""")


def wait_until(condition, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def kill_all(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_a_group_that_ignores_sigterm_is_gone_grandchildren_included():
    proc = start_group([sys.executable, "-c", STUBBORN], stdout=subprocess.PIPE, text=True)
    kids: list[int] = []
    try:
        kids = [int(pid) for pid in proc.stdout.readline().split()]
        assert len(kids) == 2 and all(alive(pid) for pid in kids)
        assert set(group_members(proc.pid)) >= {proc.pid, *kids}
        started = time.monotonic()
        stop_group(proc, grace=1.0)
        assert time.monotonic() - started < 45  # bounded: grace, then SIGKILL
        assert proc.returncode == -signal.SIGKILL
        assert wait_until(lambda: not group_members(proc.pid), 30), group_members(proc.pid)
        assert not any(alive(pid) for pid in kids)
    finally:
        kill_all([proc.pid, *kids])
        proc.wait(timeout=30)
        proc.stdout.close()


def test_a_grandchild_left_behind_by_its_leader_is_stopped_too():
    """The leader exits on SIGTERM at once; its child ignores SIGTERM and would live on."""
    script = textwrap.dedent("""
        import signal, subprocess, sys, time
        kid = subprocess.Popen([sys.executable, "-c",
            "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); time.sleep(600)"],
            stdout=subprocess.PIPE, text=True)
        kid.stdout.readline()
        print(kid.pid, flush=True)
        time.sleep(600)
    """)
    proc = start_group([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    kid = 0
    try:
        kid = int(proc.stdout.readline())
        assert alive(kid)
        stop_group(proc, grace=2.0)
        assert proc.returncode == -signal.SIGTERM
        assert wait_until(lambda: not alive(kid), 30)
    finally:
        kill_all([proc.pid, kid] if kid else [proc.pid])
        proc.wait(timeout=30)
        proc.stdout.close()


def test_a_child_that_shuts_down_within_the_grace_is_not_killed():
    script = textwrap.dedent("""
        import signal, sys, time
        def bye(*_):
            time.sleep(0.5)  # a graceful shutdown that takes a moment
            sys.exit(0)
        signal.signal(signal.SIGTERM, bye)
        print("ready", flush=True)
        time.sleep(600)
    """)
    proc = start_group([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        stop_group(proc, grace=30.0)
        assert proc.returncode == 0  # not -9: SIGKILL only after the grace
    finally:
        kill_all([proc.pid])
        proc.wait(timeout=30)
        proc.stdout.close()


def _starter(tmp_path: Path, body: str) -> subprocess.Popen:
    """A Python process that runs ``body`` (with bot.processes imported), then waits to be killed."""
    script = tmp_path / "starter.py"
    script.write_text("import sys, time\nfrom bot.processes import Watchdog, start_group\n"
                      + textwrap.dedent(body) + "\ntime.sleep(600)\n")
    return subprocess.Popen([sys.executable, str(script)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_a_started_group_dies_with_its_starter(tmp_path, how):
    starter = _starter(tmp_path, """
        child = start_group([sys.executable, "-c", "import time; time.sleep(600)"])
        print(child.pid, flush=True)
    """)
    child = 0
    try:
        child = int(starter.stdout.readline())
        assert alive(child)
        starter.send_signal(how)
        starter.wait(timeout=30)
        assert wait_until(lambda: not alive(child), 60), "the child outlived its starter"
    finally:
        kill_all([starter.pid, child] if child else [starter.pid])
        starter.wait(timeout=30)
        starter.stdout.close()


def test_the_watchdog_cleans_up_when_its_starter_is_killed_and_not_when_disarmed(tmp_path):
    killed, disarmed = tmp_path / "killed", tmp_path / "disarmed"
    starter = _starter(tmp_path, f"""
        dog = Watchdog(["touch", {str(killed)!r}])
        print(dog.process.pid, flush=True)
    """)
    try:
        dog = int(starter.stdout.readline())
        assert alive(dog) and not killed.exists()
        starter.kill()
        starter.wait(timeout=30)
        assert wait_until(killed.exists, 60), "the watchdog did not run its command"
        assert wait_until(lambda: not alive(dog), 30)
    finally:
        kill_all([starter.pid])
        starter.wait(timeout=30)
        starter.stdout.close()

    quiet = _starter(tmp_path, f"""
        dog = Watchdog(["touch", {str(disarmed)!r}])
        print(dog.process.pid, flush=True)
        dog.disarm()
        print("disarmed", flush=True)
    """)
    try:
        dog = int(quiet.stdout.readline())
        assert quiet.stdout.readline().strip() == "disarmed"
        assert wait_until(lambda: not alive(dog), 30)
        quiet.kill()
        quiet.wait(timeout=30)
        assert not disarmed.exists()
    finally:
        kill_all([quiet.pid])
        quiet.wait(timeout=30)
        quiet.stdout.close()


def test_the_group_watchdog_stops_a_group_whose_leader_ignores_its_death_signal(tmp_path):
    """Rasa's master may hang in its own shutdown once its starter is gone (the death signal is a
    SIGTERM, and it reaches the leader only): the group watchdog stops the whole group."""
    stubborn = textwrap.dedent("""
        import signal, subprocess, sys, time
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        worker = subprocess.Popen([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"])
        print(worker.pid, flush=True)
        time.sleep(600)
    """)
    (tmp_path / "stubborn.py").write_text(stubborn)
    starter = _starter(tmp_path, f"""
        from bot.processes import group_watchdog
        import subprocess
        leader = start_group([sys.executable, {str(tmp_path / "stubborn.py")!r}], stdout=subprocess.PIPE, text=True)
        worker = leader.stdout.readline().strip()
        dog = group_watchdog([leader], grace=1.0)
        print(leader.pid, worker, flush=True)
    """)
    pids: list[int] = []
    try:
        pids = [int(p) for p in starter.stdout.readline().split()]
        assert len(pids) == 2 and all(alive(p) for p in pids)
        starter.kill()
        starter.wait(timeout=30)
        assert wait_until(lambda: not any(alive(p) for p in pids), 90), "the group outlived its starter"
    finally:
        kill_all([starter.pid, *pids])
        starter.wait(timeout=30)
        starter.stdout.close()
