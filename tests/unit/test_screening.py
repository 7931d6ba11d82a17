"""The screening questionnaire: definition, free-word answers, control words, scoring, summary."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import textstat
import yaml

from bot.paths import KNOWLEDGE_DIR
from bot.screening import (
    SEVERAL_SIGNS_AT,
    SOME_SIGNS_AT,
    ScreeningError,
    check_sources,
    load_screening,
    parse_answer,
    parse_control,
    parse_screening,
    printable_summary,
    result_messages,
    score,
)

SCREENING = load_screening()
CLINIC = yaml.safe_load((KNOWLEDGE_DIR / "clinic.yml").read_text(encoding="utf-8"))
DOSE_RE = re.compile(r"\d\s*(mg|mcg|µg|ml|milligram|microgram|%|percent|tablet|pill)|%", re.I)
TODAY = dt.date(2024, 5, 6)


# ------------------------------------------------------------------ definition

def test_nine_questions_with_the_agreed_signs() -> None:
    assert SCREENING.ids == (
        "long_term_use", "worse_despite_higher_dose", "pain_spreading", "new_pain_quality",
        "touch_pain", "pain_on_stable_dose", "known_new_cause", "shorter_relief", "sleep_trouble",
    )


def test_intro_says_count_time_not_diagnosis_and_stop() -> None:
    intro = SCREENING.intro
    assert "nine" in intro and "two minutes" in intro
    assert "not a diagnosis" in intro
    assert '"stop"' in intro and '"skip"' in intro


@pytest.mark.parametrize("question", SCREENING.questions, ids=lambda q: q.id)
def test_question_is_one_plain_yes_no_question(question) -> None:
    assert re.fullmatch(r"[a-z][a-z0-9_]*", question.id)
    assert question.text.count("?") == 1 and question.text.endswith("?")
    assert len(question.text.split()) <= 20
    assert question.why and question.sign and question.sources
    for text in (question.text, question.why, question.sign):
        assert not re.search(r"\d|%", text), text
    assert textstat.flesch_kincaid_grade(question.text) <= 8.5, question.text


def test_reading_level_of_questions_overall() -> None:
    text = " ".join(q.text for q in SCREENING.questions)
    assert textstat.flesch_kincaid_grade(text) <= 7.5


def test_sources_exist_with_exact_content_headings() -> None:
    assert check_sources(SCREENING) == []


def test_the_inverted_question_is_marked() -> None:
    assert [q.id for q in SCREENING.questions if q.inverted] == ["known_new_cause"]
    assert SCREENING.question("known_new_cause").sign_answer == "no"


def test_no_numbers_anywhere_in_the_wording() -> None:
    raw = (KNOWLEDGE_DIR / "screening.yml").read_text(encoding="utf-8")
    body = "\n".join(line for line in raw.splitlines() if not line.lstrip().startswith("#"))
    assert not re.search(r"\d|%", body)


def test_loader_rejects_bad_definitions() -> None:
    good = yaml.safe_load((KNOWLEDGE_DIR / "screening.yml").read_text(encoding="utf-8"))
    dup = dict(good, questions=[good["questions"][0], good["questions"][0]])
    with pytest.raises(ScreeningError, match="duplicate"):
        parse_screening(dup)
    two = dict(good["questions"][0], text="Do you hurt? Is it bad?")
    with pytest.raises(ScreeningError, match="one question"):
        parse_screening(dict(good, questions=[two]))
    dose = dict(good["questions"][0], sign="More than 30 mg a day.")
    with pytest.raises(ScreeningError, match="numbers"):
        parse_screening(dict(good, questions=[dose]))
    with pytest.raises(ScreeningError, match="buttons"):
        parse_screening(dict(good, buttons={True: "Yes", False: "No", "unsure": "Not sure"}))


# ------------------------------------------------------------------ free-word answers

ANSWERS = [
    # yes
    ("yes", "yes"), ("Yes!", "yes"), ("YES", "yes"), ("yeah", "yes"), ("yep", "yes"),
    ("yup", "yes"), ("ya", "yes"), ("yea", "yes"), ("y", "yes"), ("yesss", "yes"),
    ("yeahhh", "yes"), ("yse", "yes"), ("yeh", "yes"), ("definitely", "yes"),
    ("definately", "yes"), ("defintely", "yes"), ("absolutely", "yes"), ("absolutley", "yes"),
    ("of course", "yes"), ("for sure", "yes"), ("sure", "yes"), ("I think so", "yes"),
    ("i believe so", "yes"), ("I guess so", "yes"), ("probably", "yes"), ("probaly", "yes"),
    ("pretty much", "yes"), ("uh huh", "yes"), ("mhm", "yes"), ("correct", "yes"),
    ("that's right", "yes"), ("it does", "yes"), ("I do", "yes"), ("always", "yes"),
    ("all the time", "yes"), ("every night", "yes"), ("a lot", "yes"), ("no doubt", "yes"),
    ("it's been like that for months", "yes"), ("for years now", "yes"),
    ("it’s been like that for years", "yes"), ("a few weeks", "yes"), ("for a year", "yes"),
    ("it never goes away", "yes"), ("I can't sleep", "yes"), ("keeps me up at night", "yes"),
    ("👍", "yes"), ("👍🏽", "yes"), ("✅", "yes"), ("yep 👍", "yes"), ("Yes, definitely", "yes"),
    ("well yeah", "yes"), ("100%", "yes"),
    # no
    ("no", "no"), ("No.", "no"), ("nope", "no"), ("nah", "no"), ("naw", "no"), ("n", "no"),
    ("noooo", "no"), ("nop", "no"), ("not really", "no"), ("not at all", "no"),
    ("absolutely not", "no"), ("definitely not", "no"), ("of course not", "no"),
    ("never", "no"), ("no never", "no"), ("I don't think so", "no"), ("dont think so", "no"),
    ("not that I know of", "no"), ("I don't know of any", "no"), ("i doubt it", "no"),
    ("probably not", "no"), ("I guess not", "no"), ("it doesn't", "no"), ("I haven't", "no"),
    ("not much", "no"), ("hardly ever", "no"), ("nope, not at all", "no"), ("👎", "no"),
    ("❌", "no"), ("only a few days", "no"), ("not that I remember", "no"),
    # unsure
    ("not sure", "unsure"), ("Not sure", "unsure"), ("nit sure", "unsure"), ("unsure", "unsure"),
    ("idk", "unsure"), ("IDK", "unsure"), ("i dont know", "unsure"), ("I don’t know", "unsure"),
    ("i dont no", "unsure"), ("dunno", "unsure"), ("no idea", "unsure"), ("no clue", "unsure"),
    ("kinda", "unsure"), ("kind of", "unsure"), ("sorta", "unsure"), ("sort of", "unsure"),
    ("maybe", "unsure"), ("mabye", "unsure"), ("perhaps", "unsure"), ("possibly", "unsure"),
    ("sometimes", "unsure"), ("sometims", "unsure"), ("a little", "unsure"),
    ("a little bit", "unsure"), ("on and off", "unsure"), ("not always", "unsure"),
    ("hard to say", "unsure"), ("it depends", "unsure"), ("yes and no", "unsure"),
    ("I guess", "unsure"), ("yeah kinda", "unsure"), ("no, not sure", "unsure"),
    ("50/50", "unsure"), ("🤷", "unsure"), ("🤷‍♀️", "unsure"), ("i'm not sure tbh", "unsure"),
]


def test_at_least_seventy_free_word_answers() -> None:
    assert len(ANSWERS) >= 70
    assert len({text for text, _ in ANSWERS}) == len(ANSWERS)


@pytest.mark.parametrize(("text", "expected"), ANSWERS)
def test_parse_answer(text: str, expected: str) -> None:
    assert parse_answer(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "", "   ", "hmm", "ok", "banana", "what?", "now", "I have it now",
        "yes... no wait, no", "my back", "yes no", "the weather is nice",
    ],
)
def test_unclear_answers_return_none_so_the_bot_asks_again(text: str) -> None:
    assert parse_answer(text) is None


def test_short_words_are_not_fuzzy_matched() -> None:
    # "now" is one edit from "no" and "year" one from "yeah": neither may become an answer.
    assert parse_answer("now") is None
    assert parse_answer("year") is None
    assert parse_answer("sore") is None


# ------------------------------------------------------------------ control words

CONTROLS = [
    ("skip", "skip"), ("Skip!", "skip"), ("skip this one", "skip"),
    ("skip this question please", "skip"),
    ("next question", "skip"), ("next", "skip"), ("pass", "skip"), ("let's move on", "skip"),
    ("I'd rather not say", "skip"), ("prefer not to answer", "skip"),
    ("stop", "stop"), ("STOP.", "stop"), ("quit", "stop"), ("cancel", "stop"), ("enough", "stop"),
    ("that's enough", "stop"), ("I want to stop", "stop"), ("can we stop please", "stop"),
    ("no, stop", "stop"), ("stop the screening", "stop"), ("quit this quiz", "stop"),
    ("I'm done", "stop"), ("never mind", "stop"), ("no more questions", "stop"), ("stpo", "stop"),
    ("why do you ask?", "why"), ("Why?", "why"), ("why does that matter", "why"),
    ("why is that important", "why"), ("why do you need to know that", "why"),
    ("why are you asking me this", "why"), ("what does that have to do with anything", "why"),
    ("how is that relevant", "why"), ("what's the point of this question", "why"),
    ("how come?", "why"), ("why's that?", "why"),
]


@pytest.mark.parametrize(("text", "expected"), CONTROLS)
def test_parse_control(text: str, expected: str) -> None:
    assert parse_control(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "the pain never stops",  # an answer, not "stop"
        "should I stop taking my meds?",  # a dosing question for the safety screen
        "I want to stop my oxycodone",
        "why does my pain spread?",  # an FAQ question
        "why do opioids cause pain",
        "yes", "no", "not sure", "",
    ],
)
def test_control_words_only_match_whole_requests(text: str) -> None:
    assert parse_control(text) is None


# ------------------------------------------------------------------ scoring

ALL = SCREENING.ids


def _answers(**overrides: str) -> dict[str, str]:
    """All questions answered "no to the sign" (so nothing is reported), then overrides."""
    base = {q.id: ("yes" if q.inverted else "no") for q in SCREENING.questions}
    base.update(overrides)
    return base


CLUES = [q.id for q in SCREENING.questions if q.role == "clue"]


def test_all_yes() -> None:
    result = score({qid: "yes" for qid in ALL})
    # only the 002 clues count; context items are listed apart (the inverted one: "yes" = a cause)
    assert [q.id for q in result.reported] == CLUES
    assert [q.id for q in result.context] == ["shorter_relief", "sleep_trouble"]
    assert result.yes_count == 9 and result.sign_count == 5
    assert result.level == "several signs"


def test_all_no() -> None:
    result = score({qid: "no" for qid in ALL})
    assert result.reported == () and [q.id for q in result.context] == ["known_new_cause"]
    assert result.level == "few or no signs"
    assert result.short_term_only


def test_inverted_question_counts_on_no() -> None:
    assert [q.id for q in score(_answers(known_new_cause="no")).context] == ["known_new_cause"]
    assert score(_answers(known_new_cause="yes")).context == ()
    assert score(_answers(known_new_cause="unsure")).context == ()


def test_nothing_reported() -> None:
    result = score(_answers())
    assert result.reported == () and result.level == "few or no signs"
    assert result.unsure_count == 0 and result.skipped_count == 0


def test_unsure_and_skipped_are_counted_but_never_raise_the_level() -> None:
    answers = _answers(pain_spreading="unsure", touch_pain="unsure", sleep_trouble="skipped",
                       shorter_relief=None, new_pain_quality="skip")
    result = score(answers)
    assert result.sign_count == 0 and result.level == "few or no signs"
    assert [q.id for q in result.unsure] == ["pain_spreading", "touch_pain"]
    assert [q.id for q in result.skipped] == ["new_pain_quality", "shorter_relief", "sleep_trouble"]
    assert result.unsure_count == 2 and result.skipped_count == 3
    assert result.incomplete  # five of nine unclear: more than half


def test_missing_answers_count_as_skipped_and_extra_keys_are_ignored() -> None:
    result = score({"long_term_use": "yes", "requested_slot": "pain_spreading", "other": "x"})
    assert result.skipped_count == 8 and result.incomplete
    assert result.answers["long_term_use"] == "yes"


def test_unknown_answer_value_is_a_bug() -> None:
    with pytest.raises(ValueError):
        score(_answers(pain_spreading="yeah"))


@pytest.mark.parametrize(
    ("signs", "level"),
    [(0, "few or no signs"), (1, "few or no signs"), (2, "some signs"), (3, "several signs"),
     (5, "several signs")],
)
def test_level_thresholds(signs: int, level: str) -> None:
    """Counted in 002 clues, with the long-term-use gate open (tests/unit/test_screening_scoring.py)."""
    assert SOME_SIGNS_AT == 2 and SEVERAL_SIGNS_AT == 3
    yes_ids = CLUES[:signs]
    result = score(_answers(long_term_use="yes", **{qid: "yes" for qid in yes_ids}))
    assert result.sign_count == signs
    assert result.level == level


def test_mixed_with_not_sure() -> None:
    result = score(_answers(long_term_use="yes", worse_despite_higher_dose="yes",
                            touch_pain="unsure", known_new_cause="no"))
    assert [q.id for q in result.reported] == ["worse_despite_higher_dose"]
    assert [q.id for q in result.context] == ["known_new_cause"]
    assert result.level == "few or no signs"


# ------------------------------------------------------------------ result texts and summary

def test_result_messages_say_signs_not_diagnosis_advice_contact_and_offer() -> None:
    result = score(_answers(long_term_use="yes", pain_spreading="yes", touch_pain="yes",
                            known_new_cause="no", sleep_trouble="unsure"))
    messages = result_messages(result, CLINIC, include_summary=False)
    text = "\n".join(messages)
    for qid in ("pain_spreading", "touch_pain", "known_new_cause"):
        assert SCREENING.question(qid).sign in text
    assert len(messages) <= 3
    signs_part = messages[0].split(SCREENING.results["gate_intro"].strip()[:40])[0]
    assert SCREENING.question("long_term_use").sign not in signs_part  # the gate is not a sign
    assert SCREENING.results["gate_intro"] in text  # ... it is shown apart, as the setting
    assert "These are signs clinicians look for. This is not a diagnosis." in text
    assert "prescribes" in text and "Do not change your dose on your own" in text
    assert CLINIC["clinic"]["phone"] in text and CLINIC["clinic"]["name"] in text
    assert "callback request" in messages[-1]
    assert "some of the main signs" in text  # two clues; context is not counted
    assert "also come with tolerance or withdrawal" in text
    assert not DOSE_RE.search(text)


def test_result_messages_without_clinic_and_with_nothing_reported() -> None:
    messages = result_messages(score(_answers()), None, include_summary=False)
    assert "did not report any" in messages[0]
    assert "the clinic" in messages[-1]
    assert "not a diagnosis" in "\n".join(messages)


def test_short_term_use_note() -> None:
    text = "\n".join(result_messages(score(_answers(long_term_use="no")), CLINIC))
    assert "rare after short-term" in text


def test_result_messages_include_the_summary_before_the_offer() -> None:
    messages = result_messages(score(_answers(pain_spreading="yes")), CLINIC)
    last = messages[-1]
    assert last.index("OIH screening summary") < last.index("callback request")
    assert last.rstrip().endswith("callback request now.")  # the question sits above its buttons


@pytest.mark.parametrize("answers", [
    {}, {"pain_spreading": "yes"}, {"long_term_use": "no", "sleep_trouble": "unsure"},
    {qid: "yes" for qid in SCREENING.ids}, {qid: "unsure" for qid in SCREENING.ids},
])
@pytest.mark.parametrize("clinic", [CLINIC, None])
def test_result_is_at_most_three_messages(answers, clinic) -> None:
    """Issue 14: result; what to do next with the clinician; summary + callback offer."""
    messages = result_messages(score(_answers(**answers)), clinic)
    assert len(messages) <= 3
    assert "not a diagnosis" in messages[0]
    assert "prescribes" in messages[1]
    assert "callback" in messages[-1]
    assert all("\n\n" not in m for m in messages[:-1])  # Rasa would split these into more bubbles


def test_printable_summary() -> None:
    result = score(_answers(long_term_use="yes", worse_despite_higher_dose="yes",
                            known_new_cause="no", touch_pain="unsure", sleep_trouble="skipped"))
    summary = printable_summary(result, date=TODAY)
    for q in result.reported:
        assert q.sign in summary
    assert "These are signs clinicians look for. This is not a diagnosis." in summary
    assert "2024-05-06" in summary
    for q in SCREENING.questions:
        assert q.text in summary
    assert "Not sure / partly" in summary and "Skipped" in summary
    assert not DOSE_RE.search(summary)
    # the only digits are the date's: no amounts, counts or schedules
    assert not re.search(r"\d", summary.replace("2024-05-06", ""))
    assert summary.isascii()  # prints and pastes anywhere


def test_printable_summary_has_no_personal_data_fields() -> None:
    summary = printable_summary(score(_answers()), date=TODAY).lower()
    for word in ("name:", "phone", "email", "sender", "@"):
        assert word not in summary
