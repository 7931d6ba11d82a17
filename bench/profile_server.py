#!/usr/bin/env python3
"""Where does the Rasa server's time go? py-spy on our Rasa process under the benchmark's load.

    .venv/bin/pip install py-spy        # not in requirements.txt: only this script needs it
    python bench/profile_server.py [--model models/oih.tar.gz] [--seconds 30] [--faq-only]

Starts the action server and Rasa as ``make run`` does (loopback only), warms them up, then
samples Rasa's main thread with py-spy while 20 conversations talk to it at once (``--faq-only``:
one conversation at a time asking FAQ questions). Prints the share of Rasa's busy time per part
of the message path (tracker store, each NLU component, policies, custom actions, HTTP, ...) and
the hottest leaf frames. Idle time (the event loop waiting) is left out. This is how the numbers in
docs/production.md ("Where the time goes") were measured.
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import run_bench as rb  # noqa: E402

IDLE_LEAF = "serve (sanic/server/runners.py"
# First match wins: the part of the message path a sample belongs to.
PARTS: list[tuple[str, tuple[str, ...]]] = [
    ("DIETClassifier (TensorFlow)", ("diet_classifier.py",)),
    ("spaCy", ("spacy_utils.py", "spacy/", "spacy_tokenizer")),
    ("CountVectorsFeaturizer", ("count_vectors_featurizer.py",)),
    ("LexicalSyntacticFeaturizer", ("lexical_syntactic_featurizer.py",)),
    ("RegexFeaturizer", ("regex_featurizer.py",)),
    ("text normalizer (bot)", ("text_normalizer.py", "textnorm.py")),
    ("safety screen (bot)", ("safety_screen.py", "bot/safety/", "safety_policy.py")),
    ("FallbackClassifier", ("fallback_classifier.py",)),
    ("RulePolicy", ("rule_policy.py",)),
    ("other policies / ensemble", ("policies/", "ensemble.py")),
    ("tracker store (SQL)", ("tracker_store.py",)),
    ("custom actions (in-process and remote)", ("bot/resilience.py", "actions/action.py", "rasa_sdk/", "actions/")),
    ("jsonschema", ("jsonschema/",)),
    ("NLG / responses", ("nlg/", "bot/nlg.py")),
    ("domain / tracker events", ("shared/core/domain.py", "shared/core/trackers.py", "shared/core/events.py")),
    ("graph runner (dask)", ("rasa/engine/", "dask/")),
    ("Sanic / HTTP / JSON / asyncio", ("sanic/", "asyncio/", "uvloop", "httptools", "aiohttp", "json/")),
]


def summarise(raw: Path, top: int = 12) -> str:
    parts: collections.Counter = collections.Counter()
    leaves: collections.Counter = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        frames = stack.split(";")
        if frames[-1].startswith(IDLE_LEAF):
            continue
        total += n
        parts[next((name for name, needles in PARTS if any(x in stack for x in needles)), "other")] += n
        leaves[frames[-1][:100]] += n
    out = [f"busy samples: {total}"]
    out += [f"  {100 * n / total:5.1f} %  {name}" for name, n in parts.most_common()]
    out.append("hottest leaf frames:")
    out += [f"  {100 * n / total:5.1f} %  {frame}" for frame, n in leaves.most_common(top)]
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "oih.tar.gz")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--faq-only", action="store_true")
    args = parser.parse_args()
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        print("py-spy is not installed: .venv/bin/pip install py-spy", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="oih-profile-"))
    with open(folder / "servers.log", "w") as log:
        running = rb.start_ours(args.model.resolve(), folder, log)
        try:
            asyncio.run(rb._load(running.url, rb.OUR_SCRIPT, 2, len(rb.OUR_SCRIPT)))  # warm-up
            raw = folder / "rasa.txt"
            recorder = subprocess.Popen(
                [spy, "record", "--pid", str(running.rasa.pid), "--duration", str(args.seconds), "--rate", "200",
                 "--format", "raw", "--output", str(raw), "--nonblocking"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            time.sleep(1.0)
            deadline = time.monotonic() + args.seconds - 2
            sent = 0
            while time.monotonic() < deadline:
                if args.faq_only:
                    faq = [m for m in rb.OUR_SCRIPT if "?" in m or "oih" in m or "dose" in m][:4]
                    lat, _, _ = asyncio.run(rb._load(running.url, faq, 1, len(faq), uuid.uuid4().int % 4))
                else:
                    lat, _, _ = asyncio.run(rb._load(running.url, rb.OUR_SCRIPT, 20, 5))
                sent += len(lat)
            recorder.wait(timeout=args.seconds + 60)
        finally:
            running.stop()
    print(f"{sent} messages while sampling; raw stacks in {raw}")
    print(summarise(raw))
    return 0


if __name__ == "__main__":
    sys.exit(main())
