"""The fixes of the content audit (issue 13; ../shared/reviews/content-audit.md, sections 2, 3, 9).

One test per wrong claim proves the *wording* is gone (not just that the topic still exists), and
the dose-free safety facts and the disclosed disagreements are pinned to the answers that need them.
"""
from __future__ import annotations

import re

import pytest

from bot.knowledge import load_knowledge

KB = load_knowledge()


def answer(topic: str) -> str:
    return KB.faq(topic).answer


def low(topic: str) -> str:
    return answer(topic).lower()


def sentences(topic: str) -> list[str]:
    return [s.strip().lower() for s in re.split(r"(?<=[.!?])\s+", answer(topic)) if s.strip()]


def cites(topic: str, source: str, heading: str | None = None) -> bool:
    return any(c.source == source and (heading is None or c.heading == heading) for c in KB.faq(topic).sources)


# --- Section 2a: the nine wrong claims --------------------------------------------------------------

def test_w1_higher_dose_no_longer_explained_by_empty_receptors():
    text = low("higher_dose_makes_worse")
    assert "receptors are empty" not in text
    assert "extra pain signals" not in text
    assert "make more opioid receptors" not in text


def test_w2_is_it_permanent_no_longer_says_the_sources_agree_on_most_cases():
    text = low("is_it_permanent")
    assert "the sources say this happens in most cases" not in text
    assert "disagree" in text  # 001 promises it resolves; 002 says most cases
    assert "can and will" in text and "most cases" in text


def test_w3_methadone_risk_not_stated_as_much_lower_without_the_conflict():
    text = low("methadone_buprenorphine")
    assert "much lower" not in text
    assert "the risk seems" not in text
    # the remaining "may be lower" is attributed and set against the OUD article
    lower = [s for s in sentences("methadone_buprenorphine") if "lower" in s]
    assert lower and all(s.startswith(("one article", "it says")) for s in lower), lower
    assert "disagree" in text and "opioid use disorder" in text


def test_w4_nmda_blocking_is_attributed_to_one_article():
    text = low("methadone_buprenorphine")
    assert "methadone and buprenorphine also block nmda" not in text
    nmda = [s for s in sentences("methadone_buprenorphine") if "nmda" in s]
    assert nmda and all(s.startswith("one article says") for s in nmda), nmda


def test_w5_new_pain_qualities_no_longer_rules_out_the_old_injury():
    text = low("new_pain_qualities")
    assert "not the old injury" not in text
    assert "acting up" not in text
    assert "rule those out" in text


def test_w6_new_pain_qualities_links_to_the_medicine_only_as_may_be():
    text = low("new_pain_qualities")
    assert "it is a new kind of pain linked to the medicine" not in text
    linked = [s for s in sentences("new_pain_qualities") if "linked to the medicine" in s]
    assert linked and all(" may " in f" {s} " for s in linked), linked


def test_w7_oud_recovery_never_says_move_away_from_all_opioids():
    text = low("oih_and_oud_recovery")
    assert "move away from all opioids" not in text
    assert "all opioids" not in text
    assert "best path" not in text
    # MAT is opioid treatment, usually long-term, never stopped alone; methadone named too
    assert "methadone" in text and "buprenorphine" in text
    assert "on your own" in text and "overdose" in text and "naloxone" in text


@pytest.mark.parametrize("phrase", ["with steady use, your cells make more", "extra receptors sit empty"])
def test_w8_w9_receptor_theory_is_not_stated_as_fact(phrase):
    assert phrase not in low("receptor_changes")


def test_w8_w9_receptor_multiplication_is_one_articles_idea():
    more = [s for s in sentences("receptor_changes") if "more opioid receptors" in s]
    assert more and all(s.startswith("one article") for s in more), more
    assert "different theories" in low("receptor_changes")


def test_spreading_pain_no_longer_reassures_there_is_no_new_injury():
    text = low("spreading_pain")
    assert "this happens with no new injury" not in text
    assert "not the old injury" not in text
    assert "other causes" in text


# --- Section 2b: the misattribution -----------------------------------------------------------------

def test_guidelines_do_not_call_for_oih_checks_or_flatly_advise_against_opioids():
    text = low("guidelines_long_term_opioids")
    assert "regular checks for oih" not in text
    assert "advise against opioids" not in text
    assert "prescriber" in text and "suddenly" in text


# --- Section 3: other flagged claims ------------------------------------------------------------------

@pytest.mark.parametrize(
    "topic, gone",
    [
        ("high_dose_risks", "in the hospital more often"),
        ("misdiagnosis_consequences", "in the hospital more often"),
        ("interventional_procedures", "done safely"),
        ("quantitative_sensory_testing", "that is a key sign of oih"),
        ("withdrawal_vs_oih", "that is not withdrawal"),
        ("talking_to_doctor", "doctors see this pattern as a warning sign"),
        ("physical_therapy", "has been shown to work well"),
        ("shorter_relief_sleep_mood", "these can be signs of oih"),
        ("is_oih_real", "when doctors lower or change opioids, the pain often gets better"),
    ],
)
def test_flagged_wording_is_gone(topic, gone):
    assert gone not in low(topic)


def test_shorter_relief_says_it_is_also_tolerance_or_withdrawal_and_not_to_take_doses_closer():
    text = low("shorter_relief_sleep_mood")
    assert "tolerance" in text and "withdrawal" in text and "closer together" in text


# --- Dose-free safety facts (section 9 fix 2, 5, 6), each cited to an outside authority -------------

NOT_SUDDENLY = re.compile(r"(never|do not|don't) stop[^.]*suddenly|stopping[^.]*suddenly|stopping opioids suddenly|never stop suddenly")
OLD_DOSE = re.compile(r"old dose[^.]*overdose|going back to it can cause an overdose")


@pytest.mark.parametrize("topic", ["tapering", "taper_with_clinician", "does_it_go_away", "guidelines_long_term_opioids"])
def test_do_not_stop_suddenly(topic):
    assert NOT_SUDDENLY.search(low(topic)), topic
    assert cites(topic, "fda-opioid-tapering-2019") or cites(topic, "cdc-opioid-guideline-2022", "Recommendation 5")


@pytest.mark.parametrize("topic", ["tapering", "taper_with_clinician", "does_it_go_away"])
def test_old_dose_after_a_taper_can_cause_an_overdose(topic):
    text = low(topic)
    assert OLD_DOSE.search(text) or ("old dose" in text and "overdose" in text), topic
    assert cites(topic, "cdc-opioid-guideline-2022", "Recommendation 5") or cites(topic, "samhsa-overdose-toolkit")


@pytest.mark.parametrize("topic", ["oih_and_oud_recovery", "high_dose_risks", "helping_family_member", "taper_with_clinician"])
def test_naloxone(topic):
    assert "naloxone" in low(topic)
    assert cites(topic, "samhsa-overdose-toolkit", "What Is Naloxone?")


def test_mixing_with_alcohol_benzodiazepines_sleep_medicines_gabapentinoids():
    text = low("high_dose_risks")
    for word in ("alcohol", "benzodiazepines", "sleep medicines", "gabapentin", "pregabalin", "breathing"):
        assert word in text, word
    assert cites("high_dose_risks", "cdc-opioid-guideline-2022", "Recommendation 11")
    assert cites("high_dose_risks", "fda-gabapentinoids-2019")
    assert "slow your breathing" in low("non_opioid_medicines")
    assert cites("non_opioid_medicines", "fda-gabapentinoids-2019")


@pytest.mark.parametrize("topic", ["new_pain_qualities", "spreading_pain"])
def test_red_flag_symptoms_send_to_urgent_care(topic):
    text = low(topic)
    for word in ("urgent care", "weakness", "numbness", "bladder", "bowels", "fever"):
        assert word in text, word
    assert cites(topic, "medlineplus-low-back-pain")


def test_dextromethorphan_is_not_for_self_treatment():
    text = low("nmda_antagonists")
    assert "dextromethorphan" in text and "on your own" in text and "cough" in text
    assert cites("nmda_antagonists", "medlineplus-dextromethorphan")


def test_helping_family_member_says_when_to_get_emergency_help():
    text = low("helping_family_member")
    assert "emergency help" in text and "blue lips" in text


# --- The four hidden disagreements, now disclosed --------------------------------------------------

@pytest.mark.parametrize(
    "topic, about",
    [
        ("is_it_permanent", "whether it always goes away"),       # 001 vs 002 vs 004
        ("does_it_go_away", "how sure this is"),
        ("recovery_time", "the timing"),                          # 001 vs 002
        ("tapering", "what to try first"),                        # 003 rotation first vs 000/004
        ("treatment_overview", "the first step"),
        ("opioid_rotation", "how much this helps with oih, and about when to try it"),
        ("methadone_buprenorphine", "who is at risk"),            # 004 vs 003 on OUD
        ("who_is_at_risk", "this"),
    ],
)
def test_disagreement_is_disclosed(topic, about):
    assert f"disagree about {about}" in low(topic), topic


# --- Outside authorities: catalogued properly ------------------------------------------------------

def test_outside_authorities_have_title_publisher_url_and_sections():
    authorities = [s for s in KB.sources.values() if not s.is_article]
    ids = {s.id for s in authorities}
    assert {"fda-opioid-tapering-2019", "cdc-opioid-guideline-2022", "samhsa-overdose-toolkit"} <= ids
    for s in authorities:
        assert s.title and s.publisher and s.url and s.url.startswith("https://"), s.id
        assert s.sections, s.id
    years = {s.id: s.year for s in authorities}
    assert years["fda-opioid-tapering-2019"] == 2019
    assert years["cdc-opioid-guideline-2022"] == 2022
    assert years["samhsa-overdose-toolkit"] == 2018


def test_reviewed_is_honest():
    for e in KB.faqs.values():
        assert "clinician review pending" in e.reviewed_by, e.id
