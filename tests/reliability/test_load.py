"""Load: 50 concurrent conversations x 20 turns; every conversation gets its own replies, in order.

Each conversation walks the same kinds of turns from a different starting point, so neighbours
send different messages at the same moment. For every turn it checks that the reply is addressed
to it (``recipient_id``) and is the reply to *that* message (each message has a distinctive reply:
FAQ answers come from the action server, greetings and dosing replies from Rasa itself). At the
end the stored conversation must hold exactly the messages sent, in order: 0 lost, 0 crossed.

In the prod profile (``OIH_TEST_PROFILE=prod``) consecutive turns of one conversation go to
different Rasa instances, so every turn goes through the shared PostgreSQL tracker store and the
Redis lock store. Bounded: every request has a timeout and the whole run a deadline.
"""
from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from dataclasses import dataclass, field

import aiohttp
import requests

from bot.safety import contains_dose_amount

API_TOKEN = [""]  # the session servers' API token (tests/conftest.py), set by the test

CONVERSATIONS = 50
TURNS = 20
REQUEST_TIMEOUT = 120.0
DEADLINE = 900.0

# (message, a phrase its reply must contain)
SCRIPT: list[tuple[str, str]] = [
    ("hi", "information assistant"),
    ("is oih the same as addiction?", "Source:"),
    ("are you a bot?", "not a person"),
    ("how many pills should i take?", "not able to answer"),
    ("thanks", "You're welcome"),
    ("does it go away if i stop?", "Source:"),
    ("what can you do?", "Here is what I can do"),
    ("how can i reach the clinic?", "You can reach"),
    ("bye", "Take care"),
    ("what's a good recipe for lasagna?", "Sorry, I can't help with that"),
]


@dataclass
class Outcome:
    sender: str
    sent: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    crossed: int = 0


async def conversation(session: aiohttp.ClientSession, urls: list[str], index: int) -> Outcome:
    out = Outcome(sender=f"load-{index:02d}-{uuid.uuid4().hex[:8]}")
    for turn in range(TURNS):
        message, expected = SCRIPT[(index + turn) % len(SCRIPT)]
        url = urls[(index + turn) % len(urls)]
        started = time.monotonic()
        try:
            async with session.post(
                f"{url}/webhooks/rest/webhook", json={"sender": out.sender, "message": message}
            ) as resp:
                status = resp.status
                replies = await resp.json(content_type=None)
        except Exception as exc:  # noqa: BLE001 - counted as a lost turn
            out.errors.append(f"turn {turn}: {type(exc).__name__}: {exc}")
            continue
        out.latencies.append(time.monotonic() - started)
        out.sent.append(message)
        if status != 200 or not isinstance(replies, list) or not replies:
            out.errors.append(f"turn {turn} ({message!r}): status {status}, replies {str(replies)[:200]}")
            continue
        if any(r.get("recipient_id") != out.sender for r in replies):
            out.crossed += 1
            out.errors.append(f"turn {turn}: a reply for another conversation: {replies}")
        text = "\n".join(r.get("text") or "" for r in replies)
        if expected not in text:
            out.errors.append(f"turn {turn} ({message!r}): expected {expected!r}, got {text[:200]!r}")
        if any(contains_dose_amount(r.get("text") or "") for r in replies):
            out.errors.append(f"turn {turn}: a reply failed the output guard")
    return out


async def stored_user_messages(session: aiohttp.ClientSession, url: str, sender: str) -> list[str]:
    # The REST channel stores the conversation as rest:<sender> (bot/senders.py).
    async with session.get(f"{url}/conversations/rest:{sender}/tracker", params={"token": API_TOKEN[0]}) as resp:
        tracker = await resp.json()
    return [e.get("text") for e in tracker["events"] if e.get("event") == "user"]


async def run_load(urls: list[str], headers: dict[str, str]) -> tuple[list[Outcome], float, dict[str, list[str]]]:
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    connector = aiohttp.TCPConnector(limit=CONVERSATIONS * 2)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector, headers=headers) as session:
        started = time.monotonic()
        outcomes = await asyncio.wait_for(
            asyncio.gather(*(conversation(session, urls, i) for i in range(CONVERSATIONS))), DEADLINE
        )
        elapsed = time.monotonic() - started
        stored = {}
        for i, out in enumerate(outcomes):
            # Read back from the other instance than the last turn used (prod profile).
            stored[out.sender] = await stored_user_messages(session, urls[(i + 1) % len(urls)], out.sender)
    return outcomes, elapsed, stored


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))] if ordered else 0.0


def test_50_concurrent_conversations_of_20_turns(chat) -> None:
    # Warm-up: the first answers after start-up are slow (models and caches load lazily).
    for url in chat.urls:
        for message, _ in SCRIPT[:2]:
            requests.post(f"{url}/webhooks/rest/webhook", json={"sender": "warmup", "message": message},
                          headers=chat.rest_headers(), timeout=120)

    API_TOKEN[0] = chat.api_token
    outcomes, elapsed, stored = asyncio.run(run_load(chat.urls, chat.rest_headers()))

    latencies = [x for o in outcomes for x in o.latencies]
    sent = sum(len(o.sent) for o in outcomes)
    lost = CONVERSATIONS * TURNS - sent
    crossed = sum(o.crossed for o in outcomes)
    mismatched_storage = [o.sender for o in outcomes if stored[o.sender] != o.sent]
    print(
        f"\nload ({chat.profile}, {len(chat.urls)} instance(s)): {CONVERSATIONS} conversations x {TURNS} turns = "
        f"{CONVERSATIONS * TURNS} messages in {elapsed:.1f} s ({sent / elapsed:.1f} msg/s); "
        f"latency p50 {statistics.median(latencies):.2f} s, p95 {percentile(latencies, 95):.2f} s, "
        f"max {max(latencies):.2f} s; lost {lost}, crossed {crossed}, stored-order mismatches "
        f"{len(mismatched_storage)}"
    )
    errors = [e for o in outcomes for e in o.errors]
    assert lost == 0, errors[:5]
    assert crossed == 0, errors[:5]
    assert not errors, errors[:10]
    assert not mismatched_storage, {s: stored[s] for s in mismatched_storage[:2]}
