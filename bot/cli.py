"""``python -m bot ...``: the project's command line for developers, CI and clinic staff.

  build               generate data/ and domain responses from knowledge/, build the spaCy pipeline
  check               validate knowledge/ and fail when generated files are stale
  train [--force]     train the Rasa model if its inputs changed
  serve               start the action server and Rasa (what `make run` ends in)
  eval                understanding on the dev and test sets (trained model; --tune on dev)
  eval-safety         safety screen recall and false flags on the blind batches
  faq list | faq search TEXT     staff FAQ tool
  referrals list | show ID | done ID | export --csv FILE   callback requests
  report unanswered   questions the assistant could not answer (redacted)
  purge [--days N]    retention: delete what is older than OIH_RETENTION_DAYS (default 30)
  review [--out FILE]                          printable review packet (build/review/index.html)
  review sign TOPIC --by ROLE [--hash HASH]    record a clinician's sign-off (docs/review.md)
  review status                                which answers are signed, stale or unsigned
"""
from __future__ import annotations

import argparse
import sys


def _build(_: argparse.Namespace) -> int:
    from bot.build import build

    written = build()
    print("Generated: " + (", ".join(str(p) for p in written) if written else "nothing changed"))
    return 0


def _check(_: argparse.Namespace) -> int:
    from bot.build import stale_files
    from bot.knowledge import load_knowledge
    from bot.screening import load_answer_words

    kb = load_knowledge()
    # The action server reads the answer words only on the first form turn: check them here, so
    # a bad edit is caught before a person answers a question.
    words = load_answer_words()
    stale = stale_files()
    print(f"{len(kb.faqs)} FAQ topics, {len(kb.sources)} sources, {len(words.phrases)} answer phrases.")
    if stale:
        print("Stale generated files (run `python -m bot build`): " + ", ".join(map(str, stale)))
        return 1
    return 0


def _train(args: argparse.Namespace) -> int:
    from bot.training import train

    train(force=args.force)
    return 0


def _serve(args: argparse.Namespace) -> int:
    from bot.servers import serve_forever

    return serve_forever(
        rasa_port=args.port, action_port=args.action_port, endpoints=args.endpoints, workers=args.workers,
        credentials=args.credentials, profile=args.profile,
    )


def _eval(args: argparse.Namespace) -> int:
    from bot.evaluation import main as eval_main

    return eval_main(args)


def _eval_safety(args: argparse.Namespace) -> int:
    if args.lobo:
        from bot.safety_lobo import main as lobo_main

        return lobo_main()
    if args.kfold:
        from bot.safety_kfold import main as kfold_main

        return kfold_main(args.kfold)
    from bot.safety_evaluation import main as safety_eval_main

    return safety_eval_main(args)


def _faq(args: argparse.Namespace) -> int:
    # spaCy's thinc imports TensorFlow when it is installed (Rasa installs it): 3-6 s and ~400 MB
    # that the search never uses. A None entry in sys.modules makes that optional import fail fast.
    sys.modules.setdefault("tensorflow", None)  # type: ignore[arg-type]
    from bot.retrieval import faq_main

    return faq_main(args)


def _report(args: argparse.Namespace) -> int:
    from bot import unanswered

    rows = unanswered.summary()
    print(f"{len(rows)} distinct unanswered questions")
    for question, count in rows:
        print(f"{count:4d}  {question}")
    return 0


def _review(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot import review_packet, signoff
    from bot.knowledge import KnowledgeError, load_knowledge
    from bot.paths import KNOWLEDGE_DIR

    kb = load_knowledge(KNOWLEDGE_DIR)
    if args.action == "sign":
        if not args.topics or not args.by:
            print("Usage: python -m bot review sign TOPIC [TOPIC ...] --by \"ROLE\" [--hash HASH]", file=sys.stderr)
            return 2
        try:
            for topic in args.topics:
                done = signoff.sign(kb, KNOWLEDGE_DIR, topic, args.by, args.hash)
                print(f"Signed off {topic} ({done.content_hash}) by {done.by} on {done.date.isoformat()}.")
        except KnowledgeError as exc:
            print(f"Not signed: {exc}", file=sys.stderr)
            return 1
        if not args.hash:
            print("Tip: pass --hash from the packet you read, so a sign-off can never cover a text you did not see.")
        return 0
    if args.action == "status":
        for topic, now in signoff.statuses(kb, KNOWLEDGE_DIR).items():
            print(f"{now.state:9s} {now.content_hash}  {topic}")
        return 0
    if args.topics:
        print("Topics go with `review sign`; `review` alone makes the packet for all answers.", file=sys.stderr)
        return 2
    out = review_packet.write(kb, KNOWLEDGE_DIR, Path(args.out))
    print(f"Review packet: {out} ({len(kb.faqs)} answers). Open it in a browser; print it from there.")
    return 0


def _purge(args: argparse.Namespace) -> int:
    from bot.retention import purge

    result = purge(days=args.days, endpoints=args.endpoints, tracker_url=args.tracker_db_url,
                   referrals_url=args.referrals_db_url)
    print(f"Retention {args.days or 'OIH_RETENTION_DAYS (default 30)'} days: {result}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    import os

    os.umask(0o077)  # files this command creates (databases, reports, CSV exports) are private
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["referrals"]:
        from bot.referrals_cli import referrals_main

        return referrals_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build").set_defaults(func=_build)
    sub.add_parser("check").set_defaults(func=_check)
    p = sub.add_parser("train")
    p.add_argument("--force", action="store_true")
    p.set_defaults(func=_train)
    p = sub.add_parser("serve")
    p.add_argument("--port", type=int, default=5005)
    p.add_argument("--action-port", type=int, default=5055)
    p.add_argument("--endpoints", default="endpoints.yml")
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--credentials", default="credentials.yml",
                   help="credentials.channels.yml adds Telegram and Slack (see docs/channels.md)")
    p.add_argument("--profile", choices=["default", "prod"], default=None,
                   help="prod refuses the example clinic of knowledge/clinic.yml (default: OIH_PROFILE, "
                        "else prod when --endpoints is endpoints.prod.yml)")
    p.set_defaults(func=_serve)
    p = sub.add_parser("eval")
    p.add_argument("--model", default="models/oih.tar.gz")
    p.add_argument("--sets", nargs="+", choices=["dev", "test"], default=["dev", "test"])
    p.add_argument("--misses", action="store_true", help="list every message not answered right")
    p.add_argument("--tune", action="store_true", help="sweep the decision thresholds on dev (in-process)")
    p.set_defaults(func=_eval)
    p = sub.add_parser("eval-safety")
    p.add_argument("--sets", nargs="*", choices=["dev", "test"], default=["dev", "test"])
    p.add_argument("--batch", nargs="+", default=[], metavar="FILE",
                   help="also measure these batch files (a fresh blind batch before it joins the repository)")
    p.add_argument("--misses", action="store_true")
    p.add_argument("--model", help="classify with this trained model's whole pipeline, not the screen alone")
    p.add_argument("--lobo", action="store_true",
                   help="leave one batch out: each retired blind batch and dev, the net trained without it")
    p.add_argument("--kfold", metavar="NAME=V1,V2",
                   help="sweep one bar of net: (e.g. upgrade=0.85,0.65) on six groups of batches, each "
                        "screened by a net trained without it (never the test batch)")
    p.set_defaults(func=_eval_safety)
    p = sub.add_parser("faq")
    p.add_argument("action", choices=["list", "search"])
    p.add_argument("query", nargs="*")
    p.set_defaults(func=_faq)
    p = sub.add_parser("report")
    p.add_argument("what", choices=["unanswered"])
    p.set_defaults(func=_report)
    p = sub.add_parser("purge", help="delete conversations, handled callback requests and unanswered "
                                     "entries older than OIH_RETENTION_DAYS (default 30)")
    p.add_argument("--days", type=int, default=None, help="override OIH_RETENTION_DAYS")
    p.add_argument("--endpoints", default="endpoints.yml", help="endpoints.prod.yml for PostgreSQL")
    p.add_argument("--tracker-db-url", default=None, help="SQLAlchemy URL (default: from --endpoints)")
    p.add_argument("--referrals-db-url", default=None, help="default: OIH_REFERRALS_DB_URL or var/referrals.db")
    p.set_defaults(func=_purge)
    p = sub.add_parser("review", help="review packet; review sign TOPIC --by ROLE; review status")
    p.add_argument("action", nargs="?", choices=["packet", "sign", "status"], default="packet")
    p.add_argument("topics", nargs="*")
    p.add_argument("--by", help="who signs off: a role, e.g. \"pain medicine physician\"")
    p.add_argument("--hash", help="the content hash printed on the packet page you read")
    p.add_argument("--out", default="build/review/index.html")
    p.set_defaults(func=_review)
    sub.add_parser("referrals", help="list | show ID | done ID | export --csv FILE")
    args = parser.parse_args(argv)
    return args.func(args)
