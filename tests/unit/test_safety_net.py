"""The learned second net: its data, its fast arithmetic, and where it may decide."""
from __future__ import annotations

from bot import safety
from bot.paths import ROOT
from bot.safety import batches, net


def test_training_data_never_includes_the_blind_batches() -> None:
    texts, labels = net.training_data()
    assert set(labels) == {"none", "crisis", "past_harm", "dosing"}
    blind: set[str] = set()
    for path in (ROOT / "tests" / "safety").glob("blind_*.yml"):
        blind |= batches.texts(path)
    assert blind
    assert not blind & {batches.normalise(t) for t in texts}


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


def test_form_answers_never_reach_the_net() -> None:
    # "ok", "yes", "not now": two words say nothing about risk, and a form must never stop on them
    for text in ["ok", "yes", "no thanks", "not now", "yes please", "sure", "maybe later"]:
        assert safety.screen(text).kind == "none", text


def test_second_opinion_upgrades_a_dosing_hit_that_is_a_crisis() -> None:
    # a mixing rule matches, but the person describes someone hard to wake: the crisis reply
    dosing = safety.Verdict("dosing", "mixing", "mix_words")
    text = "mum took her codeine and sleeping tablets together and now she is very confused and hard to wake"
    assert net.probabilities(text)["crisis"] >= net._settings_cached()["upgrade"]
    assert net.second_opinion(text, dosing).kind == "crisis"


def test_second_opinion_gives_the_past_harm_reply_over_a_dosing_hit_only_when_sure() -> None:
    # round thirty-six: "put myself in the hospital mixing pills and whiskey ... That was 2009" hit a
    # mixing rule; the net's P(past harm) above `past_upgrade` gives the kind reply instead
    dosing = safety.Verdict("dosing", "mixing", "mix_words")
    bar = net._settings_cached()["past_upgrade"]
    assert 0.5 < bar <= 1.0
    text = "a message the probabilities below speak for"
    sure = {"none": 0.02, "crisis": 0.01, "past_harm": bar, "dosing": 1.0 - 0.03 - bar}
    assert net.second_opinion(text, dosing, probs=sure) == safety.Verdict("crisis", "past_harm", "net_over_dosing_rule")
    unsure = {"none": 0.2, "crisis": 0.0, "past_harm": bar - 0.05, "dosing": 0.85 - bar}
    assert net.second_opinion(text, dosing, probs=unsure) == dosing


def test_second_opinion_never_lowers_a_crisis() -> None:
    crisis = safety.Verdict("crisis", "overdose", "some_rule")
    assert net.second_opinion("what is the weather like today in the city", crisis) is crisis


def test_second_opinion_drops_a_dosing_hit_only_when_the_net_sees_no_risk_at_all() -> None:
    dosing = safety.Verdict("dosing", "x", "some_rule")
    settings = net._settings_cached()
    for text in ["what is a morphine milligram equivalent? my chart has a number on it",
                 "can i take two pills tonight instead of one"]:
        p = net.probabilities(text)
        vetoed = p["none"] >= settings["veto"]
        assert (net.second_opinion(text, dosing).kind == "none") == vetoed
    assert net.second_opinion("can i take two pills tonight instead of one", dosing).kind == "dosing"


def test_use_net_is_one_switch_on_the_package(monkeypatch) -> None:
    # bot.safety.USE_NET is the flag's one home; the screen (bot/safety/decision.py) reads it at
    # every call, so setting it on the package really measures the rules alone
    text = "Her breaths are like 20 seconds apart. Is that normal after dilaudid??"  # the net, not a rule
    with_net = safety.screen(text)
    assert with_net.kind == "crisis" and with_net.rule.startswith("net"), with_net
    monkeypatch.setattr(safety, "USE_NET", False)
    assert safety.screen(text) == safety.rule_screen(text) == safety.NO_VERDICT


def test_a_long_message_is_read_at_its_end_too() -> None:
    """A story that comes to its question last: the net reads the first and the last window."""
    story = (
        "so some background first, i have had back pain since a fall at work about ten years ago, "
        "tried physio, tried injections, tried yoga, my wife has been amazing through all of it and "
        "my kids are grown now, we moved to a smaller place near the coast last spring and i like "
        "walking on the beach in the mornings when the weather is ok, anyway the clinic is good and "
        "the nurses are kind. "
    )
    ask = "my doctor is away, how many extra oxys can i take tonight to get through the weekend"
    text = story + ask
    assert len(story) > net.MAX_CHARS
    assert net.probabilities(text)["dosing"] >= net.probabilities(ask)["dosing"] - 1e-9
    assert net.probabilities(text)["dosing"] > net.probabilities(text[: net.MAX_CHARS])["dosing"]


def test_spanish_reaches_the_net_with_the_same_bars() -> None:
    ask = "cuantas pastillas de oxicodona me puedo tomar esta noche si me duele mucho"
    assert net.second_opinion(ask, safety.NO_VERDICT).kind == "dosing"
    crisis = "mi papa no despierta y respira muy raro despues de tomar sus pastillas"
    assert net.second_opinion(crisis, safety.NO_VERDICT).kind == "crisis"


def test_every_exemption_the_net_names_exists() -> None:
    """A misspelt id in `final_exemptions`, `history_exemptions`, `crisis_idioms` or `not_a_dose` would silently
    do nothing (the lists are read by id), so each must name a real idiom or rule."""
    ids: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                ids.add(node["id"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(safety.load_config().raw)
    known = ids | {"es:" + i for i in ids} | {"unless", "dose_unless"}
    named = (net._named("final_exemptions") | net._named("history_exemptions") | net._named("crisis_idioms")
             | net._named("not_a_dose"))
    assert net._named("crisis_idioms") <= net._named("final_exemptions")
    assert named - known == set()


def test_a_crisis_idiom_never_hides_a_dose_question_from_the_net() -> None:
    """Round thirty-two: "killing me" is set aside as a crisis word, but the question beside it may
    still be a dose's; an idiom that is about crisis words alone never blocks the net's dosing."""
    probs = {"none": 0.05, "crisis": 0.0, "past_harm": 0.0, "dosing": 0.95}
    text = "my tooth has been killing me all week, could i borrow two of my mother in law's pills"
    verdict = net.second_opinion(text, safety.NO_VERDICT, ("x_is_killing_me",), probs=probs)
    assert (verdict.kind, verdict.rule) == ("dosing", "net_over_idiom")
    # a final exemption about a dose itself ("how much bute can a horse have") still stands
    assert net.second_opinion(text, safety.NO_VERDICT, ("animal_dose",), probs=probs).kind == "none"
    # and below `override` the idiom stands
    low = dict(probs, none=0.5, dosing=0.5)
    assert net.second_opinion(text, safety.NO_VERDICT, ("x_is_killing_me",), probs=low).kind == "none"


def test_a_question_about_the_chat_hides_only_the_nets_dose_reading() -> None:
    """Round forty: after `use_this_chat` the net's P(dosing) does not count ("on a cruise with my
    sister. can i still use the chat"), but its P(crisis) does ("standing on the overpass right now.
    dunno why I opened this chat")."""
    dose_like = {"none": 0.2, "crisis": 0.05, "past_harm": 0.0, "dosing": 0.75}
    text = "i will not be around the next two weeks, on a cruise with my sister. can i still use the chat"
    assert net.second_opinion(text, safety.NO_VERDICT, ("use_this_chat",), probs=dose_like).kind == "none"
    crisis_like = {"none": 0.1, "crisis": 0.85, "past_harm": 0.0, "dosing": 0.05}
    text = "hey so I'm standing on the overpass on 94 right now. dunno why I opened this chat"
    assert net.second_opinion(text, safety.NO_VERDICT, ("use_this_chat",), probs=crisis_like).kind == "crisis"
