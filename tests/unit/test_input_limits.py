"""Nothing freezes (security review H3): symbol runs collapsed before any tokenizer, length capped."""
from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace

import pytest
import yaml

from bot import input_limits
from bot.input_limits import collapse_runs
from bot.paths import ROOT


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("why?????", "why???"),
        ("help!!!!!!!!!!", "help!!!"),
        ("$" * 5000, "$$$"),
        ("(" * 12000, "((("),
        ("…" * 5000, "………"),
        ("_" * 500, "___"),
        ("call 555-0000 or 555 0000000", "call 555-0000 or 555 0000000"),  # digits never touched
        ("soooooo much pain", "soooooo much pain"),  # letters never touched
        ('/choose_topic{"topic": "what_is_oih"}', '/choose_topic{"topic": "what_is_oih"}'),
        ("https://example.org/a?b=c :-) ...", "https://example.org/a?b=c :-) ..."),
    ],
)
def test_runs_are_collapsed_and_words_kept(typed, expected):
    assert collapse_runs(typed) == expected


def test_mixed_symbol_runs_are_broken_up():
    out = collapse_runs("$(" * 2500)
    assert max(len(part) for part in out.split()) <= input_limits.SYMBOL_CHUNK


def test_the_reviews_worst_inputs_tokenise_quickly():
    import spacy

    from bot.paths import SPACY_MODEL_DIR

    if not SPACY_MODEL_DIR.exists():
        pytest.skip("the spaCy pipeline is built by `python -m bot build`")
    tokenizer = spacy.load(SPACY_MODEL_DIR).tokenizer
    worst = ["$" * 5000, "$(" * 32000, "(" * 64000, '"' * 5000, "!" * 5000, "…" * 5000, "/x" + "{" * 4900, ":)" * 2500]
    started = time.perf_counter()
    for text in worst:
        tokenizer(collapse_runs(text))
    # Before: "$" x 5000 alone took 3.9-6.7 s, "$(" x 1000 4.0 s. Generous for a busy machine.
    assert time.perf_counter() - started < 5


def test_too_long_text_is_kind_and_gives_the_emergency_number():
    clinic = yaml.safe_load((ROOT / "knowledge" / "clinic.yml").read_text(encoding="utf-8"))
    text = input_limits.too_long_text(1000)
    assert "1,000 characters" in text and clinic["emergency"]["number"] in text
    assert input_limits.too_long("x" * 1001, 1000) and not input_limits.too_long("x" * 1000, 1000)


def test_platform_channels_answer_long_messages_without_processing_them():
    processed, sent = [], []

    async def on_new_message(message):
        processed.append(message.text)

    class Out:
        async def send_response(self, recipient, message):
            sent.append((recipient, message["text"]))

    handler = input_limits.limited(on_new_message)
    asyncio.run(handler(SimpleNamespace(text="x" * (input_limits.MAX_MESSAGE_CHARS + 1), sender_id="telegram:1", output_channel=Out())))
    asyncio.run(handler(SimpleNamespace(text="why?????", sender_id="telegram:1", output_channel=Out())))
    assert processed == ["why???"]
    assert len(sent) == 1 and sent[0][0] == "telegram:1" and "too long" in sent[0][1]


def test_the_normalizer_is_the_first_pipeline_component():
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    assert config["pipeline"][0]["name"] == "bot.components.text_normalizer.TextNormalizer"
