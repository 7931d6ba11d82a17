#!/usr/bin/env python3
"""``make bench``: this assistant against the stock ``rasa init`` bot, same Rasa, same machine, one run.

For each bot it measures, in this order and one bot at a time (the machine has two cores):
- training time: the stock bot's ``rasa init --no-prompt`` (which trains it) in a temporary
  folder; ours ``python -m bot train --force`` in a temporary copy of the repository (the
  full training; models/oih.tar.gz is never touched);
- start-up to first answer: from starting the server(s) until the first REST reply to "hi"
  (ours: the action server and Rasa start together, as ``make run`` does);
- REST latency p50/p95/p99 with 1 conversation at a time (5 conversations, one after another)
  and with 20 concurrent conversations, every conversation 20 turns long, and messages per
  second, after the same warm-up for both;
- peak RSS: the sum over the Rasa process tree (Sanic workers included), sampled from /proc every
  0.1 s from start to stop; ours also with the action server.
Each bot is sent its own kind of traffic: the stock bot its greet/mood/bot-challenge intents, ours
a patient mix (FAQ answers, greetings, a dosing question, the bot challenge, thanks/bye).

It prints a table with the ratios to the stock bot and the targets of issue 7, and writes it to
bench/results.md. Loopback only; telemetry off; every wait is bounded.

    python bench/run_bench.py [--model models/oih.tar.gz] [--runs 3] [--conversations 20] [--turns 20]

Each bot is started ``--runs`` times (the table shows medians), because single runs on a shared
2-core machine vary by 10-20 %.

``--model`` skips our training (and reports the training time as not measured).
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402  (installed with rasa)
import requests  # noqa: E402

from bot import servers  # noqa: E402
from bot.processes import start_group, stop_groups  # noqa: E402

RASA = str(Path(sys.executable).with_name("rasa"))
RESULTS = ROOT / "bench" / "results.md"
START_TIMEOUT = 600.0
REQUEST_TIMEOUT = 120.0

STOCK_SCRIPT = ["hello", "I am sad", "yes", "are you a bot?", "great, thanks", "no", "I'm feeling very good", "bye"]
OUR_SCRIPT = [
    "hi",
    "is oih the same as addiction?",
    "are you a bot?",
    "how many pills should i take?",
    "does it go away if i stop?",
    "thanks",
    "why does my pain get worse on higher doses",
    "what can you do?",
    "can tapering help with oih",
    "bye",
]

BASE_ENV = {
    **os.environ,
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "PYTHONWARNINGS": "ignore",
}


# ------------------------------------------------------------------------------------------ /proc


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode("ascii", "replace")
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    return children


def tree(root: int) -> list[int]:
    children, out, todo = _children_map(), [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class RssSampler(threading.Thread):
    """Peak of the summed RSS of process trees, sampled every 0.1 s."""

    def __init__(self, groups: dict[str, list[int]]) -> None:
        super().__init__(daemon=True)
        self.groups = groups  # name -> root pids
        self.peak: dict[str, float] = {name: 0.0 for name in groups}
        self.peak_total = 0.0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            total = 0.0
            for name, roots in self.groups.items():
                value = sum(rss_mb(pid) for root in roots for pid in tree(root))
                self.peak[name] = max(self.peak[name], value)
                total += value
            self.peak_total = max(self.peak_total, total)
            self._halt.wait(0.1)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)


# ------------------------------------------------------------------------------------------ servers


@dataclass
class Running:
    url: str
    rasa: subprocess.Popen
    others: list[subprocess.Popen] = field(default_factory=list)
    startup_seconds: float = 0.0
    sampler: RssSampler | None = None

    def stop(self) -> None:
        stop_groups([self.rasa, *self.others], grace=15.0)
        if self.sampler:
            self.sampler.stop()


def first_answer(url: str, procs: list[subprocess.Popen], started: float) -> float:
    """Seconds from ``started`` until the REST channel answers "hi" with at least one message."""
    deadline = started + START_TIMEOUT
    while time.monotonic() < deadline:
        for proc in procs:
            if proc.poll() is not None:
                raise RuntimeError(f"a server exited with code {proc.returncode} during start-up")
        try:
            resp = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": "bench-startup", "message": "hi"},
                                 timeout=30)
            if resp.status_code == 200 and resp.json():
                return time.monotonic() - started
        except (requests.RequestException, ValueError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"no answer from {url} within {START_TIMEOUT:.0f} s")


def start_stock(folder: Path, log: Any) -> Running:
    port = servers.free_port()
    started = time.monotonic()
    rasa = start_group(
        [RASA, "run", "--port", str(port), "--enable-api", "--model", "models", "--interface", "127.0.0.1"],
        cwd=folder, env=BASE_ENV, stdout=log, stderr=subprocess.STDOUT,
    )
    sampler = RssSampler({"rasa": [rasa.pid]})
    sampler.start()
    running = Running(f"http://127.0.0.1:{port}", rasa, sampler=sampler)
    try:
        running.startup_seconds = first_answer(running.url, [rasa], started)
    except BaseException:
        running.stop()
        raise
    return running


def start_ours(model: Path, folder: Path, log: Any) -> Running:
    """Action server + Rasa started together, with the same command lines as bot/servers.py."""
    port, action_port = servers.free_port(), servers.free_port()
    env = servers.server_env(action_port, {
        **{k: v for k, v in BASE_ENV.items() if k.startswith(("RASA_", "TF_", "PYTHON"))},
        "OIH_VAR_DIR": str(folder / "var"),
        "OIH_TRACKER_DB": str(folder / "tracker.db"),
        "OIH_REFERRALS_DB_URL": f"sqlite:///{folder / 'referrals.db'}",
        "OIH_BIND": "127.0.0.1",
    })
    started = time.monotonic()
    actions = start_group(
        [RASA, "run", "actions", "--actions", "actions", "--port", str(action_port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    rasa = start_group(
        [RASA, "run", "--model", str(model), "--port", str(port), "--endpoints", "endpoints.yml",
         "--credentials", "credentials.yml", "--interface", "127.0.0.1"],
        cwd=ROOT, env=servers.rasa_env(env, 1), stdout=log, stderr=subprocess.STDOUT,
    )
    sampler = RssSampler({"rasa": [rasa.pid], "actions": [actions.pid]})
    sampler.start()
    running = Running(f"http://127.0.0.1:{port}", rasa, [actions], sampler=sampler)
    try:
        running.startup_seconds = first_answer(running.url, [rasa, actions], started)
        # The first answer above needs no action server; make sure it is up before measuring.
        servers._wait_until_up(f"http://127.0.0.1:{action_port}/health", actions, START_TIMEOUT)
    except BaseException:
        running.stop()
        raise
    return running


# ------------------------------------------------------------------------------------------ load


async def _conversation(session: aiohttp.ClientSession, url: str, script: list[str], turns: int, offset: int,
                        latencies: list[float], errors: list[str]) -> None:
    sender = f"bench-{uuid.uuid4().hex[:10]}"
    for turn in range(turns):
        message = script[(offset + turn) % len(script)]
        started = time.perf_counter()
        try:
            async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message}) as resp:
                body = await resp.json(content_type=None)
                ok = resp.status == 200 and isinstance(body, list) and bool(body)
        except Exception as exc:  # noqa: BLE001 - counted, reported
            errors.append(f"{type(exc).__name__}: {exc}")
            continue
        latencies.append(time.perf_counter() - started)
        if not ok:
            errors.append(f"status {resp.status} for {message!r}")


async def _load(url: str, script: list[str], conversations: int, turns: int,
                first_offset: int = 0) -> tuple[list[float], float, list[str]]:
    latencies: list[float] = []
    errors: list[str] = []
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=conversations * 2)) as s:
        started = time.perf_counter()
        await asyncio.wait_for(
            asyncio.gather(*(_conversation(s, url, script, turns, first_offset + i, latencies, errors)
                             for i in range(conversations))),
            timeout=1800,
        )
        wall = time.perf_counter() - started
    return latencies, wall, errors


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, int(round(q / 100 * len(ordered) + 0.5)) - 1))
    return ordered[index]


@dataclass
class Sample:
    """One start of a bot and its measurements."""

    startup: float
    p1: dict[str, float]
    p20: dict[str, float]
    mps1: float
    mps20: float
    rss_rasa: float
    rss_total: float
    errors: list[str]


@dataclass
class BotResult:
    """The median over the runs (peak RSS: the maximum)."""

    name: str
    train_seconds: float | None = None
    samples: list[Sample] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def median(self, get: Any) -> float:
        return statistics.median(get(x) for x in self.samples)

    @property
    def startup_seconds(self) -> float:
        return self.median(lambda x: x.startup)

    @property
    def p1(self) -> dict[str, float]:
        return {k: self.median(lambda x, k=k: x.p1[k]) for k in ("50", "95", "99")}

    @property
    def p20(self) -> dict[str, float]:
        return {k: self.median(lambda x, k=k: x.p20[k]) for k in ("50", "95", "99")}

    @property
    def msgs_per_second_1(self) -> float:
        return self.median(lambda x: x.mps1)

    @property
    def msgs_per_second_20(self) -> float:
        return self.median(lambda x: x.mps20)

    @property
    def rss_rasa_mb(self) -> float:
        return max(x.rss_rasa for x in self.samples)

    @property
    def rss_total_mb(self) -> float:
        return max(x.rss_total for x in self.samples)

    @property
    def errors(self) -> int:
        return sum(len(x.errors) for x in self.samples)


def measure(start: Any, script: list[str], conversations: int, turns: int, sequential: int) -> Sample:
    """Start the bot, measure, stop it: one sample."""
    running: Running = start()
    try:
        asyncio.run(_load(running.url, script, 2, len(script)))  # warm-up: every message twice, not counted
        lat1, wall1, err1 = [], 0.0, []
        for offset in range(sequential):  # one conversation at a time, each of `turns` turns
            lat, wall, err = asyncio.run(_load(running.url, script, 1, turns, offset))
            lat1, wall1, err1 = lat1 + lat, wall1 + wall, err1 + err
        lat20, wall20, err20 = asyncio.run(_load(running.url, script, conversations, turns))
    finally:
        running.stop()
    assert running.sampler is not None
    return Sample(
        startup=running.startup_seconds,
        p1={k: percentile(lat1, float(k)) * 1000 for k in ("50", "95", "99")},
        p20={k: percentile(lat20, float(k)) * 1000 for k in ("50", "95", "99")},
        mps1=len(lat1) / wall1,
        mps20=len(lat20) / wall20,
        rss_rasa=running.sampler.peak["rasa"],
        rss_total=running.sampler.peak_total,
        errors=err1 + err20,
    )


def describe(sample: Sample) -> str:
    return (f"first answer {sample.startup:.1f} s, p95 {sample.p1['95']:.0f} / {sample.p20['95']:.0f} ms, "
            f"{sample.mps20:.1f} msg/s, RSS {sample.rss_rasa:.0f} MB")


# ------------------------------------------------------------------------------------------ training


def train_stock(folder: Path, log: Any) -> float:
    started = time.monotonic()
    subprocess.run([RASA, "init", "--no-prompt", "--init-dir", str(folder)], cwd=folder, env=BASE_ENV,
                   stdout=log, stderr=subprocess.STDOUT, check=True, timeout=3600)
    return time.monotonic() - started


COPY_IGNORE = shutil.ignore_patterns(".venv", ".git", "models", "var", "test-artifacts", "__pycache__",
                                     ".pytest_cache", ".rasa", "results", "*.db", "${*")


def train_ours(folder: Path, log: Any) -> tuple[float, Path]:
    """``python -m bot train --force`` in a copy of the repository: the full training."""
    copy = folder / "repo"
    shutil.copytree(ROOT, copy, ignore=COPY_IGNORE)
    env = {**BASE_ENV, "PYTHONPATH": str(copy), "OIH_KNOWLEDGE_DIR": str(copy / "knowledge")}
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "bot", "train", "--force"], cwd=copy, env=env, stdout=log,
                   stderr=subprocess.STDOUT, check=True, timeout=3600)
    return time.monotonic() - started, copy / "models" / "oih.tar.gz"


# ------------------------------------------------------------------------------------------ report


def ratio(ours: float | None, stock: float | None) -> str:
    if ours is None or stock is None or not stock:
        return "n/a"
    return f"{ours / stock:.2f}x"


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "NOT met")


def table(stock: BotResult, ours: BotResult, args: argparse.Namespace) -> str:
    def ms(v: float) -> str:
        return f"{v:.0f}"

    rows: list[tuple[str, str, str, str, str]] = []

    def row(label: str, s: float | None, o: float | None, fmt: Any, target: str = "", ok: bool | None = None) -> None:
        rows.append((label, fmt(s) if s is not None else "n/a", fmt(o) if o is not None else "n/a",
                     ratio(o, s), f"{target} {verdict(ok)}".strip() if target else ""))

    sec = lambda v: f"{v:.1f}"  # noqa: E731
    row("training time (s)", stock.train_seconds, ours.train_seconds, sec, "ours <= 180 s:",
        None if ours.train_seconds is None else ours.train_seconds <= 180)
    row("start-up to first answer (s)", stock.startup_seconds, ours.startup_seconds, sec, "<= 0.4x:",
        ours.startup_seconds <= 0.4 * stock.startup_seconds)
    for k in ("50", "95", "99"):
        target = ("<= 0.6x:", ours.p1[k] <= 0.6 * stock.p1[k]) if k == "95" else ("", None)
        row(f"latency p{k}, 1 conversation (ms)", stock.p1[k], ours.p1[k], ms, *target)
    for k in ("50", "95", "99"):
        target = ("<= 0.6x:", ours.p20[k] <= 0.6 * stock.p20[k]) if k == "95" else ("", None)
        row(f"latency p{k}, {args.conversations} concurrent (ms)", stock.p20[k], ours.p20[k], ms, *target)
    row("messages/s, 1 conversation", stock.msgs_per_second_1, ours.msgs_per_second_1, sec)
    row(f"messages/s, {args.conversations} concurrent", stock.msgs_per_second_20, ours.msgs_per_second_20, sec)
    row("peak RSS, Rasa process tree (MB)", stock.rss_rasa_mb, ours.rss_rasa_mb, lambda v: f"{v:.0f}", "<= 0.7x:",
        ours.rss_rasa_mb <= 0.7 * stock.rss_rasa_mb)
    row("peak RSS, with action server (MB)", stock.rss_total_mb, ours.rss_total_mb, lambda v: f"{v:.0f}")
    row("failed requests", stock.errors, ours.errors, lambda v: f"{v:.0f}")

    header = ("metric", "stock `rasa init`", "OIH bot", "ratio", "target")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    return "\n".join(lines)


def machine() -> str:
    import rasa

    load = os.getloadavg()
    others = subprocess.run(["pgrep", "-fc", "rasa (run|train)"], capture_output=True, text=True).stdout.strip()
    return (f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, Rasa {rasa.__version__}; "
            f"load average at start {load[0]:.2f}; other Rasa processes running at start: {others or '0'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, help="use this model of ours instead of training one")
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--turns", type=int, default=20, help="turns per concurrent conversation")
    parser.add_argument("--sequential", type=int, default=5,
                        help="conversations run one at a time for the '1 conversation' figures")
    parser.add_argument("--runs", type=int, default=3, help="starts per bot; the table shows medians")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="oih-bench-"))
    print(f"Benchmark folder: {folder}", flush=True)
    context = machine()
    stock, ours = BotResult("stock"), BotResult("ours")
    try:
        with open(folder / "stock.log", "w") as log:
            print("Stock bot: rasa init --no-prompt (scaffold + training) ...", flush=True)
            stock_dir = folder / "stock"
            stock_dir.mkdir()
            stock.train_seconds = train_stock(stock_dir, log)
            print(f"  trained in {stock.train_seconds:.0f} s", flush=True)
            for run in range(args.runs):
                sample = measure(lambda: start_stock(stock_dir, log), STOCK_SCRIPT, args.conversations,
                                 args.turns, args.sequential)
                stock.samples.append(sample)
                print(f"  run {run + 1}/{args.runs}: {describe(sample)}", flush=True)

        with open(folder / "ours.log", "w") as log:
            if args.model:
                model = args.model.resolve()
                ours.notes.append(f"our model: {model} (not trained by this run)")
            else:
                print("OIH bot: python -m bot train --force in a copy of the repository ...", flush=True)
                ours.train_seconds, model = train_ours(folder, log)
                print(f"  trained in {ours.train_seconds:.0f} s", flush=True)
            for run in range(args.runs):
                sample = measure(lambda: start_ours(model, folder, log), OUR_SCRIPT, args.conversations,
                                 args.turns, args.sequential)
                ours.samples.append(sample)
                print(f"  run {run + 1}/{args.runs}: {describe(sample)}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    result = table(stock, ours, args)
    when = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    report = (
        f"# Benchmark: OIH assistant vs the stock `rasa init` bot\n\n"
        f"`make bench` (bench/run_bench.py), {when}. {context}.\n\n"
        f"Traffic: stock bot {STOCK_SCRIPT}; ours a patient mix {OUR_SCRIPT}: FAQ "
        f"questions (answered in Rasa's process by the FAQ fast path, bot/resilience.py), greetings, a "
        f"dosing question, thanks/bye. Every conversation has "
        f"{args.turns} turns; '1 conversation' = {args.sequential} conversations one after another, "
        f"'concurrent' = {args.conversations} conversations at once; each after a warm-up (every message twice). Each bot was started "
        f"{args.runs} times: the table shows the median of the runs (peak RSS: the highest). Our "
        f"tracker store is SQLite on disk, the stock bot keeps conversations in memory; our Rasa runs "
        f"with the settings of `make run` (bot/servers.py), the stock bot with Rasa's defaults.\n\n{result}\n"
    )
    notes = ours.notes + stock.notes
    if notes:
        report += "\nNotes: " + "; ".join(notes) + "\n"
    print("\n" + result + "\n", flush=True)
    args.out.write_text(report, encoding="utf-8")
    print(f"Written to {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
