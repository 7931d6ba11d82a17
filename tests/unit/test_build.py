"""Generated files must match knowledge/: a stale file means the model trains on old content."""
from __future__ import annotations

import yaml

from bot.build import faq_training_data, stale_files
from bot.knowledge import load_knowledge


def test_generated_files_are_fresh():
    assert stale_files() == [], "run `python -m bot build` and commit the result"


def test_faq_data_holds_every_topic_and_example():
    kb = load_knowledge()
    data = yaml.safe_load(faq_training_data(kb))
    intents = {item["intent"] for item in data["nlu"]}
    assert intents == {f"faq/{t}" for t in kb.faqs}
    assert set(data["responses"]) == {f"utter_faq/{t}" for t in kb.faqs}
