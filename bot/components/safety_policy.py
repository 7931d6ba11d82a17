"""Rasa policy: the one owner of crisis, dosing and language replies, inside forms too.

Priority 7, above RulePolicy (6): whenever policies compete on a message, this one wins, and no
rule in data/rules/ answers crisis or dosing. It needs no action server: every reply it predicts
is a domain response generated from knowledge/ (bot/build.py ``safety_responses``).

What the priority does NOT do is pre-empt an active form. While a form is active, RulePolicy
predicts the form as a "no user" prediction, and Rasa lets such a prediction overrule every other
one whatever its priority (``rasa/core/policies/ensemble.py`` ``_pick_best_policy``). So Rasa
runs the form first, and the form's validation action sees the message before this policy does.
That action never fills a slot from a crisis or dosing message (``leaves_unfilled`` in
actions/form_base.py); the form is rejected, and only then does this policy answer. With the
action server down the validation call fills nothing either (bot/rasa_seams.py turns the failure
into one message), so the form is rejected the same way.

What it decides, from the latest message and the tracker's own events (no slot, no action):

* **Crisis** (intent ``crisis``): the reply of the crisis's kind, read from the ``safety`` record
  the SafetyScreen put on the message (``utter_crisis_<kind>`` [+ ``_more``], Spanish
  ``utter_crisis_es_<kind>``; the general ``utter_crisis_emergency`` + ``utter_crisis_support``
  when the kind is unknown). Then it listens: an active form does NOT resume on its own.
* **Crisis mode**: after a crisis reply (not a past-harm one), the next messages get short,
  step-by-step follow-ups with the numbers (``utter_crisis_followup_<id>``), chosen by what the
  person says ("I don't have narcan", "he's breathing now", "I'm scared") or by the kind. Inside
  a form, a hint with a "continue" button follows. Crisis mode ends when the person asks for
  something else (``exit_intents``), asks to go back to the form (``resume_intents``: the form
  then asks its question again, answers kept), or, in free chat, after ``user_turns`` messages.
* **Dosing** (``ask_dosing``): the dosing reply (Spanish when the message was), then the form.
* **Language**: a Spanish message that is neither gets a Spanish note on how to reach the clinic;
  another language gets the English note with the emergency numbers.

After a reply from here, Rasa runs the form's validation action again in the same turn (when the
plan goes back to the form); the form then reads nothing new (``is_fresh_user_turn`` in
actions/form_base.py), so it never mistakes a message answered here for an answer to its question.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

from rasa.core.policies.policy import Policy, PolicyPrediction, confidence_scores_for
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_events import SESSION_STARTED, action_names, intent_name, since_latest, since_latest_user

PRIORITY = 7  # above RulePolicy (6): safety outranks every rule, form and story
SAFETY_KEY = "safety"  # the record bot/components/safety_screen.py puts on each message

GENERAL_CRISIS = ["utter_crisis_emergency", "utter_crisis_support"]


def actions_since_last_user_message(tracker: DialogueStateTracker) -> List[str]:
    return action_names(since_latest_user(tracker.events))


def next_in_plan(sequence: Sequence[str], final: str, done: Sequence[str]) -> Optional[str]:
    """The next action of ``sequence`` then ``final``; None when this turn is already answered."""
    seq = list(sequence)
    if done[: len(seq)] != seq[: len(done)] or len(done) > len(seq):
        return None  # something else already answered this turn
    if len(done) < len(seq):
        return seq[len(done)]
    return final


# ------------------------------------------------------------------------------------------------
# Configuration (knowledge/safety.yml `crisis_mode`)
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModeConfig:
    user_turns: int
    exit_intents: frozenset
    exit_payloads: frozenset
    resume_intents: Dict[str, str]
    followups: Tuple[Tuple[str, "re.Pattern[str]", Optional["re.Pattern[str]"]], ...]


_MODE: Optional[ModeConfig] = None


def mode_config() -> ModeConfig:
    global _MODE
    if _MODE is None:
        from bot.safety import load_config

        raw = load_config().raw.get("crisis_mode") or {}
        followups = []
        for item in raw.get("followups") or []:
            es = item.get("match_es")
            followups.append((str(item["id"]), re.compile(str(item["match"])), re.compile(es) if es else None))
        _MODE = ModeConfig(
            user_turns=int(raw.get("user_turns", 4)),
            exit_intents=frozenset(raw.get("exit_intents") or []),
            exit_payloads=frozenset(str(p) for p in raw.get("exit_payloads") or []),
            resume_intents={str(k): str(v) for k, v in (raw.get("resume_intents") or {}).items()},
            followups=tuple(followups),
        )
    return _MODE


# ------------------------------------------------------------------------------------------------
# Reading the tracker
# ------------------------------------------------------------------------------------------------


def _intent(event: UserUttered) -> str:
    return str(intent_name(event) or "")


def _record(event: Optional[UserUttered]) -> Dict[str, Any]:
    if event is None:
        return {}
    record = (event.parse_data or {}).get(SAFETY_KEY)  # type: ignore[union-attr]
    return dict(record) if isinstance(record, dict) else {}


@dataclass(frozen=True)
class CrisisContext:
    kind: str  # overdose, suicide, extra_dose, red_flag, general
    lang: str  # "en" or "es"
    turns: int  # user messages since the crisis message, before the latest one


def kind_for_record(record: Dict[str, Any]) -> str:
    from bot.safety import kind_of

    return kind_of(str(record.get("category") or ""))


def crisis_context(events: Sequence[Any], config: Optional[ModeConfig] = None) -> Optional[CrisisContext]:
    """The crisis this conversation is still in, judged from the user messages BEFORE the latest.

    None when there was none in this session, when it was past harm only, or when the person has
    since asked for something else.
    """
    config = config or mode_config()
    user_events: List[UserUttered] = [
        event for event in reversed(since_latest(events, SESSION_STARTED)) if isinstance(event, UserUttered)
    ]
    turns = 0
    fallback: Optional[CrisisContext] = None  # an unsure crisis turn; an earlier known kind wins
    for event in user_events[1:]:  # [0] is the latest message itself
        name = _intent(event)
        if is_exit(name, event.text or "", config) or name in config.resume_intents.values():
            break
        if name == "crisis":
            record = _record(event)
            kind = kind_for_record(record)
            if kind == "past_harm":
                break
            found = CrisisContext(kind, "es" if record.get("lang") == "es" else "en", turns)
            if kind != "general":
                return CrisisContext(kind, found.lang, fallback.turns if fallback else turns)
            fallback = fallback or found
        turns += 1
    return fallback


def is_exit(intent: str, text: str, config: ModeConfig) -> bool:
    """The person asked for something else: an exit intent, or the "I am safe now" button."""
    return intent in config.exit_intents or text.strip() in config.exit_payloads


def choose_followup(text: str, lang: str, kind: str, config: Optional[ModeConfig] = None) -> str:
    """The follow-up id for a message in crisis mode: what the person says first, else the kind."""
    config = config or mode_config()
    if lang == "es":
        from bot.safety.language import plain

        reading = plain(text)
        for fid, _, rx_es in config.followups:
            if rx_es is not None and rx_es.search(reading):
                return fid
        return "general"
    from bot.safety import readings

    lemma, surface = readings(text)
    for fid, rx, _ in config.followups:
        if rx.search(lemma) or rx.search(surface):
            return fid
    return kind


# ------------------------------------------------------------------------------------------------
# Planning a turn
# ------------------------------------------------------------------------------------------------


def crisis_sequence(kind: str, lang: str, responses: Any) -> List[str]:
    prefix = "utter_crisis_es_" if lang == "es" else "utter_crisis_"
    names = [n for n in (prefix + kind, prefix + kind + "_more") if n in responses]
    if names:
        return names
    if lang == "es" and "utter_crisis_es_followup_general" in responses:
        return ["utter_crisis_es_followup_general"]
    return list(GENERAL_CRISIS)


def plan_turn(
    intent: str,
    record: Dict[str, Any],
    text: str,
    context: Optional[CrisisContext],
    active_loop: Optional[str],
    responses: Any,
    config: Optional[ModeConfig] = None,
) -> Optional[Tuple[List[str], str]]:
    """(responses to utter, the action after them) for this turn, or None to let others decide."""
    config = config or mode_config()
    listen_or_form = active_loop or ACTION_LISTEN_NAME
    lang = str(record.get("lang") or "en")
    if intent == "crisis" and context is not None and kind_for_record(record) == "general":
        intent = "crisis_followup"  # in crisis mode, an unsure "crisis" (net, model) is a follow-up
    if intent == "crisis":
        kind = kind_for_record(record)
        seq = crisis_sequence(kind, lang, responses)
        if kind == "past_harm":
            return seq, listen_or_form  # no emergency now: what they were doing may go on
        return seq, ACTION_LISTEN_NAME  # never back into a form in the same turn
    if context is not None and not (active_loop is None and context.turns >= config.user_turns):
        if active_loop and config.resume_intents.get(active_loop) == intent:
            return ["utter_resume_form"], active_loop  # the person asked to go back
        if not is_exit(intent, text, config) and intent not in config.resume_intents.values():
            mode_lang = "es" if (lang == "es" or context.lang == "es") else "en"
            fid = choose_followup(text, mode_lang, context.kind, config)
            name = f"utter_crisis_es_followup_{fid}" if mode_lang == "es" else f"utter_crisis_followup_{fid}"
            if name not in responses:
                name = "utter_crisis_es_followup_general" if mode_lang == "es" else "utter_crisis_followup_general"
            seq = [name]
            hint = f"utter_resume_hint_{active_loop}" if active_loop else ""
            if hint in responses:
                seq.append(hint)
            return seq, ACTION_LISTEN_NAME
        return None
    if intent == "ask_dosing":
        name = "utter_dosing_es" if lang == "es" and "utter_dosing_es" in responses else "utter_dosing"
        return [name], listen_or_form
    if record.get("kind", "none") == "none" and lang in ("es", "other"):
        name = "utter_language_es" if lang == "es" else "utter_language_other"
        if name in responses:
            return [name], listen_or_form
    return None


def next_safety_action(intent: Optional[str], done: List[str], active_loop: Optional[str]) -> Optional[str]:
    """The next action for a plain crisis/dosing message without crisis mode (kept for callers)."""
    plan = plan_turn(intent or "", {}, "", None, active_loop, set(GENERAL_CRISIS) | {"utter_dosing"})
    return None if plan is None else next_in_plan(plan[0], plan[1], done)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT], is_trainable=False
)
class SafetyPolicy(Policy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"priority": PRIORITY}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any = None,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        mode_config()  # a YAML error stops the server at start-up, not at the first crisis

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        latest = tracker.latest_message
        if latest is None or not latest.text and not latest.intent:
            return self._prediction(self._default_predictions(domain))
        intent = _intent(latest)
        try:
            plan = plan_turn(
                intent, _record(latest), latest.text or "", crisis_context(tracker.events),
                tracker.active_loop_name, domain.responses,
            )
        except Exception:  # noqa: BLE001 - never let crisis mode break a crisis reply
            plan = None
            if intent == "crisis":
                plan = (list(GENERAL_CRISIS), ACTION_LISTEN_NAME)
        action = None if plan is None else next_in_plan(plan[0], plan[1], actions_since_last_user_message(tracker))
        if action is None:
            return self._prediction(self._default_predictions(domain))
        return self._prediction(confidence_scores_for(action, 1.0, domain))

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "SafetyPolicy":
        return cls(config, model_storage, resource, execution_context)
