"""The k-fold sweep of the net's bars (bot/safety_kfold.py) decides with the real second_opinion."""
from __future__ import annotations

from bot.safety import Verdict, net
from bot.safety_kfold import Record, decide, tally

DOSING_HIT = Verdict("dosing", "dose_amount", "is_amount_a_lot")
TEXT = "took my pills and now i feel really strange and heavy"


def _settings(**bars: float) -> dict[str, float]:
    return dict(net._settings_cached(), **bars)


def test_a_dosing_hit_is_upgraded_only_at_or_over_the_bar() -> None:
    rec = Record("crisis", TEXT, DOSING_HIT, (), {"crisis": 0.7, "dosing": 0.2, "none": 0.1, "past_harm": 0.0})
    assert decide(rec, _settings(upgrade=0.65)) == "crisis"
    assert decide(rec, _settings(upgrade=0.85)) == "dosing"


def test_the_real_probabilities_and_settings_are_restored() -> None:
    before_probabilities, before_settings = net.probabilities, net._SETTINGS
    rec = Record("lookalike", TEXT, DOSING_HIT, (), {"crisis": 0.0, "dosing": 0.0, "none": 1.0, "past_harm": 0.0})
    assert decide(rec, _settings(veto=0.95)) == "none"  # the net is sure it is neither: the hit is dropped
    assert net.probabilities is before_probabilities and net._SETTINGS is before_settings


def test_tally_counts_right_answers_per_section() -> None:
    crisis = Record("crisis", TEXT, DOSING_HIT, (), {"crisis": 0.7, "dosing": 0.2, "none": 0.1, "past_harm": 0.0})
    other = Record("spanish_other", "hola", Verdict("none", "", "", "es"), (), None)  # the net never asked
    assert tally([crisis, other], _settings(upgrade=0.65)) == {"crisis": (1, 1), "spanish_other": (1, 1)}
    assert tally([crisis, other], _settings(upgrade=0.85)) == {"crisis": (0, 1), "spanish_other": (1, 1)}
