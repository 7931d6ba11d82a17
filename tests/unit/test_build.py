"""Generated files must match knowledge/: a stale file means the model trains on old content."""
from __future__ import annotations

import yaml

from bot.build import faq_rules, faq_training_data, stale_files
from bot.knowledge import load_knowledge

KB = load_knowledge()


def test_generated_files_are_fresh():
    assert stale_files() == [], "run `python -m bot build` and commit the result"


def test_faq_data_holds_every_topic_and_its_examples():
    data = yaml.safe_load(faq_training_data(KB))
    by_intent = {item["intent"]: item["examples"].splitlines() for item in data["nlu"]}
    assert set(by_intent) == {f"faq_{t}" for t in KB.faqs}
    for topic, entry in KB.faqs.items():
        assert len(by_intent[f"faq_{topic}"]) == len({e.lower() for e in entry.examples})


def test_every_topic_intent_has_a_rule_to_the_answer_action():
    rules = yaml.safe_load(faq_rules(KB))["rules"]
    answered = {r["steps"][0]["intent"] for r in rules if r["steps"][1] == {"action": "action_answer_faq"}}
    assert answered == {f"faq_{t}" for t in KB.faqs}


def test_an_edited_answer_makes_the_domain_stale(tmp_path):
    import shutil

    from bot.paths import KNOWLEDGE_DIR, ROOT

    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, knowledge)
    clinic = knowledge / "clinic.yml"
    clinic.write_text(clinic.read_text().replace("(555) 010-0000", "(555) 010-9999"))
    assert "domain.yml" in [str(p) for p in stale_files(ROOT, knowledge)]


def test_the_questionnaire_slots_and_form_come_from_screening_yml():
    from bot.build import screening_domain_blocks
    from bot.screening import load_screening

    ids = list(load_screening().ids)
    blocks = screening_domain_blocks()
    assert list(blocks["screening-slots"]) == ids
    assert blocks["screening-forms"] == {"screening_form": {"required_slots": ids}}
    assert blocks["screening-actions"] == [f"action_ask_{i}" for i in ids]
