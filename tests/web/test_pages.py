"""What the web chat channel serves, over plain HTTP (no browser needed for these)."""
from __future__ import annotations

import os
import re

import pytest
import requests


def test_demo_page_is_served_at_the_root_and_at_webchat(chat):
    for path in ("/", "/webchat", "/webchat/"):
        resp = requests.get(chat.url + path, timeout=30)
        assert resp.status_code == 200, path
        assert resp.headers["Content-Type"].startswith("text/html")
        assert '<script src="/webchat/widget.js"' in resp.text


def test_widget_files_are_served_with_their_types_and_nothing_else(chat):
    js = requests.get(chat.url + "/webchat/widget.js", timeout=30)
    assert js.status_code == 200 and js.headers["Content-Type"].startswith("application/javascript")
    assert not re.search(r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write", js.text)
    css = requests.get(chat.url + "/webchat/widget.css", timeout=30)
    assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css")
    for path in ("/webchat/..%2Fbot%2Fcli.py", "/webchat/%2e%2e/credentials.yml", "/webchat/index.js"):
        assert requests.get(chat.url + path, timeout=30).status_code == 404, path
    config = requests.get(chat.url + "/webchat/config.json", timeout=30).json()
    assert config["emergency_number"]


def test_webchat_endpoint_answers_and_checks_its_input(chat):
    url = chat.url + "/webchat/webhook"
    sender = requests.post(chat.url + "/webchat/session", timeout=30).json()["sender"]
    replies = requests.post(url, json={"sender": sender, "message": "hi"}, timeout=60).json()
    assert replies and all(set(r) <= {"text", "buttons", "image"} for r in replies)
    assert chat.tracker(sender, "webchat")["latest_input_channel"] == "webchat"
    assert requests.post(url, data="not json", timeout=30).status_code == 400
    assert requests.post(url, json={"sender": "a b", "message": "hi"}, timeout=30).status_code == 403
    assert requests.post(url, json={"sender": sender, "message": "  "}, timeout=30).status_code == 400
    too_long = requests.post(url, json={"sender": sender, "message": "x" * 1001}, timeout=30)
    assert too_long.status_code == 200 and "too long" in too_long.json()[0]["text"]  # told, not processed


def test_staff_page_is_disabled_without_a_token_configured(chat):
    if os.environ.get("OIH_STAFF_TOKEN"):
        pytest.skip("OIH_STAFF_TOKEN is set in this environment, so the servers enable the page")
    resp = requests.get(chat.url + "/staff", params={"token": "anything"}, timeout=30)
    assert resp.status_code == 503
    assert "OIH_STAFF_TOKEN" in resp.text
