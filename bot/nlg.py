"""Output guard for every response Rasa itself utters (domain responses and FAQ answers).

Replies written by custom actions pass ``actions.common.send``; replies Rasa renders from the
domain pass this generator. Between the two, no message reaches a patient without the dose check
of ``bot.safety.contains_dose_amount``. A hit means the content has a bug: it is logged (the
response name only, never the conversation) and the dosing-routing message goes out instead.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, Optional, Text

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig

from bot.safety import contains_dose_amount

logger = logging.getLogger(__name__)
ROUTING_RESPONSE = "utter_dosing"


class GuardedNLG(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None) -> None:
        super().__init__((domain or Domain.empty()).responses)

    def generate_from_slots(
        self, utter_action: Text, filled_slots: Dict[Text, Any], output_channel: Text, **kwargs: Any
    ) -> Optional[Dict[Text, Any]]:
        response = super().generate_from_slots(utter_action, filled_slots, output_channel, **kwargs)
        if response and utter_action != ROUTING_RESPONSE and contains_dose_amount(response.get("text") or ""):
            logger.error("content bug: response %s contained a dose amount; replaced", utter_action)
            return super().generate_from_slots(ROUTING_RESPONSE, filled_slots, output_channel, **kwargs)
        return response
