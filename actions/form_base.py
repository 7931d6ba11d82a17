"""One interruptible form base: what the questionnaire and the callback request do the same way.

``InterruptibleFormValidationAction`` extends rasa-sdk's ``FormValidationAction`` the way
financial-demo's ``CustomFormValidationAction`` does: it overrides the SDK's validation hook
(``get_validation_events``, rasa-sdk 3's counterpart of financial-demo's ``validate()``) and
calls ``super()``, so each form keeps the SDK's ``validate_<slot>`` methods and ``run()`` stays
the SDK's own. ``name()`` is abstract, which is how rasa-sdk's executor knows not to register the
base as an action (``rasa_sdk/executor.py`` skips abstract classes).

``FormAskAction`` is the other half of a form: the ``action_ask_<slot>`` that asks one step. After
an interruption (a rule or the SafetyPolicy answered something else) it first says the form's way
back ("Now, back to ...", or the safety-first line after a crisis: ``resume_lead``), then the
step's question. It is an ``Action`` subclass kept abstract until a class names its ``slot``, so
the action server registers only the real ask actions (tests/unit/test_action_registry.py).

One reply inside a form is read in this order, the same for every form:

1. Only a fresh reply is read: when the form runs again in the same turn, after a rule answered
   something else, the message belongs to that interruption (``is_fresh_user_turn``).
2. Crisis, dosing and clinic-contact messages are left unfilled (``leaves_unfilled``); Rasa then
   rejects the form and the SafetyPolicy or a rule answers. The one exception: a short, exact
   reply that the ML model alone mislabelled ("skip" came out as ask_dosing).
3. Ways out in people's words: "forget me" (the form's details are cleared and the forget-me
   question follows), "stop" / "not now" / goodbye (``stop_events``), "why?" (one line on why
   the form asks, then the same question).
4. A form's own early replies (``early_reply``): "skip" in the questionnaire, a button of
   another menu in the callback request.
5. A question about an FAQ topic is answered right here with ``action_answer_faq``'s own code,
   then the form's "Now, back to ..." line; the same question follows. An unsure question gets
   "Did you mean ...?" when the form wants it (``clarifies_unsure_questions``).
6. Anything else is the answer to the step: rasa-sdk calls the form's ``validate_<slot>`` with
   the reply as the candidate value. A ``validate_<slot>`` always returns its own slot (None to
   ask again), since the candidate would otherwise stay in the slot.

The words themselves are read by pure functions (``bot.screening.parse_control`` /
``parse_answer``, ``bot.form_replies``), unit-tested without Rasa.
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction

from actions.common import say
from bot import form_replies
from bot.answers import topic_of_intent
from bot.screening import parse_answer, parse_control
from bot.tracker_events import latest_intent, latest_text, since_latest_user

#: Intents whose messages a form never fills a slot from (see ``leaves_unfilled``).
SAFETY_INTENTS = frozenset({"crisis", "ask_dosing"})
#: Replies up to this many words that are exactly what the form asked for (see ``leaves_unfilled``).
SHORT_REPLY_WORDS = 4
#: A button under an FAQ answer ("related topics") carries this intent.
TOPIC_BUTTON_INTENT = "choose_topic"
FALLBACK_INTENT = "nlu_fallback"
#: A topic intent this sure counts as a question even without "?" (see ``is_topic_question``).
CONFIDENT_TOPIC = 0.8
#: Said before a question asked again after a crisis reply (knowledge/conversation.yml).
AFTER_CRISIS = "utter_form_after_crisis"
#: "forget me" inside a form hands over to this action (actions/privacy.py).
FORGET_ME_ASK = "action_forget_me_ask"

_QUESTION_START = re.compile(
    r"^\s*(?:what|whats|what's|why|how|when|where|who|which|is|isn't|are|aren't|does|doesn't|do|"
    r"did|can|could|should|would|will|may|tell me|explain)\b",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------------------------
# Reading the tracker (shared with the ask actions)
# --------------------------------------------------------------------------------------------


def is_fresh_user_turn(tracker: Tracker) -> bool:
    """True when the form runs straight after the person's message.

    False when it runs again after a rule answered an interruption in the same turn (the form
    was rejected, something was said): Rasa calls the validation action then too
    (``FormAction._validate_if_required``), and the message belongs to the interruption.
    """
    return not any(
        e.get("event") in ("bot", "action_execution_rejected") for e in since_latest_user(tracker.events or [])
    )


def screen_fired(tracker: Tracker) -> bool:
    """The deterministic safety screen (bot/components/safety_screen.py) caught this message."""
    verdict = (tracker.latest_message or {}).get("safety") or {}
    return verdict.get("kind") in ("crisis", "dosing")


def leaves_unfilled(tracker: Tracker, rule_intents: frozenset, fits: bool) -> bool:
    """True when the form must fill nothing from this message (crisis, dosing, clinic, ...).

    This is not routing: the form decides nothing about what is said next. It only declines the
    message, and Rasa does the rest. While a form is active, Rasa runs the form before any policy
    can act on the message (RulePolicy's loop prediction overrules every other policy, whatever
    its priority: ``rasa/core/policies/ensemble.py`` ``_pick_best_policy``). A form turn that
    fills nothing is rejected (``FormAction.validate`` raises ``ActionExecutionRejection``), and
    only then do the policies predict from the message: the SafetyPolicy, the single owner of
    crisis and dosing replies (bot/components/safety_policy.py), or a rule for the clinic
    contact (data/rules/). Without this check "yes, I took all of them" would fill the question
    with "yes" and the crisis would never reach the SafetyPolicy.

    A crisis or dosing verdict of the deterministic screen always leaves the message unfilled.
    The same intents from the ML model alone (the second net) give way to a reply that is exactly
    what the form asked for, because the model labels short words it never saw: "skip" came out
    as ask_dosing (0.59), "pass" and "blue" as crisis. A whole-reply "skip" or "yes" is not a
    crisis message; anything longer or unclear is left to the SafetyPolicy.
    """
    intent = latest_intent(tracker)
    if intent in SAFETY_INTENTS:
        return screen_fired(tracker) or not fits
    return intent in rule_intents and not fits


def resume_lead(tracker: Tracker, back_response: str) -> Optional[str]:
    """The response to say before a question that is asked again after a rule answered something
    else: the form's own "Now, back to ..." line, or the safety-first line after a crisis."""
    since = since_latest_user(tracker.events or [])
    if not any(e.get("event") == "action_execution_rejected" for e in since):
        return None
    if latest_intent(tracker) == "crisis":
        return AFTER_CRISIS
    return back_response


def looks_like_question(text: str) -> bool:
    return text.strip().endswith("?") or bool(_QUESTION_START.match(text))


def is_topic_question(tracker: Tracker) -> bool:
    """The message asks about an FAQ topic: a topic button, or a topic intent on a real question.

    Inside a form the model sees many replies it was never trained on ("555-12", "purple
    elephants") and may give them a topic intent. So a topic intent only counts when the message
    reads like a question, or is a confident sentence of three words or more without digits.
    """
    intent = latest_intent(tracker)
    if intent == TOPIC_BUTTON_INTENT:
        return True
    if topic_of_intent(intent) is None:
        return False
    text = latest_text(tracker)
    if looks_like_question(text):
        return True
    confidence = float(((tracker.latest_message or {}).get("intent") or {}).get("confidence") or 0)
    return (
        confidence >= CONFIDENT_TOPIC
        and len(text.split()) >= 3
        and not re.search(r"[\d@]", text)
    )


@dataclass(frozen=True)
class Reply:
    """The person's latest message as every form reads it first."""

    text: str  # stripped
    intent: Optional[str]
    control: Optional[str]  # "stop" (also "not now" in people's words), "skip", "why" or None
    forget: bool  # "forget me", "delete my data" (or the forget_me intent)

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def is_question(self) -> bool:
        """A real question (more than three words): it is never taken as the step's answer."""
        return looks_like_question(self.text) and self.words > 3

    @classmethod
    def read(cls, tracker: Tracker) -> "Reply":
        text = latest_text(tracker).strip()
        intent = latest_intent(tracker)
        control = parse_control(text)
        if control is None and form_replies.wants_to_leave(text):
            control = "stop"  # "not now", "not in the mood for this now" (bot/form_replies.py)
        forget = intent == "forget_me" or form_replies.wants_to_forget(text)
        return cls(text, intent, control, forget)


# --------------------------------------------------------------------------------------------
# The base
# --------------------------------------------------------------------------------------------


class InterruptibleFormValidationAction(FormValidationAction, ABC):
    """A form whose every reply may be a way out, a correction, a question or a safety message.

    Subclasses give ``name()``, the hooks below and one ``validate_<slot>`` per step (rasa-sdk's
    convention); see the module docstring for the order in which one reply is read.
    """

    #: Intents a rule answers inside this form (the form asks its question again afterwards).
    rule_intents: frozenset = frozenset()
    #: The form's "Now, back to ..." response, said after an FAQ answer inside the form.
    back_response: str = ""
    #: Answer a question the model is unsure about with "Did you mean ...?" inside the form.
    clarifies_unsure_questions: bool = False

    @abstractmethod
    def name(self) -> Text:
        """Abstract, so that rasa-sdk's executor does not register the base as an action."""

    @abstractmethod
    def fills(self, slot: str, reply: Reply) -> bool:
        """The reply is a usable value for this step (it then wins over an FAQ reading)."""

    def fits_exactly(self, slot: str, reply: Reply) -> bool:
        """The reply is exactly what the step asked for (see ``leaves_unfilled``)."""
        return self.fills(slot, reply) and reply.words <= SHORT_REPLY_WORDS

    @abstractmethod
    def cleared_slots(self) -> List[EventType]:
        """The slot resets that leave nothing of this form behind ("forget me")."""

    @abstractmethod
    def stop_events(self, slot: str, reply: Reply) -> List[EventType]:
        """The events that end the form on "stop", "not now" or a goodbye."""

    @abstractmethod
    def why_response(self, slot: str) -> str:
        """The response that says why the form asks for ``slot``."""

    def early_reply(
        self, slot: str, reply: Reply, dispatcher: CollectingDispatcher
    ) -> Optional[List[EventType]]:
        """A form's own reply read before FAQ questions; None to go on."""
        return None

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        slot = tracker.get_slot(REQUESTED_SLOT)
        if slot not in self.domain_slots(domain) or not is_fresh_user_turn(tracker):
            return []  # activation, or resuming after a rule: nothing new to read
        reply = Reply.read(tracker)
        fits = reply.forget or reply.control is not None or self.fits_exactly(slot, reply)
        if leaves_unfilled(tracker, self.rule_intents, fits):
            return []  # filled nothing -> Rasa rejects the form -> the SafetyPolicy or a rule answers
        if reply.forget:  # leave the form, keep nothing of it, ask the forget-me question
            return self.cleared_slots() + [SlotSet(REQUESTED_SLOT, None), FollowupAction(FORGET_ME_ASK)]
        if reply.control == "stop" or (reply.intent == "goodbye" and parse_answer(reply.text) is None):
            return self.stop_events(slot, reply)
        if reply.control == "why":
            say(dispatcher, self.why_response(slot))
            return [SlotSet(slot, None)]  # a value (None) counts as handled: same question again
        early = self.early_reply(slot, reply, dispatcher)
        if early is not None:
            return early
        if is_topic_question(tracker) and (reply.is_question or not self.fills(slot, reply)):
            return await self._detour(answer_topic_question, slot, dispatcher, tracker, domain)
        if self.clarifies_unsure_questions and reply.intent == FALLBACK_INTENT and reply.is_question:
            return await self._detour(clarify_question, slot, dispatcher, tracker, domain)
        # The step's own answer: rasa-sdk calls validate_<slot> with the reply as the candidate.
        tracker.add_slots([SlotSet(slot, reply.text)])
        return await super().get_validation_events(dispatcher, tracker, domain)

    async def _detour(
        self, answer: Any, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        events = await answer(dispatcher, tracker, domain)
        say(dispatcher, self.back_response)
        return events + [SlotSet(slot, None)]


class FormAskAction(Action, ABC):
    """``action_ask_<slot>``: the way back after an interruption, then the step's question.

    Rasa runs it whenever the form wants ``slot`` filled, also right after a rule or the
    SafetyPolicy answered a message the form left unfilled; the person then needs to hear that
    the form goes on before the question comes again. A form's ask actions share one subclass
    that gives ``back_response`` and ``ask``; each concrete ask action only names its ``slot``.
    """

    #: The form's "Now, back to ..." response, said first when the question follows an interruption.
    back_response: str = ""

    @property
    @abstractmethod
    def slot(self) -> str:
        """The slot this action asks for. Abstract until a class sets it (``slot = "..."``), so
        that rasa-sdk's executor registers neither this base nor a form's shared subclass."""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"  # Rasa's convention: the form runs action_ask_<slot>

    @abstractmethod
    def ask(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        """Say the step's question (with its buttons)."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        lead = resume_lead(tracker, self.back_response)
        if lead:
            say(dispatcher, lead)
        self.ask(dispatcher, tracker)
        return []


async def answer_topic_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
) -> List[EventType]:
    """Answer an FAQ question inside a form with exactly what ``action_answer_faq`` does."""
    from actions.faq import ActionAnswerFaq  # local: keeps the two modules independent at import

    return list(await ActionAnswerFaq().run(dispatcher, tracker, domain) or [])


async def clarify_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
) -> List[EventType]:
    """ "Did you mean ...?" inside a form, with exactly what ``action_clarify`` does."""
    from actions.faq import ActionClarify

    return list(await ActionClarify().run(dispatcher, tracker, domain) or [])
