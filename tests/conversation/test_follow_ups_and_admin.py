"""Issue 10 through the real servers: follow-ups in context, clinic admin, yes/no in people's
words, and a typed button label counting as the button."""
from __future__ import annotations

from bot.knowledge import cached_knowledge

KB = cached_knowledge()


def test_a_medicine_follow_up_refers_to_the_topic_just_answered(chat, sender):
    assert KB.faq("which_opioids").answer in chat.texts(sender, "which painkillers can cause this")
    texts = chat.texts(sender, "is that true for fentanyl too?")
    joined = " ".join(texts)
    assert "fentanyl is an opioid" in joined and KB.faq("which_opioids").title in joined
    assert not any("did you mean" in t.lower() for t in texts)


def test_a_recovery_medicine_follow_up_gets_the_topic_about_it(chat, sender):
    chat.send(sender, "which painkillers can cause this")
    assert KB.faq("methadone_buprenorphine").answer in chat.texts(sender, "what about suboxone?")


def test_why_and_tell_me_more_go_deeper(chat, sender):
    assert KB.faq("what_is_oih").answer in chat.texts(sender, "what is opioid induced hyperalgesia")
    assert KB.faq("causes").answer in chat.texts(sender, "why?")
    related = KB.faq("causes").related[0]
    assert KB.faq(related).answer in chat.texts(sender, "tell me more")


def test_a_follow_up_without_a_topic_asks_what_is_meant(chat, sender):
    texts = chat.texts(sender, "same for tramadol?")
    assert any("not sure what that refers to" in t for t in texts)


def test_admin_questions_get_the_clinic_not_oih_topics(chat, sender):
    from bot.safety import load_clinic

    phone = load_clinic()["clinic"]["phone"]
    for text in ["need to reschedule my appt next week", "my portal password isnt working"]:
        replies = chat.send(sender, text)
        joined = " ".join(r.get("text", "") for r in replies)
        assert "staff can help" in joined, (text, replies)
        assert not any(r.get("text", "").startswith("Source: ") for r in replies)
        assert phone in joined


def test_asking_for_the_questionnaire_in_other_words_starts_it(chat, sender):
    texts = chat.texts(sender, "can you run the checklist with me")
    assert any("?" in t for t in texts)
    tracker = chat.tracker(sender)
    assert (tracker.get("active_loop") or {}).get("name") == "screening_form"


def test_ya_to_the_callback_offer_starts_the_request(chat, sender):
    chat.send(sender, "can I talk to someone at the clinic")
    chat.send(sender, "ya")
    assert (chat.tracker(sender).get("active_loop") or {}).get("name") == "callback_form"


def test_typed_button_label_counts_as_the_button(chat, sender):
    chat.send(sender, "delete my data")
    from bot.replies import render

    assert render({"response": "utter_forget_me_done_none"})["text"] in chat.texts(sender, "yes, delete it")


def test_typed_button_label_keeps_the_persons_words(chat, sender):
    chat.send(sender, "can I talk to someone at the clinic")
    chat.send(sender, "ask for a callback")  # the offer's button label, typed
    tracker = chat.tracker(sender)
    assert tracker["latest_message"]["text"] == "ask for a callback"
    assert tracker["latest_message"]["intent"]["name"] == "request_callback"
    assert (tracker.get("active_loop") or {}).get("name") == "callback_form"
