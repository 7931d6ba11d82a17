"""Child servers as process groups: started so they die with their starter, stopped in bounded time.

Why one module: ``python -m bot serve`` (bot/servers.py), the nginx front (bot/front.py), the
benchmark (bench/run_bench.py) and the tests' own servers all run long-lived children (Rasa and its
Sanic workers, the action server, nginx and its workers). Each must stop with everything it forked,
within a bounded time, and must never outlive the process that started it, however that process
ends (Ctrl-C, SIGTERM from CI or a process manager, SIGKILL). Written once here, the rules cannot
drift apart between those callers (issue 15, "No orphans").

- ``start_group``: the child gets a session (so a process group) of its own, so that stopping it
  reaches its grandchildren too, and a terminal's Ctrl-C goes to the starter, which stops the
  children in order, not to every process at once. On Linux it also gets the parent-death signal.
- ``stop_groups``: SIGTERM to every group, a shared bounded grace for the leaders *and* their group
  members, then SIGKILL to what is left (a child that ignores SIGTERM, a worker whose master died).
- ``watchdog``: for daemons that leave our process tree (PostgreSQL by ``pg_ctl``, Redis with
  ``daemonize``), which no death signal reaches: a small process that runs a clean-up command when
  its starter dies before disarming it.
- ``group_watchdog``: the same for our own process groups. The death signal reaches only the
  direct child, and a server whose starter died may hang in its own shutdown (Rasa's Sanic master
  waiting on workers whose database is gone), so its whole group would live on: the watchdog
  stops the groups (``kill-groups``: SIGTERM, a grace, SIGKILL) when the starter dies.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from bot.paths import ROOT

#: How long a SIGKILLed leader may take to be reaped (a process in uninterruptible I/O).
KILL_WAIT = 30.0
_PR_SET_PDEATHSIG = 1


def _death_signal(parent: int) -> Callable[[], None]:
    """The ``preexec_fn`` that asks Linux for SIGTERM when ``parent`` dies (prctl PR_SET_PDEATHSIG).

    Checks the parent again afterwards: had it died between fork and prctl, no signal would come.
    """

    def preexec() -> None:
        try:
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):  # not Linux: stop_groups and the callers' clean-up still apply
            return
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGTERM)

    return preexec


def start_group(command: list[str], **popen_kwargs: Any) -> subprocess.Popen:
    """``subprocess.Popen`` as the leader of a new process group that dies with this process.

    Linux sends the death signal when the *thread* that forked the child ends, not the process:
    a server started from a worker thread would be killed as soon as that thread finished. So the
    signal is set only when starting from the main thread, and callers start servers from it
    (tests/conftest.py launches every instance first, then waits for them).
    """
    on_main = threading.current_thread() is threading.main_thread()
    return subprocess.Popen(
        command, start_new_session=True, preexec_fn=_death_signal(os.getpid()) if on_main else None, **popen_kwargs
    )


def _stat(pid: int | str) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state, ppid, pgrp, ...); None if gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2:].split()


def live_processes() -> Iterator[tuple[int, list[str]]]:
    """(pid, ``_stat`` fields) of every live process, from /proc.

    Zombies are left out: they hold no port or file, and an orphaned one is reaped by whoever
    adopts it, which may not be us.
    """
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(entry.name)
            if fields is not None and fields[0] != "Z":
                yield int(entry.name), fields


def alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def group_members(pgid: int) -> list[int]:
    """Live processes of process group ``pgid``."""
    return [pid for pid, fields in live_processes() if int(fields[2]) == pgid]


def _signal_group(proc: subprocess.Popen, signum: int) -> None:
    """Signal ``proc``'s group, unless its leader was reaped and the group is empty (its number
    may then be reused by an unrelated group)."""
    if proc.returncode is not None and not group_members(proc.pid):
        return
    _killpg(proc.pid, signum)


def _killpg(pgid: int, signum: int) -> None:
    """Signal a process group; one that is gone (or not ours to signal) is no error."""
    try:
        os.killpg(pgid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def stop_groups(procs: Iterable[subprocess.Popen], grace: float = 10.0) -> None:
    """Stop process groups started by ``start_group``: SIGTERM, up to ``grace`` seconds, SIGKILL.

    SIGTERM goes to every group at once (all shut down in parallel, one deadline for all). Within
    the grace each leader is reaped and its group must empty (Rasa's Sanic workers, nginx's
    workers may outlast their master); whatever is still there then gets SIGKILL. Returns within
    about ``grace`` + a few seconds whatever the children do.
    """
    procs = list(procs)
    for proc in procs:
        _signal_group(proc, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for proc in procs:
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            continue
        _wait_until_empty([proc.pid], deadline)
    for proc in procs:
        _signal_group(proc, signal.SIGKILL)
        try:
            proc.wait(timeout=KILL_WAIT)
        except subprocess.TimeoutExpired:
            pass


def stop_group(proc: subprocess.Popen | None, grace: float = 10.0) -> None:
    """``stop_groups`` for one process (None: nothing to stop)."""
    if proc is not None:
        stop_groups([proc], grace)


class Watchdog:
    """Runs ``command`` if this process dies (however: SIGKILL too) before ``disarm`` is called.

    For daemons outside our process tree (they detach: ``pg_ctl start``, Redis's ``daemonize``), which
    neither the death signal nor a process group reaches. The watchdog holds the read end of a pipe
    whose only write end is ours; the kernel closes it when we die, and end-of-file without the word
    ``disarm`` means "clean up". It runs in a session of its own so that a Ctrl-C meant for us
    does not end it first.
    """

    def __init__(self, command: list[str], env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.processes", "watchdog", "--", *command],
            stdin=subprocess.PIPE, cwd=ROOT, env=env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )

    def disarm(self, timeout: float = 10.0) -> None:
        """We cleaned up ourselves: the watchdog exits without running its command."""
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(b"disarm")
            self.process.stdin.close()
        except BrokenPipeError:
            pass
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            stop_group(self.process, grace=1.0)


def group_watchdog(procs: Iterable[subprocess.Popen], grace: float = 10.0) -> Watchdog:
    """A watchdog that stops these process groups if this process dies before disarming it."""
    return Watchdog([sys.executable, "-m", "bot.processes", "kill-groups", str(grace), *(str(p.pid) for p in procs)])


def kill_groups(pgids: Iterable[int], grace: float = 10.0) -> None:
    """``stop_groups`` for groups known only by number (the watchdog's side: not our children)."""
    pgids = [g for g in pgids if group_members(g)]
    for signum in (signal.SIGTERM, signal.SIGKILL):
        for pgid in pgids:
            _killpg(pgid, signum)
        _wait_until_empty(pgids, time.monotonic() + (grace if signum == signal.SIGTERM else KILL_WAIT))


def _wait_until_empty(pgids: list[int], deadline: float) -> None:
    """Poll until every group in ``pgids`` is empty, or ``deadline`` (time.monotonic) passes."""
    while any(group_members(g) for g in pgids) and time.monotonic() < deadline:
        time.sleep(0.1)


def _watchdog_main(command: list[str]) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    word = sys.stdin.buffer.read()  # until our starter writes "disarm" and closes, or dies
    if word.strip() == b"disarm":
        return 0
    return subprocess.run(command, timeout=120, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[1:3] == ["watchdog", "--"]:
        sys.exit(_watchdog_main(sys.argv[3:]))
    if len(sys.argv) > 2 and sys.argv[1] == "kill-groups":
        kill_groups([int(g) for g in sys.argv[3:]], float(sys.argv[2]))
        sys.exit(0)
    sys.exit("usage: python -m bot.processes watchdog -- COMMAND... | kill-groups GRACE PGID...")
