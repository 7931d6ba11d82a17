"""The callback request as a Rasa form: consent, name, contact, preferred time, confirmation.

Thin adapter over ``bot/referrals.py`` (validation of the contact, the SQL store). The privacy
promises this module keeps:
- consent comes first and says why the details are needed and who sees them (clinic staff only);
  "no" stores nothing;
- nothing is saved before the person confirms the summary ("Shall I send this?");
- every ending (saved, declined, cancelled, not confirmed) resets the name and contact slots to
  null, so they do not stay in the tracker's slots;
- no log line carries a name, a contact or a preferred time (bot.referrals logs only the request
  id, the topic and the kind of contact).

Replies are read the same way as in the questionnaire (actions/form_base.py: free words, "stop",
"not now", "forget me", "why?", FAQ questions answered right here); crisis and dosing messages are
left unfilled for the SafetyPolicy, a clinic-contact message for the rule in
data/rules/callback.yml, and the form then asks its question again.
"""
from __future__ import annotations

import functools
import logging
import re
from typing import Any, Dict, List, Optional, Text

import phonenumbers
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT

from actions import common
from actions.form_base import (
    SHORT_REPLY_WORDS,
    FormAskAction,
    InterruptibleFormValidationAction,
    Reply,
    is_fresh_user_turn,
)
from actions.screening import reset_answers
from bot import form_replies, knowledge, referrals
from bot.paths import KNOWLEDGE_DIR
from bot.screening import cached_screening, parse_answer, parse_consent
from bot.tracker_events import event_kind, intent_name, latest_text, since_latest_user

log = logging.getLogger(__name__)

FORM = "callback_form"
CONSENT, NAME, CONTACT, TIME, CONFIRM = (
    "callback_consent", "callback_name", "callback_contact", "callback_time", "callback_confirm",
)
SLOTS = (CONSENT, NAME, CONTACT, TIME, CONFIRM)

WORDING_FILE = KNOWLEDGE_DIR / "callback.yml"


@functools.lru_cache(maxsize=1)
def wording() -> Dict[str, Any]:
    """knowledge/callback.yml, read once per process: every text of the callback request."""
    data = knowledge.texts(WORDING_FILE.name)
    missing = [key for key in REQUIRED_TEXTS if key not in (data.get("texts") or {})]
    if missing:
        raise ValueError(f"{WORDING_FILE}: texts missing: {', '.join(missing)}")
    return data


def _buttons(key: str) -> List[Dict[str, str]]:
    return [{"title": t, "payload": t} for t in wording()["buttons"][key]]


REQUIRED_TEXTS = (
    "consent", "consent_why", "consent_unclear", "name", "name_why", "name_invalid", "contact",
    "contact_why", "contact_bad_email", "contact_bad_phone", "contact_missing", "time", "time_why",
    "confirm", "confirm_why", "confirm_unclear", "which_detail", "changed", "back",
    "screening_ended", "saved", "save_failed", "declined", "not_sent", "offer_declined",
)


_NAME_PREFIX = re.compile(
    r"^(?:(?:hi|hello|ok|okay|sure|yes)[,!.]?\s+)?(?:my name is|my name's|name is|name:|"
    r"i am|i'm|im|it's|its|it is|this is|call me|you can call me|ask for)\s+",
    re.IGNORECASE,
)
_NAME_OK = re.compile(r"^[^\W\d_](?:[^\W\d_]|[\s'.\-])*$", re.UNICODE)


def any_time() -> str:
    """The best time saved when the person skips that question (knowledge/callback.yml)."""
    return str(wording()["details"]["any_time"])


def say(dispatcher: CollectingDispatcher, key: str, buttons: Optional[List[Dict[str, str]]] = None, **values: Any) -> None:
    """Text ``key`` of knowledge/callback.yml, as the domain response ``utter_callback_<key>``.

    The clinic's details are in the response already (bot/replies.py); ``values`` fill the rest.
    """
    common.say(dispatcher, f"utter_callback_{key}", buttons, **values)


def example_phone() -> str:
    """A made-up but valid-looking number of the clinic's region, for the "like ..." hint."""
    region = referrals.clinic_region()
    number = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    if number is None:
        return "+1 212 555 0147"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def clean_name(text: str) -> Optional[str]:
    """The name in "my name is Ann Lee" / "Ann Lee."; None when it does not look like a name.

    Letters, spaces, apostrophes, dots and hyphens only, up to eight words: a reply with digits or
    an "@" is a contact typed in the wrong place, and a long sentence is not a name.
    """
    name = _NAME_PREFIX.sub("", " ".join(text.split())).strip(" .!,")
    if not name or len(name) > referrals.MAX_NAME or len(name.split()) > 8:
        return None
    if not _NAME_OK.match(name) or parse_answer(name) is not None:
        return None
    if form_replies.wants_to_leave(name) or form_replies.wants_to_forget(name):
        return None
    return name


def fits_slot(slot: str, text: str) -> bool:
    """The reply is a usable value for this step (then it wins over an FAQ reading)."""
    if slot in (CONSENT, CONFIRM):
        return parse_consent(text) in ("yes", "no") or (
            slot == CONFIRM and form_replies.parse_change(text) is not None
        )
    if slot == NAME:
        return clean_name(text) is not None
    if slot == CONTACT:
        return referrals.validate_contact(text) is not None
    return bool(text.strip())  # TIME: any free text


def contact_problem(text: str) -> str:
    """Which explanation fits an invalid contact: email, phone, or neither."""
    if "@" in text:
        return "contact_bad_email"
    if re.search(r"\d", text):
        return "contact_bad_phone"
    return "contact_missing"


def say_contact_problem(dispatcher: CollectingDispatcher, text: str) -> None:
    say(dispatcher, contact_problem(text), example=example_phone())


def detail_word(slot: str, contact: Optional[str] = None) -> str:
    words = wording()["details"]
    if slot == NAME:
        return words["name"]
    if slot == TIME:
        return words["time"]
    return words["email"] if contact and "@" in contact else words["phone"]


def shown_value(slot: str, value: str) -> str:
    return referrals.display_contact(value) if slot == CONTACT else value


def callback_topic(events: List[Dict[str, Any]]) -> str:
    """"screening", "dosing" or "general", from what led to this callback request.

    Looks at the two user turns before the form started: the screening result or a dosing answer
    there means the callback is about that (staff can prepare); anything else is "general".
    """
    start = len(events)
    for i in range(len(events) - 1, -1, -1):
        e = events[i]
        if event_kind(e) == "active_loop" and e.get("name") == FORM:
            start = i
            break
    users = 0
    for e in reversed(events[:start]):
        kind = event_kind(e)
        if kind == "action":
            if e.get("name") == "action_screening_result":
                return "screening"
            if e.get("name") == "utter_dosing":
                return "dosing"
        elif kind == "user":
            if intent_name(e.get("parse_data")) == "ask_dosing":
                return "dosing"
            users += 1
            if users >= 2:
                break
    return "general"


def _reset() -> List[EventType]:
    return [SlotSet(slot, None) for slot in SLOTS]


def _as_slots(events: List[EventType]) -> Dict[Text, Any]:
    """A step's slot events as the dict rasa-sdk's ``validate_<slot>`` returns."""
    return {e["name"]: e["value"] for e in events}


# --------------------------------------------------------------------------------------------
# Form
# --------------------------------------------------------------------------------------------


class ActionCallbackStart(Action):
    """Clear details left from an earlier, unfinished request before the form starts.

    Without this, a half-filled request (slots outlive sessions) would skip the consent question.
    When the request interrupts the questionnaire (data/rules/screening.yml), the questionnaire
    has just been ended: say so, and forget its answers as "stop" does.
    """

    def name(self) -> Text:
        return "action_callback_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        events: List[EventType] = []
        if any(
            e.get("event") == "action" and e.get("name") == "action_deactivate_loop"
            for e in since_latest_user(tracker.events or [])
        ):
            say(dispatcher, "screening_ended")
            events += reset_answers(cached_screening())
        return events + _reset() + [SlotSet(REQUESTED_SLOT, None)]


class AskCallbackStep(FormAskAction):
    """Ask one step of the callback request: text ``slot``'s key of knowledge/callback.yml.

    Abstract (no ``slot``), so the action server registers only the five steps below.
    """

    back_response = "utter_callback_back"
    #: The button set of knowledge/callback.yml shown under the question, if any.
    button_key: Optional[str] = None

    @property
    def key(self) -> str:
        """The step's text in knowledge/callback.yml: ``callback_consent`` -> ``consent``."""
        return self.slot.removeprefix("callback_")

    def values(self, tracker: Tracker) -> Dict[str, Any]:
        return {}

    def buttons(self, tracker: Tracker) -> List[Dict[str, str]]:
        return _buttons(self.button_key) if self.button_key else []

    def ask(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        say(dispatcher, self.key, self.buttons(tracker), **self.values(tracker))


class ActionAskCallbackConsent(AskCallbackStep):
    slot, button_key = CONSENT, "yes_no"


class ActionAskCallbackName(AskCallbackStep):
    slot = NAME


class ActionAskCallbackContact(AskCallbackStep):
    slot = CONTACT


class ActionAskCallbackTime(AskCallbackStep):
    slot, button_key = TIME, "times"


class ActionAskCallbackConfirm(AskCallbackStep):
    """The summary with Yes / No / Change a detail; after "change something": which detail."""

    slot = CONFIRM

    def values(self, tracker: Tracker) -> Dict[str, Any]:
        return {
            "name": tracker.get_slot(NAME) or "",
            "contact": referrals.display_contact(tracker.get_slot(CONTACT)),
            "time": tracker.get_slot(TIME) or any_time(),
        }

    def buttons(self, tracker: Tracker) -> List[Dict[str, str]]:
        change = str(wording()["buttons"]["change_a_detail"])
        return _buttons("yes_no") + [{"title": change, "payload": change}]

    def ask(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        # A fresh "I want to change something" (no way back to say: nothing interrupted) gets
        # "Which detail?" with a button per detail instead of the summary again.
        text = latest_text(tracker)
        if (
            tracker.get_slot(REQUESTED_SLOT) == CONFIRM
            and is_fresh_user_turn(tracker)
            and form_replies.wants_some_change(text)
            and form_replies.parse_change(text) is None
            and parse_consent(text) is None
        ):
            say(dispatcher, "which_detail", _buttons("change"))
            return
        super().ask(dispatcher, tracker)


_VALUE_AFTER = re.compile(
    r"(?:\b(?:name|time|times)\s+(?:to|should be|is actually)\b|\bit s\b|\bits\b|\bit is\b|"
    r"\bshould be\b|\bmake it\b|:)\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_SLOT_OF_DETAIL = {"name": NAME, "contact": CONTACT, "time": TIME}
#: The detail a correction fixes at each step: the one given just before it.
_PREVIOUS = {CONTACT: NAME, TIME: CONTACT, CONFIRM: TIME}


class ValidateCallbackForm(InterruptibleFormValidationAction):
    """Reads each reply of the callback request (consent, name, contact, time, confirmation).

    Besides what every form reads (actions/form_base.py), a reply may correct the detail just
    given ("sorry, it's ..."), or, at the confirmation, ask to change one detail ("change the
    phone"), which is asked again before the summary is shown again. A clinic-contact message is
    answered by a rule (data/rules/callback.yml).
    """

    rule_intents = frozenset({"talk_to_clinician"})
    back_response = "utter_callback_back"

    def name(self) -> Text:
        return "validate_callback_form"

    def fills(self, slot: str, reply: Reply) -> bool:
        return fits_slot(slot, reply.text)

    def fits_exactly(self, slot: str, reply: Reply) -> bool:
        short = reply.words <= SHORT_REPLY_WORDS or slot in (CONTACT, CONFIRM)
        return self.fills(slot, reply) and short and not reply.text.startswith("/")

    def cleared_slots(self) -> List[EventType]:
        return _reset()

    def stop_events(self, slot: str, reply: Reply) -> List[EventType]:
        if slot == CONSENT and reply.control == "stop":
            return [SlotSet(CONSENT, False), SlotSet(REQUESTED_SLOT, None)]  # same as "no"
        # Ends the form; nothing is saved. The slot event is needed: Rasa rejects a form turn
        # whose validation sets no slot other than requested_slot.
        return [SlotSet(slot, None), SlotSet(REQUESTED_SLOT, None)]

    def why_response(self, slot: str) -> str:
        return f"utter_callback_{slot.split('_', 1)[1]}_why"

    def early_reply(
        self, slot: str, reply: Reply, dispatcher: CollectingDispatcher
    ) -> Optional[List[EventType]]:
        if reply.text.startswith("/"):  # another button (e.g. "Ask for a callback" again): ask again
            return [SlotSet(slot, None)]
        return None

    # ---------------------------------------------------------------- steps (rasa-sdk validate_<slot>)

    def validate_callback_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> Dict[Text, Any]:
        answer = None if Reply.read(tracker).is_question else parse_consent(str(value))
        if answer == "yes":
            return {CONSENT: True}
        if answer == "no":
            return {CONSENT: False, REQUESTED_SLOT: None}  # ends the form at once
        say(dispatcher, "consent_unclear")
        return {CONSENT: None}

    def validate_callback_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> Dict[Text, Any]:
        reply = Reply.read(tracker)
        asks_or_steers = reply.is_question or reply.control is not None
        name = None if asks_or_steers else clean_name(reply.text)
        if name is None and not asks_or_steers:
            is_correction, rest = form_replies.parse_correction(reply.text)  # "sorry, it's Ann"
            name = clean_name(rest) if is_correction and rest else None
        if name is None:
            say(dispatcher, "name_invalid")
        return {NAME: name}

    def validate_callback_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> Dict[Text, Any]:
        return _as_slots(self.contact(dispatcher, tracker, str(value)))

    def validate_callback_time(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> Dict[Text, Any]:
        reply = Reply.read(tracker)
        return _as_slots(self.time(dispatcher, tracker, reply.text, reply.control, reply.is_question))

    def validate_callback_confirm(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> Dict[Text, Any]:
        reply = Reply.read(tracker)
        return _as_slots(self.confirm(dispatcher, tracker, reply.text, reply.is_question))


    @staticmethod
    def changed(dispatcher: CollectingDispatcher, slot: str, value: str) -> None:
        say(dispatcher, "changed", detail=detail_word(slot, value), value=shown_value(slot, value))

    def contact(self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> List[EventType]:
        parsed = referrals.validate_contact(text)
        if parsed is not None:
            return [SlotSet(CONTACT, parsed[1])]
        is_correction, rest = form_replies.parse_correction(text)
        if is_correction and not referrals.has_phone_digits(rest) and "@" not in rest:
            # "sorry, it's Ann": the name given just before is fixed; then the contact again.
            if not rest:
                return [SlotSet(NAME, None), SlotSet(CONTACT, None)]
            name = clean_name(rest)
            if name:
                self.changed(dispatcher, NAME, name)
                return [SlotSet(NAME, name), SlotSet(CONTACT, None)]
        say_contact_problem(dispatcher, text)
        return [SlotSet(CONTACT, None)]

    def time(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str, control: Optional[str],
        question: bool,
    ) -> List[EventType]:
        if control == "skip":
            return [SlotSet(TIME, any_time())]
        is_correction, rest = form_replies.parse_correction(text)
        parsed = referrals.validate_contact(rest if is_correction and rest else text)
        if parsed is not None:
            # A new number where the time was asked fixes the contact given just before.
            self.changed(dispatcher, CONTACT, parsed[1])
            return [SlotSet(CONTACT, parsed[1]), SlotSet(TIME, None)]
        if is_correction:
            if not rest:
                return [SlotSet(CONTACT, None), SlotSet(TIME, None)]  # "no wait": contact again
            if referrals.has_phone_digits(rest) or "@" in rest:
                say_contact_problem(dispatcher, rest)
                return [SlotSet(CONTACT, None), SlotSet(TIME, None)]
            text = rest  # "actually, mornings" is the answer itself
        value = " ".join(text.split())[: referrals.MAX_PREFERRED_TIME]
        if not value or question:
            say(dispatcher, "time")
            return [SlotSet(TIME, None)]
        return [SlotSet(TIME, value)]

    def confirm(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, text: str, question: bool
    ) -> List[EventType]:
        answer = None if question else parse_consent(text)
        change = form_replies.parse_change(text)
        if change is not None:
            target = _SLOT_OF_DETAIL[change]
            value = self.value_in(target, text)
            if value:  # "change the time to afternoons", "wrong number, it's 212 555 0147"
                self.changed(dispatcher, target, value)
                return [SlotSet(target, value), SlotSet(CONFIRM, None)]
            return [SlotSet(target, None), SlotSet(CONFIRM, None)]  # asked again, then the summary
        if answer is None:
            is_correction, rest = form_replies.parse_correction(text)
            parsed = referrals.validate_contact(rest if is_correction and rest else text)
            if parsed is not None:
                self.changed(dispatcher, CONTACT, parsed[1])
                return [SlotSet(CONTACT, parsed[1]), SlotSet(CONFIRM, None)]
            if is_correction:
                if referrals.has_phone_digits(rest) or "@" in rest:
                    say_contact_problem(dispatcher, rest)
                    return [SlotSet(CONTACT, None), SlotSet(CONFIRM, None)]
                if rest:  # the last detail given was the best time
                    value = " ".join(rest.split())[: referrals.MAX_PREFERRED_TIME]
                    self.changed(dispatcher, TIME, value)
                    return [SlotSet(TIME, value), SlotSet(CONFIRM, None)]
                return [SlotSet(CONFIRM, None)]  # "no wait": the ask action offers the details
            if form_replies.wants_some_change(text):
                return [SlotSet(CONFIRM, None)]  # the ask action asks which detail
        if answer == "yes":
            return [SlotSet(CONFIRM, True)]
        if answer == "no":
            return [SlotSet(CONFIRM, False), SlotSet(REQUESTED_SLOT, None)]
        say(dispatcher, "confirm_unclear")
        return [SlotSet(CONFIRM, None)]

    @staticmethod
    def value_in(slot: str, text: str) -> Optional[str]:
        """A new value given with the change request, if it fits the detail."""
        if slot == CONTACT:
            parsed = referrals.validate_contact(text)
            return parsed[1] if parsed else None
        m = _VALUE_AFTER.search(text.replace("'", " ").replace("\u2019", " "))
        if not m:
            return None
        value = m.group("value").strip(" .!,")
        if slot == NAME:
            return clean_name(value)
        return " ".join(value.split())[: referrals.MAX_PREFERRED_TIME] or None


# --------------------------------------------------------------------------------------------
# Endings
# --------------------------------------------------------------------------------------------


class ActionCallbackSubmit(Action):
    """The form ended: save (only with consent and confirmation) or say that nothing was kept."""

    def name(self) -> Text:
        return "action_callback_submit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        consent = tracker.get_slot(CONSENT)
        confirmed = tracker.get_slot(CONFIRM)
        name, contact = tracker.get_slot(NAME), tracker.get_slot(CONTACT)
        if consent is False:
            say(dispatcher, "declined")
        elif consent is True and confirmed is True and name and contact:
            topic = callback_topic(list(tracker.events or []))
            try:
                request = referrals.add_request(
                    name, contact, tracker.get_slot(TIME), topic=topic, sender_id=tracker.sender_id
                )
            except Exception as exc:  # noqa: BLE001 - the person must get an answer either way
                # Only the exception type: its message could quote a value.
                log.error("callback request not saved: %s", type(exc).__name__)
                say(dispatcher, "save_failed")
            else:
                say(dispatcher, "saved", reference=request.reference)
        else:
            say(dispatcher, "not_sent")
        return _reset() + [SlotSet(REQUESTED_SLOT, None)]


class ActionCallbackOfferDeclined(Action):
    """ "No" to a callback offer (screening result, dosing answer, clinic contact)."""

    def name(self) -> Text:
        return "action_callback_offer_declined"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        say(dispatcher, "offer_declined")
        return []
