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

Replies are read the same way as in the questionnaire (free words, "stop", "why?"), with the same
interruptions: crisis, dosing and clinic-contact messages are answered by rules in
data/rules/callback.yml, FAQ questions right here, and the form then asks its question again.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import send
from actions.screening import (
    REQUESTED_SLOT,
    events_since_user,
    SHORT_REPLY_WORDS,
    answer_topic_question,
    is_fresh_user_turn,
    is_topic_question,
    latest_intent,
    latest_text,
    looks_like_question,
    must_yield,
    reset_answers,
    resume_lead,
)
from bot import referrals
from bot.safety import load_clinic
from bot.screening import cached_screening, parse_answer, parse_consent, parse_control

log = logging.getLogger(__name__)

FORM = "callback_form"
CONSENT, NAME, CONTACT, TIME, CONFIRM = (
    "callback_consent", "callback_name", "callback_contact", "callback_time", "callback_confirm",
)
SLOTS = (CONSENT, NAME, CONTACT, TIME, CONFIRM)
#: Rules answer these inside the form (data/rules/callback.yml), then the form asks again;
#: crisis and dosing too (see actions.screening.must_yield).
RULE_INTENTS = frozenset({"talk_to_clinician"})
ANY_TIME = "Any time"

YES_NO = [{"title": "Yes", "payload": "Yes"}, {"title": "No", "payload": "No"}]
TIME_BUTTONS = [
    {"title": "Mornings", "payload": "Mornings"},
    {"title": "Afternoons", "payload": "Afternoons"},
    {"title": ANY_TIME, "payload": ANY_TIME},
]

# Wording (grade 6-7). {clinic}, {phone}, {hours} and {emergency} come from knowledge/clinic.yml.
TEXTS = {
    "consent": (
        "I can ask {clinic} to call or email you back. For that I need your name, a phone number "
        "or email address, and a good time to reach you. Only the clinic's staff will see these "
        "details, and only to contact you. Is that okay with you?"
    ),
    "consent_why": (
        "The staff need a name to ask for and a way to reach you. Without them they cannot call "
        "you back. Nothing is saved unless you say yes, and you check it before I send it."
    ),
    "consent_unclear": "Please answer yes or no.",
    "name": "What name should the clinic ask for? A first name is fine.",
    "name_why": "So the staff know who to ask for when they call or write.",
    "name_invalid": (
        "Please type just the name the clinic should ask for, in letters. "
        'Or say "stop" if you do not want a callback.'
    ),
    "contact": "What phone number or email address should they use?",
    "contact_why": "So the clinic can reach you. It is only used for this callback.",
    "contact_bad_email": (
        "That email address does not look complete. Please check it and type it again, "
        "like name@example.com."
    ),
    "contact_bad_phone": (
        "That phone number does not look right. Please type the whole number with the area code, "
        "like (555) 123-4567. For a number outside the US, start with + and the country code."
    ),
    "contact_missing": "I need a phone number or an email address so the clinic can reach you.",
    "time": 'When is a good time to reach you? For example "weekday mornings", or "any time".',
    "time_why": "So the clinic tries to reach you when it suits you.",
    "confirm": "Here is what I will send to {clinic}:\n- Name: {name}\n- Contact: {contact}\n- Best time: {time}\nShall I send this?",
    "confirm_why": "So you can check the details before anything is sent.",
    "confirm_unclear": "Please answer yes to send it, or no to cancel.",
    "back": "Now, back to your callback request.",
    "screening_ended": (
        "I stopped the questions so we can set up your callback. You can take them again later."
    ),
    "saved": (
        "Thank you. I sent your request to {clinic} (request number {id}). The staff will contact "
        "you, usually during opening hours ({hours}). If it cannot wait, call {phone}. In an "
        "emergency, call {emergency}."
    ),
    "save_failed": (
        "Sorry, I could not save your request just now. Please call {clinic} at {phone} ({hours})."
    ),
    "declined": (
        "That is fine. I did not save anything. You can call {clinic} at {phone} ({hours}) "
        "whenever you like."
    ),
    "not_sent": (
        "Okay, I did not send anything, and I did not keep your details. You can ask for a "
        "callback again at any time, or call {clinic} at {phone}."
    ),
    "offer_declined": (
        'Okay. If you change your mind, just say "call me back". You can also call {clinic} at '
        "{phone}."
    ),
}

_NAME_PREFIX = re.compile(
    r"^(?:(?:hi|hello|ok|okay|sure|yes)[,!.]?\s+)?(?:my name is|my name's|name is|name:|"
    r"i am|i'm|im|it's|its|it is|this is|call me|you can call me|ask for)\s+",
    re.IGNORECASE,
)
_NAME_OK = re.compile(r"^[^\W\d_](?:[^\W\d_]|[\s'.\-])*$", re.UNICODE)


def clinic_fields() -> Dict[str, str]:
    data = load_clinic()
    info, emergency = data["clinic"], data["emergency"]
    return {
        "clinic": str(info.get("name") or "the clinic"),
        "phone": str(info.get("phone") or ""),
        "hours": str(info.get("hours") or ""),
        "emergency": str(emergency.get("number") or "911"),
    }


def say(dispatcher: CollectingDispatcher, key: str, buttons: Optional[List[Dict[str, str]]] = None, **values: Any) -> None:
    text = TEXTS[key].format(**{**clinic_fields(), **values})
    send(dispatcher, [{"text": text, "buttons": buttons or []}])


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
    return name


def fits_slot(slot: str, text: str) -> bool:
    """The reply is a usable value for this step (then it wins over an FAQ reading)."""
    if slot in (CONSENT, CONFIRM):
        return parse_consent(text) in ("yes", "no")
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


def callback_topic(events: List[Dict[str, Any]]) -> str:
    """"screening", "dosing" or "general", from what led to this callback request.

    Looks at the two user turns before the form started: the screening result or a dosing answer
    there means the callback is about that (staff can prepare); anything else is "general".
    """
    start = len(events)
    for i in range(len(events) - 1, -1, -1):
        e = events[i]
        if e.get("event") == "active_loop" and e.get("name") == FORM:
            start = i
            break
    users = 0
    for e in reversed(events[:start]):
        kind = e.get("event")
        if kind == "action":
            if e.get("name") == "action_screening_result":
                return "screening"
            if e.get("name") == "utter_dosing":
                return "dosing"
        elif kind == "user":
            if ((e.get("parse_data") or {}).get("intent") or {}).get("name") == "ask_dosing":
                return "dosing"
            users += 1
            if users >= 2:
                break
    return "general"


def _reset() -> List[EventType]:
    return [SlotSet(slot, None) for slot in SLOTS]


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
            for e in events_since_user(tracker)
        ):
            send(dispatcher, [{"text": TEXTS["screening_ended"]}])
            events += reset_answers(cached_screening())
        return events + _reset() + [SlotSet(REQUESTED_SLOT, None)]


class _AskBase:
    """Ask one step, with "Now, back to your callback request." after an interruption.

    A mixin rather than an Action subclass, so the action server does not register it.
    """

    key = ""
    slot = ""
    buttons: Optional[List[Dict[str, str]]] = None

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    def values(self, tracker: Tracker) -> Dict[str, Any]:
        return {}

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        lead = resume_lead(tracker, "your callback request")
        if lead:
            send(dispatcher, [{"text": lead}])
        say(dispatcher, self.key, self.buttons, **self.values(tracker))
        return []


class ActionAskCallbackConsent(_AskBase, Action):
    key, slot, buttons = "consent", CONSENT, YES_NO


class ActionAskCallbackName(_AskBase, Action):
    key, slot = "name", NAME


class ActionAskCallbackContact(_AskBase, Action):
    key, slot = "contact", CONTACT


class ActionAskCallbackTime(_AskBase, Action):
    key, slot, buttons = "time", TIME, TIME_BUTTONS


class ActionAskCallbackConfirm(_AskBase, Action):
    key, slot, buttons = "confirm", CONFIRM, YES_NO

    def values(self, tracker: Tracker) -> Dict[str, Any]:
        return {
            "name": tracker.get_slot(NAME) or "",
            "contact": tracker.get_slot(CONTACT) or "",
            "time": tracker.get_slot(TIME) or ANY_TIME,
        }


class ValidateCallbackForm(FormValidationAction):
    """Reads each reply of the callback request (consent, name, contact, time, confirmation)."""

    def name(self) -> Text:
        return "validate_callback_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        slot = tracker.get_slot(REQUESTED_SLOT)
        if slot not in SLOTS or not is_fresh_user_turn(tracker):
            return []
        intent = latest_intent(tracker)
        text = latest_text(tracker).strip()
        control = parse_control(text)
        short = len(text.split()) <= SHORT_REPLY_WORDS or slot == CONTACT
        fits = control is not None or (fits_slot(slot, text) and short and not text.startswith("/"))
        if must_yield(tracker, RULE_INTENTS, fits):
            return []  # rejected -> a rule answers -> the form asks again
        if control == "stop" or (intent == "goodbye" and parse_answer(text) is None):
            # Ends the form; nothing is saved. The slot event is needed: Rasa rejects a form turn
            # whose validation sets no slot other than requested_slot.
            return [SlotSet(slot, None), SlotSet(REQUESTED_SLOT, None)]
        if control == "why":
            say(dispatcher, f"{slot.split('_', 1)[1]}_why")
            return [SlotSet(slot, None)]
        if text.startswith("/"):  # another button (e.g. "Ask for a callback" again): ask again
            return [SlotSet(slot, None)]
        question = looks_like_question(text) and len(text.split()) > 3
        if is_topic_question(tracker) and (question or not fits_slot(slot, text)):
            events = await answer_topic_question(dispatcher, tracker, domain)
            send(dispatcher, [{"text": TEXTS["back"]}])
            return events + [SlotSet(slot, None)]

        if slot in (CONSENT, CONFIRM):
            answer = None if question else parse_consent(text)
            if answer == "yes":
                return [SlotSet(slot, True)]
            if answer == "no":
                # "no" to consent ends the form at once; "no" to the summary is the last step anyway
                return [SlotSet(slot, False), SlotSet(REQUESTED_SLOT, None)]
            say(dispatcher, "consent_unclear" if slot == CONSENT else "confirm_unclear")
            return [SlotSet(slot, None)]

        if slot == NAME:
            name = None if (question or control) else clean_name(text)
            if name is None:
                say(dispatcher, "name_invalid")
            return [SlotSet(NAME, name)]

        if slot == CONTACT:
            parsed = referrals.validate_contact(text)
            if parsed is None:
                say(dispatcher, contact_problem(text))
                return [SlotSet(CONTACT, None)]
            return [SlotSet(CONTACT, parsed[1])]

        # TIME: free text; "skip" means no preference.
        if control == "skip":
            return [SlotSet(TIME, ANY_TIME)]
        value = " ".join(text.split())[: referrals.MAX_PREFERRED_TIME]
        if not value or question:
            say(dispatcher, "time")
            return [SlotSet(TIME, None)]
        return [SlotSet(TIME, value)]


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
                say(dispatcher, "saved", id=request.id)
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
