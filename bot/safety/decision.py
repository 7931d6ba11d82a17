"""The screen itself: one message in, one verdict out. Crisis always outranks dosing.

Why a module of its own: this is the order of decisions (Spanish rules, past harm, idioms,
crisis rules, educational exemptions, dosing rules, the learned net's say), which changes
independently of how a message is read (bot/safety/reading.py), of the policy's file format
(bot/safety/config.py) and of the reply wording (bot/safety/messages.py).

The module is not called ``screen.py`` on purpose: the package re-exports the function
``screen``, and a submodule of the same name would be shadowed by it (``bot.safety.screen``
would be the function, so ``import bot.safety.screen as m`` would silently give the function).
"""
from __future__ import annotations

from typing import Sequence

import bot.safety as package
from bot.safety.config import MATCH, SHORT_WORDS, UNLESS, Config, Rule, load_config
from bot.safety.gate import text_keys
from bot.safety.language import detect, plain
from bot.safety.reading import as_text, read
from bot.safety.verdict import EXEMPTED, NO_VERDICT, Verdict


def screen(text: str) -> Verdict:
    """Crisis, dosing or none for one user message, and its language. Crisis outranks dosing.

    Never raises for odd input (empty, huge, HTML, emoji, other scripts): a screen that crashes
    is a screen that is off. Spanish messages are read by the Spanish rules first; the English
    rules still run on them (people mix languages). The learned net (bot/safety/net.py) is the
    second net for English and Spanish wording the rules miss.
    """
    cfg = load_config()
    text = as_text(text)
    if not text.strip():
        return NO_VERDICT
    try:
        lang = detect(text)
    except Exception:  # noqa: BLE001 - detection must never switch the screen off
        lang = "en"
    verdict: Verdict | None = None
    # the accent-free reading the Spanish rules and exemptions read, made once per message; for a
    # message read as English only when the short-message check below needs it (the hot path)
    spanish_reading = plain(text) if lang != "en" else ""
    if lang == "es":
        verdict = _spanish_screen(spanish_reading, cfg)
    elif lang == "other":
        # Another Latin-script language, often close to Spanish ("não quero mais viver"): the
        # Spanish crisis rules may still see the danger; the reply is then the English crisis
        # reply with every number, not the language note alone
        verdict = _spanish_screen(spanish_reading, cfg, kinds=("crisis",))
    exempted: tuple[str, ...] = ()
    if verdict is None or verdict.kind == "dosing":
        # The English rules read Spanish messages too: people mix languages ("I tried to kill
        # myself back in high school con las pastillas de mi mamá"), and a crisis they find
        # outranks a Spanish dosing hit, as crisis outranks dosing everywhere else.
        # Without the ratio repairs for a Spanish message: the Spanish rules read its Spanish
        # words, and a repair would make English key words of them ("suicidio" -> "suicide").
        english, english_exempted = _rule_screen(text, cfg, fuzzy=lang != "es")
        if verdict is None or english.kind == "crisis":
            verdict, exempted = english, english_exempted
    if lang == "en" and not verdict.fired and not exempted and len(text.split()) < SHORT_WORDS:
        # "quiero morir", "no respira", "me voy a matar": too few words for the language detector,
        # which keeps short messages English (a form's "no" or "si" must stay an answer). The
        # English rules found nothing and set nothing aside ("cluster headaches are called suicide
        # headaches"); the Spanish rules read it too, and a hit is answered in Spanish.
        spanish_reading = plain(text)
        spanish = _spanish_screen(spanish_reading, cfg)
        if spanish is not None:
            verdict, lang = spanish, "es"
    if lang == "es" and not verdict.fired:
        # "mi tío tuvo una sobredosis hace años, ya está bien": someone else's history, which the
        # net's P(past harm) cannot tell from the writer's own (the English rules' idiom does the
        # same for English, `history_exemptions` of `net:`)
        exempted += _spanish_exemptions(spanish_reading, cfg)
    if lang in ("en", "es"):
        verdict = _net_verdict(text, verdict, exempted)
    if exempted and not verdict.fired:
        verdict = EXEMPTED
    if lang != "en":
        return Verdict(verdict.kind, verdict.category, verdict.rule, lang)
    return verdict


def _spanish_screen(reading: str, cfg: Config, kinds: tuple[str, ...] = ("crisis", "dosing")) -> Verdict | None:
    """The ``spanish:`` rules on the accent-free reading (``plain``): crisis first, then dosing."""
    for kind in kinds:
        for rule in cfg.spanish:
            if rule.kind == kind and rule.matches(reading):
                return Verdict(kind, rule.category, "es:" + rule.id, "es")
    return None


def _spanish_exemptions(reading: str, cfg: Config) -> tuple[str, ...]:
    """The ids of the ``spanish: exemptions:`` that match the accent-free reading (never a verdict
    of their own)."""
    return tuple("es:" + rule.id for rule in cfg.spanish if rule.kind == "exempt" and rule.matches(reading))


def rule_screen(text: str, cfg: Config | None = None) -> Verdict:
    """The English rules alone (no language detection, no learned net)."""
    return _rule_screen(text, cfg or load_config())[0]


def _rule_screen(text: str, cfg: Config, fuzzy: bool = True) -> tuple[Verdict, tuple[str, ...]]:
    """(verdict of the English rules, the ids of the idiom or educational exemptions that
    matched -- and "unless" when a crisis rule's own ``unless`` vetoed it, "dose_unless" when only a
    dosing rule's did; empty when none did)."""
    text = as_text(text)
    if not text.strip():
        return NO_VERDICT, ()
    reading = read(text, cfg, fuzzy)
    if not reading.lemma:
        return NO_VERDICT, ()
    # Past harm first, on the whole message: the idioms blank "overdosed years ago", which is
    # exactly what a person telling their own history writes.
    lemma_str, surface_str = reading.strings()
    words = frozenset(lemma_str.split()) | frozenset(surface_str.split())
    keys = text_keys(lemma_str, surface_str)
    crisis = cfg.in_play("crisis", keys)
    past_harm = [rule for rule in crisis if rule.category == "past_harm"]
    # `vetoed`: some rule matched but its own `unless` said no (Rule.outcome)
    hit, vetoed = _first_match(past_harm, lemma_str, surface_str, words)
    if hit:
        return Verdict("crisis", hit.category, hit.id), ()
    whole = (lemma_str, surface_str)
    exempted = tuple(reading.blank(cfg.in_play("idioms", keys)))
    lemma_str, surface_str = reading.strings()
    others = [rule for rule in crisis if rule.category != "past_harm"]
    hit, vetoed_here = _first_match(others, lemma_str, surface_str, words, whole)
    vetoed = vetoed or vetoed_here
    if hit:
        return Verdict("crisis", hit.category_of(lemma_str, surface_str), hit.id), exempted
    educational = reading.blank(cfg.in_play("educational", keys))
    if educational:
        exempted += tuple(educational)
        lemma_str, surface_str = reading.strings()
    # The dosing rules' ``unless`` reads the whole message too: "explain_to_me" blanks "can you tell
    # me what the clinic's phone hours are", the very words that set "my tramadol is 50mg 3x a day"
    # aside as a regimen told beside an office question (round forty-nine)
    hit, dose_vetoed = _first_match(cfg.in_play("dosing", keys), lemma_str, surface_str, words, whole)
    if hit:
        return Verdict("dosing", hit.category, hit.id), exempted
    # A rule matched and its own `unless` vetoed it: an explicit "not this", which the learned
    # net may not overrule either. A dosing rule's "not this" says only "not a dose question":
    # the net's crisis reading still counts after it ("dose_unless", `not_a_dose` in safety.yml).
    if not exempted and vetoed:
        exempted = ("unless",)
    elif not exempted and dose_vetoed:
        exempted = ("dose_unless",)
    return NO_VERDICT, exempted


def _first_match(rules: Sequence[Rule], lemma: str, surface: str, words: frozenset[str],
                 whole: tuple[str, str] | None = None) -> tuple[Rule | None, bool]:
    """(the first rule that matches, in order; whether a rule before it matched but was vetoed
    by its own ``unless``, which reads ``whole`` when given: Rule.outcome)."""
    vetoed = False
    for rule in rules:
        outcome = rule.outcome(lemma, surface, words, whole)
        if outcome is MATCH:
            return rule, vetoed
        if outcome is UNLESS:
            vetoed = True
    return None, vetoed


def _net_verdict(text: str, verdict: Verdict, exempted: Sequence[str]) -> Verdict:
    """The learned net's say on the rules' verdict (bot/safety/net.py ``second_opinion``).

    The switch is ``bot.safety.USE_NET`` (one place, read at call time), so that
    ``bot.safety.USE_NET = False`` measures the rules alone.
    """
    if not package.USE_NET:
        return verdict
    try:
        from bot.safety.net import second_opinion

        return second_opinion(text, verdict, exempted)
    except Exception:  # noqa: BLE001 - the second net failing leaves the first in place
        return verdict

