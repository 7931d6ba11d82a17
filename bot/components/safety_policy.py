"""Rasa policy: answer crisis and dosing messages before anything else, forms included.

Inside a form Rasa runs the form action before any rule, so a rule-based crisis reply would
depend on the action server answering the form's validation first. This policy has the highest
priority and needs no action server: when the latest message's intent is ``crisis`` (or
``ask_dosing``), it predicts the domain responses in order, then hands back to the active form
(which re-asks its question) or listens. Rasa's forms only validate a message right after
``action_listen``, so the form never mistakes the crisis message for an answer.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction, confidence_scores_for
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

SEQUENCES: Dict[str, List[str]] = {
    "crisis": ["utter_crisis_emergency", "utter_crisis_support"],
    "ask_dosing": ["utter_dosing"],
}
PRIORITY = 7  # above RulePolicy (6): safety outranks every rule, form and story


def actions_since_last_user_message(tracker: DialogueStateTracker) -> List[str]:
    names: List[str] = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, ActionExecuted) and event.action_name:
            names.append(event.action_name)
    return list(reversed(names))


def next_safety_action(intent: Optional[str], done: List[str], active_loop: Optional[str]) -> Optional[str]:
    """The next action of the safety sequence for ``intent``, or None when it does not apply."""
    sequence = SEQUENCES.get(intent or "")
    if not sequence:
        return None
    if done[: len(sequence)] != sequence[: len(done)] or len(done) > len(sequence):
        return None  # something else already answered this turn
    if len(done) < len(sequence):
        return sequence[len(done)]
    return active_loop or ACTION_LISTEN_NAME


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

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        intent = (tracker.latest_message.intent or {}).get("name") if tracker.latest_message else None
        action = next_safety_action(intent, actions_since_last_user_message(tracker), tracker.active_loop_name)
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
