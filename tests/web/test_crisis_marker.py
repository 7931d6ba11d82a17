"""How the web chat channel marks a crisis reply for the widget (no browser needed).

The widget raises its emergency banner from an explicit server-side marker, never from the
wording: the name of the domain response (``utter_crisis`` / ``utter_crisis_<kind>``) that Rasa
passes to the output channel, or a ``custom: {"emergency": true}`` payload.
"""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
import yaml
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot import knowledge
from bot.channels.webchat import (
    WebChatOutput,
    clinic_config,
    crisis_marker,
    emergency_contacts,
    keep_crisis_markers,
    marked_replies,
)
from bot.paths import KNOWLEDGE_DIR

CRISIS = "my husband took too many pills and he will not wake up"


@pytest.mark.parametrize(
    ("name", "kind", "alarm"),
    [
        ("utter_crisis_emergency", "emergency", True),
        ("utter_crisis_support", "support", True),
        ("utter_crisis", "emergency", True),
        # the kinds planned in issue 11: any response named utter_crisis<...> is a crisis reply
        ("utter_crisis_overdose", "overdose", True),
        ("utter_crisis_suicide", "suicide", True),
        ("utter_crisis_extra_dose", "extra_dose", True),
        ("utter_crisis_red_flag", "red_flag", True),
        ("utter_crisis_past_harm", "past_harm", False),  # kind, but no alarm
        ("utter_crisis_past_harm_support", "past_harm_support", False),
    ],
)
def test_every_utter_crisis_response_is_marked(name, kind, alarm):
    assert crisis_marker({"text": "x", "utter_action": name}) == {"kind": kind, "alarm": alarm, "lang": "en"}


@pytest.mark.parametrize(
    ("name", "kind", "alarm"),
    [
        ("utter_crisis_es_overdose", "overdose", True),
        ("utter_crisis_es_suicide_more", "suicide_more", True),
        ("utter_crisis_es_followup_general", "followup_general", True),
        ("utter_crisis_es_past_harm", "past_harm", False),
    ],
)
def test_spanish_crisis_responses_are_marked_spanish(name, kind, alarm):
    assert crisis_marker({"text": "x", "utter_action": name}) == {"kind": kind, "alarm": alarm, "lang": "es"}


def test_every_spanish_crisis_response_of_the_domain_is_marked_spanish():
    domain = yaml.safe_load((KNOWLEDGE_DIR.parent / "domain.yml").read_text(encoding="utf-8"))
    names = [n for n in domain["responses"] if n.startswith("utter_crisis_es_")]
    assert len(names) >= 10, names  # the convention this marker rests on still holds
    for name in names:
        assert crisis_marker({"text": "x", "utter_action": name})["lang"] == "es", name


def test_spanish_banner_labels():
    english, spanish = emergency_contacts(), emergency_contacts(lang="es")
    assert [c["number"] for c in spanish] == [c["number"] for c in english]  # the same numbers
    labels = {c["id"]: c["label"] for c in spanish}
    assert labels["emergency"] == "Emergencias"
    assert labels["poison_control"] == "Control de Envenenamientos"
    # the words of the Spanish crisis replies (domain.yml): "988 y marque 2 para español"
    assert labels["crisis_line"] == "Línea de Prevención del Suicidio y Crisis (marque 2 para español)"


@pytest.mark.parametrize("name", ["utter_dosing", "utter_greet", "action_answer_faq", "", None])
def test_other_responses_are_not_marked(name):
    assert crisis_marker({"text": "Call 911 now. Poison Control: 1-800-222-1222.", "utter_action": name}) is None


def test_a_custom_emergency_payload_marks_a_message_too():
    assert crisis_marker({"custom": {"emergency": True}}) == {"kind": "emergency", "alarm": True, "lang": "en"}
    assert crisis_marker({"custom": {"emergency": True, "kind": "past_harm"}}) == {
        "kind": "past_harm", "alarm": False, "lang": "en"}
    assert crisis_marker({"custom": {"emergency": True, "lang": "es"}})["lang"] == "es"
    assert crisis_marker({"custom": {"emergency": True, "lang": "<b>"}})["lang"] == "en"
    assert crisis_marker({"custom": {"emergency": True, "kind": "overdose", "alarm": False}})["alarm"] is False
    assert crisis_marker({"custom": {"emergency": False}}) is None
    assert crisis_marker({"custom": "emergency"}) is None


def test_the_banner_numbers_come_from_clinic_yml():
    contacts = {c["id"]: c for c in emergency_contacts()}
    emergency = yaml.safe_load((KNOWLEDGE_DIR / "clinic.yml").read_text(encoding="utf-8"))["emergency"]
    assert contacts["emergency"]["number"] == emergency["number"]
    assert contacts["crisis_line"]["number"] == emergency["crisis_line"]
    assert contacts["poison_control"]["number"] == emergency["poison_control"]
    # clinic.yml says "call or text 988": the crisis line takes texts
    assert contacts["crisis_line"]["sms"] is ("text" in emergency["crisis_line_text"].lower().split())
    assert contacts["crisis_line"]["label"] in emergency["crisis_line_text"]
    assert clinic_config()["emergency_contacts"] == emergency_contacts()


def test_banner_numbers_for_another_clinic_file(tmp_path: Path):
    (tmp_path / "clinic.yml").write_text(
        "emergency:\n  number: '112'\n  crisis_line: '116 123'\n"
        "  crisis_line_text: 'call 116 123 (Samaritans)'\n  poison_control: ''\n",
        encoding="utf-8",
    )
    contacts = emergency_contacts(tmp_path)
    knowledge.reload()  # the file changes below: forget the one read
    assert [(c["number"], c["label"], c["sms"]) for c in contacts] == [
        ("112", "Emergency", False), ("116 123", "Samaritans", False),
    ]  # no texting mentioned, and an empty poison-control number is left out
    (tmp_path / "clinic.yml").write_text(
        "emergency:\n  crisis_line_text: 'call 988'\n  crisis_line_sms: true\n", encoding="utf-8"
    )
    contacts = emergency_contacts(tmp_path)
    knowledge.reload()
    assert [c["number"] for c in contacts] == ["911", "988", "1-800-222-1222"]  # defaults
    assert contacts[1]["sms"] is True and contacts[1]["label"] == "Crisis line"
    for broken in (": not yaml [", "emergency: just text\n", "- a list\n"):
        (tmp_path / "clinic.yml").write_text(broken, encoding="utf-8")
        knowledge.reload()
        assert [c["number"] for c in emergency_contacts(tmp_path)] == ["911", "988", "1-800-222-1222"], broken


def test_output_channel_keeps_the_response_name_on_every_part():
    out = WebChatOutput()

    async def utter() -> None:
        # what Rasa's processor hands the channel (BotUttered.message()), text with a blank line
        await out.send_response("s", {"text": "First part.\n\nSecond part.", "utter_action": "utter_crisis_overdose",
                                      "buttons": None, "custom": None, "timestamp": 1.0})
        await out.send_response("s", {"text": "Plain answer.", "utter_action": "utter_faq_x"})
        await out.send_response("s", {"text": "Kind words.", "custom": {"emergency": True, "kind": "past_harm"}})

    # In a thread of its own: Playwright's sync API (the session's browser) keeps an event loop
    # running in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, utter()).result()
    replies = marked_replies(out.messages, contacts=lambda lang: [{"id": "emergency", "number": "911"}])
    assert [r["text"] for r in replies] == ["First part.", "Second part.", "Plain answer.", "Kind words."]
    assert replies[0]["emergency"] == {
        "kind": "overdose", "alarm": True, "lang": "en", "contacts": [{"id": "emergency", "number": "911"}]}
    assert replies[1]["emergency"]["kind"] == "overdose"
    assert "emergency" not in replies[2]
    assert replies[3]["emergency"]["alarm"] is False
    # nothing else of the server's message reaches the browser
    assert all(set(r) <= {"text", "buttons", "image", "emergency"} for r in replies)


def test_the_handlers_plain_collector_receives_the_marked_messages():
    async def processor(message: UserMessage) -> None:  # what Rasa does with the reply
        await message.output_channel.send_response("s", {"text": "Call now.", "utter_action": "utter_crisis_overdose"})

    collector = CollectingOutputChannel()

    async def receive() -> None:
        await keep_crisis_markers(processor)(UserMessage("help", collector, "s", input_channel="webchat"))

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, receive()).result()
    assert [(m["text"], m["utter_action"]) for m in collector.messages] == [("Call now.", "utter_crisis_overdose")]
    assert marked_replies(collector.messages)[0]["emergency"]["kind"] == "overdose"


def webchat_sender(chat, fallback: str) -> str:
    """A conversation id the webhook accepts: issued by POST /webchat/session where the server
    has that route (signed ids), else any well-formed id."""
    resp = requests.post(chat.url + "/webchat/session", timeout=30)
    return resp.json()["sender"] if resp.status_code == 200 else fallback


def test_webhook_marks_the_crisis_reply_and_nothing_else(chat, sender):
    sender = webchat_sender(chat, sender)
    url = chat.url + "/webchat/webhook"
    plain = requests.post(url, json={"sender": sender, "message": "is OIH the same as addiction?"}, timeout=60).json()
    assert plain and all("emergency" not in r for r in plain)
    replies = requests.post(url, json={"sender": sender, "message": CRISIS}, timeout=60).json()
    marked = [r for r in replies if "emergency" in r]
    assert marked and replies[0] is marked[0], replies  # the reply starts with the crisis message
    first = marked[0]["emergency"]
    assert first["alarm"] is True and first["kind"] not in ("past_harm", "")  # the kind of the crisis
    assert first["contacts"] == emergency_contacts()
    for contact in first["contacts"]:
        assert contact["number"] in marked[0]["text"]  # the banner repeats the first message's numbers
