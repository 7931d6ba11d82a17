"""Screening scoring re-based on the 002 article's clues (issue 13; content audit section 7).

Long-term use is a gate, not a sign; only the distinguishing clues of "Clinical Clues That Point to
OIH" carry the level; relief wearing off sooner, poor sleep and "no known new cause" are reported
apart and never counted; the result says some signs are also common with tolerance or withdrawal.
"""
from __future__ import annotations

import pytest
import textstat

from bot.screening import load_screening, printable_summary, result_messages, score

S = load_screening()
BASE = {q.id: ("yes" if q.inverted else "no") for q in S.questions}  # nothing present


def answers(**overrides: str) -> dict[str, str]:
    return {**BASE, **overrides}


# The audit's own counter-example: ordinary tolerance with poorly controlled pain and poor sleep.
TOLERANCE_ONLY = answers(long_term_use="yes", shorter_relief="yes", sleep_trouble="yes", known_new_cause="no")
TOLERANCE_PLUS_STEADY = {**TOLERANCE_ONLY, "pain_on_stable_dose": "yes"}
OIH_CLUES = answers(long_term_use="yes", worse_despite_higher_dose="yes", pain_spreading="yes", touch_pain="yes")
ALL_CLUES = answers(long_term_use="yes", **{q.id: "yes" for q in S.questions if q.role == "clue"})
MIXED = answers(long_term_use="yes", touch_pain="yes", new_pain_quality="yes", shorter_relief="yes",
                sleep_trouble="yes", known_new_cause="no")
MIXED_ONE_CLUE = answers(long_term_use="yes", touch_pain="yes", shorter_relief="yes", sleep_trouble="yes",
                         known_new_cause="no", pain_on_stable_dose="unsure")
CLUES_WITHOUT_LONG_TERM = {**OIH_CLUES, "long_term_use": "no"}
CLUES_LONG_TERM_UNSURE = {**OIH_CLUES, "long_term_use": "unsure"}
CLUES_LONG_TERM_SKIPPED = {**OIH_CLUES, "long_term_use": "skipped"}

TABLE = [
    # name, answers, level, clues counted, context listed apart
    ("tolerance-only", TOLERANCE_ONLY, "few or no signs", [], ["known_new_cause", "shorter_relief", "sleep_trouble"]),
    ("tolerance + steady-dose pain", TOLERANCE_PLUS_STEADY, "few or no signs", ["pain_on_stable_dose"],
     ["known_new_cause", "shorter_relief", "sleep_trouble"]),
    ("OIH clues", OIH_CLUES, "several signs", ["worse_despite_higher_dose", "pain_spreading", "touch_pain"], []),
    ("all clues", ALL_CLUES, "several signs",
     ["worse_despite_higher_dose", "pain_spreading", "new_pain_quality", "touch_pain", "pain_on_stable_dose"], []),
    ("mixed", MIXED, "some signs", ["new_pain_quality", "touch_pain"],
     ["known_new_cause", "shorter_relief", "sleep_trouble"]),
    ("mixed, one clue", MIXED_ONE_CLUE, "few or no signs", ["touch_pain"],
     ["known_new_cause", "shorter_relief", "sleep_trouble"]),
    ("clues, short-term use only (gate closed)", CLUES_WITHOUT_LONG_TERM, "few or no signs",
     ["worse_despite_higher_dose", "pain_spreading", "touch_pain"], []),
    ("clues, long-term use unsure", CLUES_LONG_TERM_UNSURE, "few or no signs",
     ["worse_despite_higher_dose", "pain_spreading", "touch_pain"], []),
    ("clues, long-term use skipped", CLUES_LONG_TERM_SKIPPED, "few or no signs",
     ["worse_despite_higher_dose", "pain_spreading", "touch_pain"], []),
]


@pytest.mark.parametrize("name, given, level, clues, context", TABLE, ids=[t[0] for t in TABLE])
def test_scoring_table(name, given, level, clues, context):
    result = score(given, S)
    assert result.level == level, name
    assert [q.id for q in result.reported] == clues, name
    assert [q.id for q in result.context] == context, name
    assert "long_term_use" not in [q.id for q in result.reported + result.context]  # the gate is no sign


def test_roles_match_the_002_clues():
    roles = {q.id: q.role for q in S.questions}
    assert roles["long_term_use"] == "gate"
    assert {i for i, r in roles.items() if r == "clue"} == {
        "worse_despite_higher_dose", "pain_spreading", "new_pain_quality", "touch_pain", "pain_on_stable_dose",
    }
    assert {i for i, r in roles.items() if r == "context"} == {"known_new_cause", "shorter_relief", "sleep_trouble"}
    for q in S.questions:
        if q.role == "clue":
            assert any(c.heading == "Clinical Clues That Point to OIH" for c in q.sources), q.id


def test_no_double_barrelled_or_presupposing_questions():
    for q in S.questions:
        assert " and you " not in q.text and " and you're " not in q.text, q.id
    assert not S.question("worse_despite_higher_dose").text.lower().startswith("has your pain gotten worse, even after")
    assert "withdrawal" not in S.question("pain_on_stable_dose").text.lower()
    assert "since you began opioids" in S.question("new_pain_quality").text.lower()


def _text(given) -> str:
    return "\n".join(result_messages(score(given, S), None, include_summary=False))


def test_result_reports_context_apart_and_says_signs_are_also_common_with_tolerance():
    text = _text(MIXED)
    clues_part, context_part = text.split(" ".join(S.results["context_intro"].split()), 1)
    assert S.question("touch_pain").sign in clues_part
    assert S.question("sleep_trouble").sign not in clues_part
    assert S.question("sleep_trouble").sign in context_part
    assert "also come with tolerance or withdrawal" in text
    assert "This is not a diagnosis" in text


def test_tolerance_only_never_reads_as_several_or_some_signs():
    text = _text(TOLERANCE_ONLY)
    assert "several" not in text and "some of the main signs" not in text
    assert "few or none of the signs" in text
    assert "do not count toward the result" in text


def test_gate_is_shown_apart_as_the_setting_not_as_a_sign():
    # the result is at most three messages (issue 14), so the gate is a paragraph of the first
    intro = " ".join(S.results["gate_intro"].split())
    first = result_messages(score(OIH_CLUES, S), None, include_summary=False)[0]
    signs, _, gate = first.partition(intro)
    assert S.question("long_term_use").sign not in signs  # not among the signs
    assert gate and S.question("long_term_use").sign in gate  # shown apart, as the setting
    closed = result_messages(score(CLUES_WITHOUT_LONG_TERM, S), None, include_summary=False)
    assert not any(intro in m for m in closed)


def test_gate_unsure_is_explained():
    text = _text(CLUES_LONG_TERM_UNSURE)
    assert "cannot say much" in text
    assert "rare after short-term" in _text(CLUES_WITHOUT_LONG_TERM)


def test_printable_summary_lists_context_apart():
    summary = printable_summary(score(MIXED, S))
    signs, rest = summary.split("Also reported", 1)
    assert S.question("touch_pain").sign in signs and S.question("sleep_trouble").sign not in signs
    assert S.question("sleep_trouble").sign in rest.split("Each question")[0]


def test_new_result_texts_are_plain():
    for key in ("context_intro", "also_common", "gate_unclear"):
        assert textstat.flesch_kincaid_grade(" ".join(S.results[key].split())) <= 7.0, key
    for q in S.questions:
        for field in (q.text, q.why, q.sign):
            assert textstat.flesch_kincaid_grade(field) <= 8.0, (q.id, field)
