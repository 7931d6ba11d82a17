"""The review workflow (issue 13, point 3): packet, sign-off, staleness, provenance, Source line.

The CLI runs as a subprocess on a copy of knowledge/ (OIH_KNOWLEDGE_DIR), as a clinic would run it:
the repository's own knowledge/reviews.yml is never written by a test.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot import review_packet, signoff
from bot.answers import faq_messages
from bot.knowledge import KnowledgeError, load_knowledge
from bot.paths import KNOWLEDGE_DIR, ROOT, SEEDS_DIR
from bot.signoff import PROVENANCE_KEY, UNREVIEWED

KB = load_knowledge()
ROLE = "pain medicine physician"


@pytest.fixture
def kdir(tmp_path: Path) -> Path:
    """A clinic's copy of knowledge/ that the test may sign and edit."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


def cli(kdir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "OIH_KNOWLEDGE_DIR": str(kdir), "OIH_SEEDS_DIR": str(SEEDS_DIR), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "bot", "review", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def packet(kdir: Path, out: Path) -> str:
    done = cli(kdir, "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out.read_text(encoding="utf-8")


def topic_block(page: str, topic: str) -> str:
    return page.split(f'id="topic-{topic}"', 1)[1].split('<section class="topic"', 1)[0]


def visible(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def edit_answer(kdir: Path, topic: str, old: str, new: str) -> None:
    path = kdir / "faq" / f"{topic}.yml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert old in " ".join(raw["answer"].split())
    raw["answer"] = " ".join(raw["answer"].split()).replace(old, new)
    path.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_packet_has_every_topic_its_passages_and_marks_all_unsigned(kdir, tmp_path):
    page = packet(kdir, tmp_path / "review" / "index.html")
    assert page.count('<section class="topic"') == len(KB.faqs)
    assert "<script" not in page and "http-equiv" not in page  # self-contained, nothing runs
    assert '@media print' in page and 'break-before: page' in page
    assert re.search(r'id="count-unsigned">%d<' % len(KB.faqs), page)
    for entry in KB.faqs.values():
        block = topic_block(page, entry.id)
        text = visible(block)
        assert 'data-state="unsigned"' in page.split(f'id="topic-{entry.id}"', 1)[0][-80:] + block[:40]
        assert "Not signed off" in text
        assert signoff.content_hash(entry) in text
        assert entry.answer in text
        assert KB.source_line(entry) in text
        assert f"Cited passages ({len(entry.sources)})" in text
        for cite in entry.sources:
            source = KB.sources[cite.source]
            assert source.title in text
            if source.is_article:
                passage = review_packet.section_text(source, cite.heading)
                assert passage and len(passage.split()) >= 10, (entry.id, cite)
                article = (SEEDS_DIR / source.file).read_text(encoding="utf-8")
                first_line = passage.splitlines()[0]
                assert first_line in article  # the exact words of the article
                assert " ".join(first_line.split()) in " ".join(text.split())
            else:
                assert source.url in text


def test_passages_stop_before_reference_lists_and_bylines():
    source = KB.sources["bicycle-what-to-do"]
    passage = review_packet.section_text(source, "Treatment for Hyperalgesia")
    assert "can and will resolve" in passage
    assert "Accessed" not in passage and "Medically Reviewed" not in passage
    intro = review_packet.section_text(KB.sources["bicycle-recovery"], "Introduction")
    assert intro.startswith("Opioid-induced hyperalgesia (OIH) is defined")


def test_missing_article_text_fails_loudly(tmp_path):
    with pytest.raises(FileNotFoundError):
        review_packet.section_text(KB.sources["tolerance-signs"], "Introduction", seeds_dir=tmp_path)


def test_signing_marks_the_topic_signed_and_editing_makes_it_stale(kdir, tmp_path):
    topic = "is_it_permanent"
    entry = KB.faq(topic)
    current = signoff.content_hash(entry)
    done = cli(kdir, "sign", topic, "--by", ROLE, "--hash", current)
    assert done.returncode == 0, done.stderr
    stored = yaml.safe_load((kdir / "reviews.yml").read_text(encoding="utf-8"))["signoffs"][topic]
    assert stored["by"] == ROLE and stored["content_hash"] == current and stored["content"]["answer"] == entry.answer

    page = packet(kdir, tmp_path / "signed.html")
    assert re.search(r'id="count-signed">1<', page) and re.search(r'id="count-unsigned">%d<' % (len(KB.faqs) - 1), page)
    block = visible(topic_block(page, topic))
    assert f"Signed off {stored['date']} by {ROLE}" in block and "No change since the sign-off" in block
    kb = load_knowledge(kdir)
    assert signoff.provenance(kb.faq(topic), kdir)["review"] == stored["date"]

    edit_answer(kdir, topic, "Often it is not, but no one can promise.", "Often it is not, though no one can be sure.")
    kb = load_knowledge(kdir)
    now = signoff.statuses(kb, kdir)[topic]
    assert now.state == "stale" and now.content_hash != current
    assert signoff.provenance(kb.faq(topic), kdir)["review"] == UNREVIEWED
    page = packet(kdir, tmp_path / "stale.html")
    raw_block = topic_block(page, topic)
    assert "Sign-off stale" in visible(raw_block)
    assert "<del>but</del> <ins>though</ins> no one can <del>promise.</del> <ins>be sure.</ins>" in raw_block
    assert re.search(r'id="count-stale">1<', page)


def test_sign_refuses_a_changed_text_an_unknown_topic_and_no_role(kdir):
    refused = cli(kdir, "sign", "what_is_oih", "--by", ROLE, "--hash", "0000000000000000")
    assert refused.returncode == 1 and "changed since the packet" in refused.stderr
    assert cli(kdir, "sign", "not_a_topic", "--by", ROLE).returncode == 1
    assert cli(kdir, "sign", "what_is_oih").returncode == 2
    assert cli(kdir, "sign", "what_is_oih", "--by", ROLE, "--hash", "3").returncode == 1  # too short to mean anything
    with pytest.raises(KnowledgeError):
        signoff.sign(KB, kdir, "what_is_oih", "   ")
    assert not signoff.load_signoffs(kdir)


def test_signing_at_the_same_time_loses_no_signoff(kdir):
    env = {**os.environ, "OIH_KNOWLEDGE_DIR": str(kdir), "PYTHONPATH": str(ROOT)}
    topics = list(KB.faqs)[:4]
    procs = [subprocess.Popen([sys.executable, "-m", "bot", "review", "sign", t, "--by", ROLE], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for t in topics]
    assert [p.wait(timeout=120) for p in procs] == [0] * len(topics)
    assert sorted(signoff.load_signoffs(kdir)) == sorted(topics)


def test_status_lists_every_topic(kdir):
    done = cli(kdir, "status")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert len(lines) == len(KB.faqs) and all(line.startswith("unsigned") for line in lines)


def test_every_signoff_on_file_is_complete():
    """Whatever a clinic has signed must load (who, when, hash and the text read)."""
    for topic, item in signoff.load_signoffs(KNOWLEDGE_DIR).items():
        assert topic in KB.faqs and item.by and item.content.get("answer"), topic


def test_content_hash_covers_what_patients_see_not_training_examples():
    entry = KB.faq("what_is_oih")
    from dataclasses import replace

    assert signoff.content_hash(replace(entry, examples=entry.examples + ("another way to ask",))) == \
        signoff.content_hash(entry)
    assert signoff.content_hash(replace(entry, answer=entry.answer + " More.")) != signoff.content_hash(entry)
    assert signoff.content_hash(replace(entry, sources=entry.sources[:1])) != signoff.content_hash(entry) \
        or len(entry.sources) == 1


def test_answer_messages_carry_provenance(kdir):
    messages = faq_messages(KB, "oih_vs_addiction", show_disclaimer=False, kb_dir=kdir)
    expected = {"topic": "oih_vs_addiction", "content_hash": signoff.content_hash(KB.faq("oih_vs_addiction")),
                "review": UNREVIEWED}
    assert [m[PROVENANCE_KEY] for m in messages] == [expected, expected]


@pytest.mark.parametrize("entry", list(KB.faqs.values()), ids=list(KB.faqs))
def test_source_line_is_one_short_line_with_one_title_and_its_section(entry):
    line = KB.source_line(entry)
    assert line.startswith("Source: ") and "\n" not in line and len(line) <= 200, line
    titles = [s.short_title or s.title for s in KB.sources.values()]
    assert sum(t in line for t in titles) == 1, line
    assert f"\u201c{entry.sources[0].heading}\u201d" in line
    # The output guard replaces any message it takes for a dose: a count or a year must not trip it.
    from bot.replies import render
    from bot.safety import contains_dose_amount

    messages = faq_messages(KB, entry.id, show_disclaimer=True)
    assert not any(contains_dose_amount(render(m)["text"]) for m in messages)


def test_staff_page_marks_signed_stale_and_unsigned_answers(kdir, tmp_path):
    """The staff page (behind its sign-in, tests/conversation/test_channels.py) on a clinic's copy."""
    assert cli(kdir, "sign", "tapering", "is_it_permanent", "--by", ROLE).returncode == 0
    edit_answer(kdir, "is_it_permanent", "Often it is not, but no one can promise.", "Often it is not.")
    env = {**os.environ, "OIH_KNOWLEDGE_DIR": str(kdir), "OIH_VAR_DIR": str(tmp_path / "var"), "PYTHONPATH": str(ROOT)}
    page = subprocess.run([sys.executable, "-c", "from bot.channels.staff import render_page; print(render_page(''))"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True).stdout
    assert "Signed off" in topic_block_staff(page, "tapering") and ROLE in topic_block_staff(page, "tapering")
    assert "Sign-off stale" in topic_block_staff(page, "is_it_permanent")
    assert "Not signed off" in topic_block_staff(page, "what_is_oih")
    assert "<strong>1 of %d</strong> answers signed off; <strong>1</strong> changed" % len(KB.faqs) in page


def topic_block_staff(page: str, topic: str) -> str:
    return page.split(f'id="topic-{topic}"', 1)[1].split('<div class="topic"', 1)[0]
