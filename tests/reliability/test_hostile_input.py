"""Hostile and odd input against the real servers: no 5xx, no crash, no silence, no dose amount.

More than 500 generated messages (hypothesis, derandomized so CI is reproducible) go to the REST
channel: empty, whitespace, 100 kB, control characters, lone surrogates, HTML/script, SQL-looking
text, other languages and scripts, emoji, dosing-looking text with numbers, and arbitrary Unicode;
then raw request bodies with invalid UTF-8 bytes, and broken HTTP bodies (invalid JSON, missing
fields, wrong types). Every reply text must pass the output guard (``contains_dose_amount``);
malformed requests must get a 4xx with a JSON ``error`` (bot/channels/rest.py). At the end, every
server process must still be running and answering.
"""
from __future__ import annotations

import json
import os
import tempfile
import uuid
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

# Hypothesis's caches go to a temporary folder, not into the repository.
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), f"oih-hypothesis-{os.getuid()}"))

from bot.safety import contains_dose_amount

MAX_MESSAGE_CHARS = 1000  # bot/input_limits.py (the REST channel's cap; 413 with a kind text above it)
SENT: list[int] = [0]  # messages sent by the generated tests of this module

HYPOTHESIS = dict(
    deadline=None, database=None, derandomize=True, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)

HTML = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<b>bold</b> what is oih",
    "<iframe src='javascript:alert(1)'></iframe>", "&lt;script&gt;", "<svg/onload=alert('x')>",
    "</textarea><script>fetch('//evil')</script>", "{{7*7}} ${7*7} <%= 7*7 %>",
]
SQL = [
    "'; DROP TABLE events; --", "1' OR '1'='1", "\" OR 1=1 --", "admin'--",
    "'; DELETE FROM callback_requests; --", "UNION SELECT password FROM users",
    "Robert'); DROP TABLE students;--", "%' AND 1=0 UNION ALL SELECT NULL--",
]
LANGUAGES = [
    "¿Qué es la hiperalgesia inducida por opioides?", "Qu'est-ce que l'hyperalgésie ?",
    "Was ist opioidinduzierte Hyperalgesie?", "Что такое опиоидная гипералгезия?",
    "阿片类药物引起的痛觉过敏是什么？", "オピオイド誘発性痛覚過敏とは何ですか", "ما هو فرط التألم الناجم عن المواد الأفيونية",
    "ओपिओइड से होने वाला दर्द क्या है", "오피오이드 유발 통각과민이란?", "Τι είναι η υπεραλγησία;", "מה זה היפראלגזיה",
    "Jinsi ya kupunguza maumivu", "tôi bị đau nhiều hơn khi dùng thuốc",
]
EMOJI = ["😀", "💊", "🤕", "😭", "🔥", "👍🏽", "🏳️‍🌈", "👨‍👩‍👧", "\u200d", "\ufe0f", "🇺🇸", "💉"]
DOSING = [
    "take 40 mg", "how many 10mg pills can i take", "double my dose?", "is 2 tablets every 4 hours ok",
    "can i take 30 mg oxycodone q4h", "cut my dose by 25%", "mix with 3 beers?",
]
WORDS = ["pain", "oih", "opioids", "worse", "help", "what", "is", "my", "dose", "the", "hurts", "?", "!"]


def _huge(n: int) -> str:
    return ("my pain is worse every day " * (n // 26 + 1))[:n]


MESSAGES = st.one_of(
    st.just(""),
    st.text(alphabet=" \t\n\r\u00a0\u2003\u200b\u3000\ufeff", max_size=40),
    st.integers(min_value=100_000, max_value=100_400).map(_huge),  # 100 kB
    st.integers(min_value=MAX_MESSAGE_CHARS - 2, max_value=MAX_MESSAGE_CHARS + 2).map(_huge),  # the limit
    st.text(alphabet=st.characters(whitelist_categories=("Cc",)), min_size=1, max_size=40),
    st.tuples(st.sampled_from(WORDS), st.text(alphabet=st.characters(whitelist_categories=("Cc", "Cf")), max_size=5),
              st.sampled_from(WORDS)).map("".join),
    st.tuples(st.sampled_from(WORDS), st.characters(whitelist_categories=("Cs",))).map(lambda t: t[0] + " " + t[1]),
    st.sampled_from(HTML),
    st.sampled_from(SQL),
    st.sampled_from(LANGUAGES),
    st.lists(st.sampled_from(EMOJI), min_size=1, max_size=12).map("".join),
    st.sampled_from(DOSING),
    st.lists(st.sampled_from(WORDS + EMOJI + HTML[:2] + SQL[:2]), min_size=1, max_size=15).map(" ".join),
    st.text(max_size=300),
    st.text(alphabet=st.characters(min_codepoint=0x80, max_codepoint=0x2FFFF), min_size=1, max_size=80),
)


def new_sender() -> str:
    return f"hostile-{uuid.uuid4().hex[:12]}"


def post_raw(chat: Any, body: bytes, content_type: str = "application/json") -> requests.Response:
    SENT[0] += 1
    return requests.post(
        f"{chat.next_url()}/webhooks/rest/webhook", data=body, headers={"Content-Type": content_type, **chat.rest_headers()},
        timeout=120
    )


def assert_good_replies(resp: requests.Response, sender: str, allow_silence: bool = False) -> None:
    """200 with a list of messages for this sender, each passing the output guard."""
    assert resp.status_code == 200, (resp.status_code, resp.text[:300])
    replies = resp.json()
    assert isinstance(replies, list)
    if not allow_silence:
        assert replies, "the bot said nothing"
    for reply in replies:
        assert reply.get("recipient_id") == sender
        assert not contains_dose_amount(reply.get("text") or ""), reply.get("text")


def assert_clear_4xx(resp: requests.Response, *statuses: int) -> None:
    assert 400 <= resp.status_code < 500, (resp.status_code, resp.text[:300])
    if statuses:
        assert resp.status_code in statuses, (resp.status_code, resp.text[:300])
    body = resp.json()
    assert isinstance(body.get("error"), str) and body["error"]
    assert isinstance(body.get("detail"), str) and body["detail"]


def cleaned(message: str) -> str:
    """The text Rasa gets (bot/channels/rest.py's rules, written out independently)."""
    out = "".join(" " if (ord(c) < 32 and c not in "\t\n\r") or 0x7F <= ord(c) <= 0x9F else c for c in message)
    return out.strip()


def expected_status(message: str) -> int:
    if len(message) > MAX_MESSAGE_CHARS:
        return 413
    return 400 if not cleaned(message) else 200


def may_be_silent(message: str) -> bool:
    """A message starting with "/" is an intent payload (buttons send them); "/restart" and
    "/session_start" legitimately answer nothing."""
    return cleaned(message).startswith("/")


@settings(max_examples=330, **HYPOTHESIS)
@given(message=MESSAGES)
def test_generated_messages(chat, message: str) -> None:
    sender = new_sender()
    # json.dumps escapes lone surrogates as \ud800: valid JSON that decodes to an invalid string.
    resp = post_raw(chat, json.dumps({"sender": sender, "message": message}).encode("ascii"))
    assert resp.status_code < 500, resp.text[:300]
    status = expected_status(message)
    if status == 200:
        assert_good_replies(resp, sender, allow_silence=may_be_silent(message))
    else:
        assert_clear_4xx(resp, status)


RAW_MESSAGES = st.one_of(
    st.binary(min_size=1, max_size=120),
    st.tuples(st.binary(max_size=40), st.sampled_from([b"\xff", b"\xfe\xff", b"\xc3\x28", b"\xa0\xa1",
                                                          b"\xe2\x28\xa1", b"\xf0\x28\x8c\xbc", b"\xed\xa0\x80",
                                                          b"\xc0\xaf", b"\x80"])).map(b"".join),
    st.text(max_size=60).map(lambda t: t.encode("utf-8")),
    st.text(max_size=60).map(lambda t: t.encode("latin-1", "replace")),
    st.text(max_size=30).map(lambda t: t.encode("utf-16")),
)


@settings(max_examples=140, **HYPOTHESIS)
@given(raw=RAW_MESSAGES)
def test_raw_bytes_in_the_body(chat, raw: bytes) -> None:
    """The message's bytes go into the HTTP body as they are: invalid UTF-8 included."""
    sender = new_sender()
    body = b'{"sender": "' + sender.encode() + b'", "message": "' + raw + b'"}'
    resp = post_raw(chat, body)
    assert resp.status_code < 500, resp.text[:300]
    try:
        parsed = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        assert_clear_4xx(resp, 400)
        assert resp.json()["error"] == "invalid_encoding"
        return
    except ValueError:
        assert_clear_4xx(resp, 400)
        return
    message = parsed.get("message") if isinstance(parsed, dict) else None
    if not isinstance(parsed, dict) or set(parsed) != {"sender", "message"} or parsed["sender"] != sender:
        # The bytes closed the string and changed the request (e.g. `", "message": 5, "x": "`).
        if resp.status_code == 200:
            assert all(not contains_dose_amount(r.get("text") or "") for r in resp.json())
        else:
            assert_clear_4xx(resp)
    elif not isinstance(message, str):
        assert_clear_4xx(resp, 400)
    elif expected_status(message) == 200:
        assert_good_replies(resp, sender, allow_silence=may_be_silent(message))
    else:
        assert_clear_4xx(resp, expected_status(message))


BROKEN_BODIES: list[tuple[str, bytes]] = [
    ("empty body", b""),
    ("whitespace body", b"  \n "),
    ("truncated json", b'{"sender": "a", "message": '),
    ("trailing comma", b'{"sender": "a", "message": "hi",}'),
    ("single quotes", b"{'sender': 'a', 'message': 'hi'}"),
    ("unquoted keys", b'{sender: "a", message: "hi"}'),
    ("not json", b"hello there"),
    ("form encoded", b"sender=a&message=hi"),
    ("xml", b"<msg><sender>a</sender><message>hi</message></msg>"),
    ("json null", b"null"),
    ("json true", b"true"),
    ("json number", b"42"),
    ("json string", b'"hi"'),
    ("json array", b'[{"sender": "a", "message": "hi"}]'),
    ("empty object", b"{}"),
    ("nan", b'{"sender": "a", "message": NaN}'),
    ("bom + json", b'\xef\xbb\xbf{"sender": "a", "message": "hi"}'),
    ("utf-16 json", '{"sender": "a", "message": "hi"}'.encode("utf-16")),
    ("nested deep", b'{"sender": "a", "message": ' + b"[" * 5000 + b"]" * 5000 + b"}"),
    ("missing message", b'{"sender": "a"}'),
    ("missing sender", b'{"message": "hi"}'),
    ("message null", b'{"sender": "a", "message": null}'),
    ("message number", b'{"sender": "a", "message": 12}'),
    ("message float", b'{"sender": "a", "message": 1.5e308}'),
    ("message bool", b'{"sender": "a", "message": true}'),
    ("message list", b'{"sender": "a", "message": ["hi"]}'),
    ("message object", b'{"sender": "a", "message": {"text": "hi"}}'),
    ("message empty", b'{"sender": "a", "message": ""}'),
    ("message spaces", b'{"sender": "a", "message": "   "}'),
    ("message nul only", b'{"sender": "a", "message": "\\u0000"}'),
    ("message too long", json.dumps({"sender": "a", "message": "x" * 100_000}).encode()),
    ("sender null", b'{"sender": null, "message": "hi"}'),
    ("sender empty", b'{"sender": "", "message": "hi"}'),
    ("sender spaces", b'{"sender": "   ", "message": "hi"}'),
    ("sender bool", b'{"sender": false, "message": "hi"}'),
    ("sender list", b'{"sender": ["a"], "message": "hi"}'),
    ("sender object", b'{"sender": {"id": "a"}, "message": "hi"}'),
    ("sender float", b'{"sender": 1.5, "message": "hi"}'),
    ("sender too long", json.dumps({"sender": "a" * 1000, "message": "hi"}).encode()),
    ("sender newline", b'{"sender": "a\\nb", "message": "hi"}'),
    ("sender nul", b'{"sender": "a\\u0000", "message": "hi"}'),
    ("sender surrogate", b'{"sender": "a\\ud800", "message": "hi"}'),
    ("metadata list", b'{"sender": "a", "message": "hi", "metadata": [1]}'),
    ("metadata string", b'{"sender": "a", "message": "hi", "metadata": "x"}'),
    ("input_channel number", b'{"sender": "a", "message": "hi", "input_channel": 5}'),
    ("input_channel long", json.dumps({"sender": "a", "message": "hi", "input_channel": "c" * 500}).encode()),
    ("duplicate keys wrong last", b'{"sender": "a", "message": "hi", "message": 5}'),
    ("invalid utf-8 in key", b'{"send\xffer": "a", "message": "hi"}'),
    ("invalid utf-8 in sender", b'{"sender": "\xc3\x28", "message": "hi"}'),
    ("lone continuation", b'{"sender": "a", "message": "\x80\x80"}'),
    ("overlong slash", b'{"sender": "a", "message": "\xc0\xaf"}'),
    ("utf-8 surrogate bytes", b'{"sender": "a", "message": "\xed\xa0\x80"}'),
    ("latin-1 text", '{"sender": "a", "message": "caf\xe9"}'.encode("latin-1")),
    ("bad escape", b'{"sender": "a", "message": "\\x41"}'),
    ("control char raw", b'{"sender": "a", "message": "a\x01b"}'),
]


@pytest.mark.parametrize("name,body", BROKEN_BODIES, ids=[n for n, _ in BROKEN_BODIES])
def test_broken_body_gets_a_clear_4xx(chat, name: str, body: bytes) -> None:
    resp = post_raw(chat, body)
    assert_clear_4xx(resp)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "", "application/xml"])
def test_valid_json_is_read_whatever_the_content_type(chat, content_type: str) -> None:
    """As with Rasa's own channel: `curl -d '{...}'` (form content type) must keep working."""
    sender = new_sender()
    resp = post_raw(chat, json.dumps({"sender": sender, "message": "hi"}).encode(), content_type)
    assert_good_replies(resp, sender)


def test_wrong_method_is_a_4xx(chat) -> None:
    for method in ("get", "put", "delete"):
        resp = getattr(requests, method)(f"{chat.next_url()}/webhooks/rest/webhook", timeout=30)
        assert 400 <= resp.status_code < 500, (method, resp.status_code)


# The security review's slowest inputs (H3): before, "$" x 5000 stalled everyone for 6.7 s,
# 12,000 "(" through /model/parse for 20.8 s (quadratic in the run length).
WORST = [
    "$" * 1000, "$(" * 500, "(" * 1000, '"' * 1000, "!" * 1000, "\u2026" * 1000, "{" * 1000,
    "/x" + "{" * 998, "\ufdfa" * 1000, "my pain " + "$" * 990,
]
#: Generous bounds for a busy 2-core machine; the failure they catch takes tens of seconds to minutes.
WORST_BOUND_S = 10.0


def test_worst_inputs_are_answered_quickly_and_do_not_stall_other_patients(chat) -> None:
    import concurrent.futures as cf
    import time

    def timed(fn):
        started = time.monotonic()
        resp = fn()
        return resp, time.monotonic() - started

    def hostile(text: str) -> requests.Response:
        return requests.post(f"{chat.next_url()}/webhooks/rest/webhook",
                             json={"sender": new_sender(), "message": text}, headers=chat.rest_headers(),
                             timeout=120)

    def parse(text: str) -> requests.Response:  # Rasa's HTTP API (the session servers have a token)
        return chat.api("POST", "/model/parse", json={"text": text}, timeout=300)

    def hello() -> requests.Response:
        sender = new_sender()
        return requests.post(f"{chat.next_url()}/webhooks/rest/webhook", json={"sender": sender, "message": "hi"},
                             headers=chat.rest_headers(), timeout=120)

    slowest = 0.0
    for text in WORST:
        resp, took = timed(lambda text=text: hostile(text))
        assert resp.status_code == 200 and resp.json(), (text[:20], resp.status_code)
        slowest = max(slowest, took)
    # Near the 64 KB request cap, through the API (not a channel): the first pipeline component collapses.
    with cf.ThreadPoolExecutor(max_workers=4) as pool:
        big = [pool.submit(timed, lambda t=t: parse(t)) for t in ("(" * 60000, "$(" * 30000, "$" * 60000)]
        time.sleep(0.3)
        hi_resp, hi_took = pool.submit(timed, hello).result()
        for future in big:
            resp, took = future.result()
            assert resp.status_code == 200, resp.text[:200]
            slowest = max(slowest, took)
    assert hi_resp.status_code == 200 and hi_resp.json()
    print(f"\nworst inputs: slowest {slowest:.2f} s; another patient's 'hi' meanwhile {hi_took:.2f} s")
    assert slowest < WORST_BOUND_S and hi_took < WORST_BOUND_S, (slowest, hi_took)


def test_too_long_messages_are_refused_kindly(chat) -> None:
    resp = post_raw(chat, json.dumps({"sender": new_sender(), "message": "x" * (MAX_MESSAGE_CHARS + 1)}).encode())
    assert_clear_4xx(resp, 413)
    assert "too long" in resp.json()["detail"] and "emergency" in resp.json()["detail"]
    session = requests.post(f"{chat.url}/webchat/session", timeout=30).json()["sender"]
    resp = requests.post(f"{chat.url}/webchat/webhook", json={"sender": session, "message": "x" * (MAX_MESSAGE_CHARS + 1)}, timeout=30)
    assert resp.status_code == 200 and "too long" in resp.json()[0]["text"]


def test_at_least_500_hostile_messages_were_sent() -> None:
    assert SENT[0] >= 500, SENT[0]


def test_servers_survived(chat, session_servers) -> None:
    running = session_servers()
    assert running is not None
    assert all(proc.poll() is None for proc in running.processes), [p.poll() for p in running.processes]
    for url in chat.urls:
        assert requests.get(f"{url}/webhooks/rest/", timeout=30).status_code == 200
    sender = new_sender()
    resp = requests.post(f"{chat.url}/webhooks/rest/webhook", json={"sender": sender, "message": "hi"},
                         headers=chat.rest_headers(), timeout=60)
    assert_good_replies(resp, sender)
