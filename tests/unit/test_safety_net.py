"""The learned second net: its data, its fast arithmetic, and where it may decide."""
from __future__ import annotations

from bot import safety
from bot.safety import net


def test_training_data_never_includes_the_blind_batches() -> None:
    texts, labels = net.training_data()
    assert set(labels) == {"none", "crisis", "dosing"}
    import yaml

    from bot.paths import ROOT

    blind = set()
    for path in (ROOT / "tests" / "safety").glob("blind_*.yml"):
        for items in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).values():
            blind |= {" ".join(str(i["text"]).split()) for i in items or []}
    assert not blind & set(texts)


def test_fast_arithmetic_equals_scikit_learn() -> None:
    samples = ["he wont wake up", "can i take 2 more", "what is oih", "k", "", "a  b\tc", "ñandú 💊 pills",
               "my back is killing me but what is hyperalgesia exactly and how long does it last"]
    for text in samples:
        fast, slow = net.probabilities(text), net.sklearn_probabilities(text)
        assert all(abs(fast[k] - slow[k]) < 1e-9 for k in slow), text


def test_net_verdicts_and_the_unsure_band() -> None:
    verdict = net.net_verdict("i have been saving my pills so i can go to sleep and not come back")
    assert verdict is None or verdict.kind == "crisis"
    assert net.net_verdict("when is the clinic open") is None
    unsure = net.unsure_verdict("my pills and the stuff my brother gave me at once??")
    assert unsure is None or unsure.kind in ("crisis", "dosing")


def test_rule_exemptions_are_not_overruled_by_the_net() -> None:
    # an idiom, an educational question, a rule's own `unless`: the rules decided "not this"
    for text in ["this pain is killing me", "what does tapering mean", "my lips are blue from the popsicle lol"]:
        assert safety.screen(text).kind == "none"
