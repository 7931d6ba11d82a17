"""The review packet as a reader sees it: real Chromium, on screen and as printed (issue 13).

It is opened from a file (how a clinic opens it from e-mail or a USB stick): no server needed.
Screenshots go to test-artifacts/ for a person to look at.
"""
from __future__ import annotations

import re
from pathlib import Path

from bot import review_packet
from bot.knowledge import load_knowledge
from bot.paths import KNOWLEDGE_DIR

KB = load_knowledge()
TOPIC = "new_pain_qualities"


def _open(page, tmp_path: Path):
    out = review_packet.write(KB, KNOWLEDGE_DIR, tmp_path / "review" / "index.html")
    page.goto(out.as_uri())
    return page


def test_packet_reads_well_on_screen_and_passes_wcag(page, tmp_path, artifacts, axe):
    _open(page, tmp_path)
    assert page.title().startswith("Content review packet")
    assert page.locator("section.topic").count() == len(KB.faqs)
    assert page.locator("section.topic .badge.unsigned").count() == len(KB.faqs)
    page.locator(f"#topic-{TOPIC}").screenshot(path=str(artifacts / "review-packet-topic-screen.png"))
    assert axe(page) == []


def test_printed_page_puts_the_answer_beside_its_passages_one_topic_per_page(page, tmp_path, artifacts):
    page.set_viewport_size({"width": 760, "height": 1100})  # A4 at 96 dpi, less the margins
    _open(page, tmp_path)
    page.emulate_media(media="print")
    topic = page.locator(f"#topic-{TOPIC}")
    topic.screenshot(path=str(artifacts / "review-packet-topic-print.png"))
    assert topic.evaluate("e => getComputedStyle(e).breakBefore") == "page"
    answer = topic.locator(".answer").bounding_box()
    passage = topic.locator(".passage").first.bounding_box()
    assert answer["x"] + answer["width"] <= passage["x"], "answer and passages must sit side by side"
    assert abs(answer["y"] - passage["y"]) < 200, "passages start level with the answer"
    # Nothing wider than the page: no clipped text when printed.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 760
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages > len(KB.faqs), f"{pages} printed pages for {len(KB.faqs)} topics and a cover"
