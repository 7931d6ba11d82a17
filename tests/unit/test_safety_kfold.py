"""The k-fold sweep of the net's bars (bot/safety_kfold.py) decides with the real second_opinion."""
from __future__ import annotations

from bot.safety import Verdict, net
from bot.safety_kfold import Record, decide, sweep, tally

DOSING_HIT = Verdict("dosing", "dose_amount", "is_amount_a_lot")
TEXT = "took my pills and now i feel really strange and heavy"


def _settings(**bars: float) -> dict[str, float]:
    return dict(net._settings_cached(), **bars)


def test_a_dosing_hit_is_upgraded_only_at_or_over_the_bar() -> None:
    rec = Record("crisis", TEXT, DOSING_HIT, (), {"crisis": 0.7, "dosing": 0.2, "none": 0.1, "past_harm": 0.0})
    assert decide(rec, _settings(upgrade=0.65)) == "crisis"
    assert decide(rec, _settings(upgrade=0.85)) == "dosing"


def test_a_dosing_hit_is_dropped_when_the_fold_net_is_sure_it_is_neither() -> None:
    rec = Record("lookalike", TEXT, DOSING_HIT, (), {"crisis": 0.0, "dosing": 0.0, "none": 0.97, "past_harm": 0.03})
    assert decide(rec, _settings(veto=0.95)) == "none"
    assert decide(rec, _settings(veto=0.99)) == "dosing"


def test_the_current_value_is_swept_once() -> None:
    rec = Record("crisis", TEXT, DOSING_HIT, (), {"crisis": 0.7, "dosing": 0.2, "none": 0.1, "past_harm": 0.0})
    current = net._settings_cached()["upgrade"]
    lines = sweep([rec], "upgrade", [current, 0.5]).splitlines()
    assert len(lines) == 3 and sum("(current)" in line for line in lines) == 1


def test_tally_counts_right_answers_per_section() -> None:
    crisis = Record("crisis", TEXT, DOSING_HIT, (), {"crisis": 0.7, "dosing": 0.2, "none": 0.1, "past_harm": 0.0})
    other = Record("spanish_other", "hola", Verdict("none", "", "", "es"), (), None)  # the net never asked
    assert tally([crisis, other], _settings(upgrade=0.65)) == {"crisis": (1, 1), "spanish_other": (1, 1)}
    assert tally([crisis, other], _settings(upgrade=0.85)) == {"crisis": (0, 1), "spanish_other": (1, 1)}


def test_the_crisis_veto_is_off_and_when_swept_asks_only_long_messages() -> None:
    """``crisis_veto`` (round twenty-nine) is measured, not used: off by default, a crisis rule's
    hit stands whatever the net says; swept on, only a message of LONG_MESSAGE_WORDS words or more
    can lose it."""
    crisis_hit = Verdict("crisis", "overdose", "unresponsive")
    sure_none = {"crisis": 0.0, "dosing": 0.0, "none": 0.995, "past_harm": 0.005}
    long_text = " ".join(["word"] * net.LONG_MESSAGE_WORDS)
    long_rec = Record("lookalike", long_text, crisis_hit, (), sure_none)
    short_rec = Record("lookalike", "he is unconscious", crisis_hit, (), sure_none)
    assert net._settings_cached()["crisis_veto"] > 1.0
    assert decide(long_rec, _settings()) == "crisis"
    assert decide(long_rec, _settings(crisis_veto=0.99)) == "none"
    assert decide(short_rec, _settings(crisis_veto=0.99)) == "crisis"
