"""Every reply a person reads is worded in knowledge/ and reaches them as a domain response
(issue 14, point 5).

1. **No reply sentence in Python.** Actions send ``utter_message(response=...)`` only; a sentence
   written in bot/ or actions/ fails here unless it is on ``ALLOWED`` with its reason.
2. **Every response an action names is in the domain**: a missing one would be silence (Rasa
   drops a response it cannot find).
3. **The moved wording is checked like the FAQ answers**: Flesch-Kincaid grade (each file's
   replies together <= 7, each text <= 9), sentence length,
   plain vocabulary (Dale-Chall, as tests/unit/test_plain_words.py), person-first words (NIDA
   "Words Matter") and no dose amounts, for each file's replies as Rasa fills them in.
"""
from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest
import textstat
import yaml

from bot import input_limits, replies
from bot.build import clinic_contact_text
from bot.paths import ROOT
from bot.resilience import unavailable_text
from bot.safety import contains_dose_amount, load_clinic
from bot.screening import cached_screening

PLAIN = ROOT / "tests/unit/test_plain_words.py"
CODE_DIRS = ("actions", "bot")

# --------------------------------------------------------------------------------------------
# 1. No reply sentence in Python
# --------------------------------------------------------------------------------------------

#: (file, start of the sentence) -> why it may stay in Python. A file named alone: all of it.
ALLOWED: dict[tuple[str, str], str] = {
    ("bot/resilience.py", "Sorry, I can't answer that at the moment:"):
        "last resort when knowledge/ cannot be read: the service-down message must exist even then",
    ("bot/input_limits.py", "Sorry, that message is too long for me to read."):
        "last resort when knowledge/ cannot be read: the emergency number must still be given",
    ("bot/channels/staff.py", ""): "the staff page (clinic staff behind the staff login), not a reply to a patient",
    ("bot/channels/slack.py", "Forbidden:"): "HTTP answer to an unsigned request, read by no person in a chat",
    ("bot/cli.py", ""): "command-line output for the people who run the assistant",
    ("bot/servers.py", ""): "command-line output of `python -m bot serve`",
    ("bot/clinic_check.py", ""): "start-up message to the person who runs the server (placeholder clinic details)",
    ("bot/retrieval.py", "Nothing found."): "staff FAQ search on the command line",
    ("bot/understanding/tuning.py", ""): "header of a generated file",
}
_SENTENCE = re.compile(r"^[A-Z\"'][^\n]*\s\S+\s\S+\s[^\n]*[.?!:]\"?$")
_NOT_REPLIES = {"debug", "info", "warning", "error", "exception", "critical", "add_argument", "add_parser", "ArgumentParser"}


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _skipped_nodes(tree: ast.AST) -> set[int]:
    """Docstrings, exception messages and log lines: read by developers, never by a patient."""
    skip = _docstring_nodes(tree)
    for node in ast.walk(tree):
        func = getattr(node, "func", None)
        name = getattr(func, "attr", None) or getattr(func, "id", None)
        if isinstance(node, ast.Raise) or (isinstance(node, ast.Call) and name in _NOT_REPLIES):
            skip |= {id(sub) for sub in ast.walk(node)}
    return skip


def python_sentences(path: Path, rel: str) -> list[str]:
    """Sentence-like string literals and ``utter_message(text=...)`` calls in one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _skipped_nodes(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "utter_message":
            if any(k.arg == "text" for k in node.keywords) or node.args:
                found.append(f"{rel}:{node.lineno}: utter_message with a text (use response=)")
        if isinstance(node, ast.Dict) and rel.startswith("actions/"):
            if any(isinstance(k, ast.Constant) and k.value == "text" for k in node.keys):
                found.append(f"{rel}:{node.lineno}: a message with a text (use a response)")
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            words = " ".join(node.value.split())
            if len(words.split()) >= 4 and _SENTENCE.match(words):
                if not any(rel == f and words.startswith(start) for f, start in ALLOWED):
                    found.append(f"{rel}:{node.lineno}: {words[:80]!r}")
    return found


def _code_files() -> list[tuple[Path, str]]:
    return [(p, p.relative_to(ROOT).as_posix()) for d in CODE_DIRS for p in sorted((ROOT / d).rglob("*.py"))]


def test_no_reply_sentence_is_written_in_python() -> None:
    found = [hit for path, rel in _code_files() for hit in python_sentences(path, rel)]
    assert not found, "reply text belongs in knowledge/ (bot/replies.py):\n" + "\n".join(found)


def test_the_scan_catches_a_sentence_and_a_text_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        'def run(dispatcher):\n'
        '    """A docstring is fine."""\n'
        '    dispatcher.utter_message(text="Okay, I did not save anything.")\n'
        '    reply = {"text": "x"}\n'
        '    log.info("Saved the request for the clinic.")\n'
        '    return "Please call the clinic today."\n'
    )
    found = python_sentences(bad, "actions/bad.py")
    assert len(found) == 4, found  # the call, its sentence, the text dict, the returned sentence


def test_every_allowed_entry_is_still_needed() -> None:
    """An allow-list entry that matches nothing any more must go (or it hides the next sentence)."""
    for (rel, start), why in ALLOWED.items():
        source = (ROOT / rel).read_text(encoding="utf-8")
        assert why and (start == "" or start in " ".join(source.split())), (rel, start)


# --------------------------------------------------------------------------------------------
# 2. Every response an action names exists
# --------------------------------------------------------------------------------------------

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
RESPONSES = set(DOMAIN["responses"])


#: The modules whose messages the actions send (the rest of bot/ names responses only to look
#: for them, e.g. the crisis prefix).
REPLY_MODULES = ("bot/answers.py", "bot/privacy.py", "bot/screening/result.py", "bot/followups.py")


def _named_responses() -> set[str]:
    names = set()
    for path, rel in _code_files():
        if not (rel.startswith("actions/") or rel in REPLY_MODULES):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(r"utter_[a-z0-9_]*[a-z0-9]", node.value):
                names.add(node.value)
    return names


def test_every_response_named_in_code_is_in_the_domain() -> None:
    names = _named_responses()
    assert {"utter_faq_answer", "utter_forget_me_confirm", "utter_screening_intro"} <= names
    assert not names - RESPONSES, sorted(names - RESPONSES)


def test_every_response_made_from_a_key_is_in_the_domain() -> None:
    """The names the actions build from a key: callback texts, questions, "why" lines, follow-ups."""
    from actions import callback

    made = {f"utter_callback_{key}" for key in callback.REQUIRED_TEXTS}
    made |= {f"utter_callback_{slot.split('_', 1)[1]}_why" for slot in callback.SLOTS}
    made |= {f"utter_screening_{kind}_{qid}" for qid in cached_screening().ids for kind in ("question", "why")}
    made |= {f"utter_follow_up_{k}" for k in ("no_context", "why", "more", "which_medicine", "opioid", "not_opioid")}
    made |= {f"utter_forget_me_done_{k}" for k in ("none", "one", "many")}
    assert not made - RESPONSES, sorted(made - RESPONSES)


def test_the_domain_responses_are_the_generated_ones() -> None:
    generated = replies.domain_responses()
    assert {name: DOMAIN["responses"][name] for name in generated} == generated


# --------------------------------------------------------------------------------------------
# 3. The wording, checked like the FAQ answers
# --------------------------------------------------------------------------------------------

#: Values for the {placeholders} Rasa fills in, as a conversation would give them. The ones that
#: carry other checked content (an FAQ answer, the screening findings and summary) are left empty.
SAMPLE = {
    "name": "Ann", "contact": "(212) 555-0147", "time": "mornings", "reference": "K7M2QX",
    "detail": "phone number", "value": "mornings", "example": "(201) 555-0123", "count": "2",
    "drug": "tramadol", "drug_start": "Tramadol", "title": "What is OIH?",
    "answer": "", "findings": "", "summary": "", "sources": "",
}
FK_MAX = 7.0
#: One text of 10+ words may be a little harder than its file (a question about weeks of opioid
#: use, the disclaimer after a source line), but not more: a hard text must not hide among easy ones.
FK_MAX_ONE_TEXT = 9.0
SENTENCE_WORDS_MAX = 25


def _plain_words_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("plain_words", PLAIN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


PLAIN_WORDS = _plain_words_module()


def reply_groups() -> dict[str, dict[str, str]]:
    """The moved replies as a person reads them, by the knowledge file they come from."""
    files = {"callback": "callback.yml", "forget": "privacy.yml", "faq": "conversation.yml",
             "follow": "conversation.yml", "form": "conversation.yml", "screening": "screening.yml"}
    groups: dict[str, dict[str, str]] = defaultdict(dict)
    for name, variants in replies.domain_responses().items():
        text = replies.fill_known(variants[0]["text"], SAMPLE).strip()
        if text:
            groups[files[name.split("_")[1]]][name] = text
    clinic = load_clinic()
    groups["conversation.yml"]["clinic_contact"] = clinic_contact_text(clinic)
    groups["conversation.yml"]["too_long"] = input_limits.too_long_text(1000)
    groups["conversation.yml"]["service_unavailable"] = unavailable_text()
    return dict(groups)


def wording_problems(texts: dict[str, str]) -> list[str]:
    """What is wrong with one file's replies: grade, long sentences, vocabulary, words, doses."""
    problems = []
    whole = " ".join(texts.values())
    grade = textstat.flesch_kincaid_grade(whole)
    if grade > FK_MAX:
        problems.append(f"Flesch-Kincaid grade {grade} > {FK_MAX}")
    plain = PLAIN_WORDS._neutralised(whole, set())
    score = textstat.dale_chall_readability_score(plain)
    if score > PLAIN_WORDS.DALE_CHALL_MAX:
        hard = sorted({w.lower() for w in textstat.difficult_words_list(plain)})
        problems.append(f"Dale-Chall {score} > {PLAIN_WORDS.DALE_CHALL_MAX}; hard words: {hard}")
    for name, text in texts.items():
        one = textstat.flesch_kincaid_grade(text)
        if len(text.split()) >= 10 and one > FK_MAX_ONE_TEXT:
            problems.append(f"{name}: Flesch-Kincaid grade {one} > {FK_MAX_ONE_TEXT}")
        for sentence in re.split(r"(?<=[.?!:])\s", text):
            if len(sentence.split()) > SENTENCE_WORDS_MAX:
                problems.append(f"{name}: a sentence of {len(sentence.split())} words")
        for pattern, why in PLAIN_WORDS.STIGMA:
            match = re.search(pattern, text, re.IGNORECASE)
            if match:
                problems.append(f"{name}: {match.group(0)!r} ({why})")
        if contains_dose_amount(text):
            problems.append(f"{name}: a dose amount")
    return problems


GROUPS = reply_groups()


def test_every_moved_file_is_read() -> None:
    assert set(GROUPS) == {"callback.yml", "privacy.yml", "conversation.yml", "screening.yml"}
    assert sum(len(t) for t in GROUPS.values()) >= 60


@pytest.mark.parametrize("source", sorted(GROUPS))
def test_replies_are_plain_and_person_first(source: str) -> None:
    assert not wording_problems(GROUPS[source]), wording_problems(GROUPS[source])


def test_the_wording_check_fails_a_bad_reply() -> None:
    good = dict(GROUPS["privacy.yml"])
    assert not wording_problems(good)
    jargon = {"bad": "Pharmacological discontinuation necessitates interdisciplinary consultation regarding "
                     "neuroadaptive sequelae, notwithstanding considerable heterogeneity in presentations."}
    assert any("grade" in p for p in wording_problems({**good, **jargon}))
    assert any("addict" in p for p in wording_problems({**good, "bad": "We help every addict."}))
    assert any("dose" in p for p in wording_problems({**good, "bad": "Take 10 mg twice a day."}))
    long = {"bad": " ".join(["We can help you and we will call you back soon"] * 3) + "."}
    assert any("sentence" in p for p in wording_problems({**good, **long}))


def test_privacy_yml_is_in_the_person_first_check() -> None:
    """tests/unit/test_plain_words.py reads every domain response, so the moved texts with it."""
    where = {w for w, _ in PLAIN_WORDS.TEXTS}
    assert {"domain.utter_forget_me_confirm[0].text", "domain.utter_callback_saved[0].text",
            "domain.utter_screening_question_touch_pain[0].text"} <= where
    assert any(w.startswith("privacy.") for w in where) and any(w.startswith("callback.") for w in where)


# --------------------------------------------------------------------------------------------
# 4. The one output guard sees what the actions send
# --------------------------------------------------------------------------------------------


def test_the_output_guard_checks_the_values_an_action_fills_in() -> None:
    """The actions no longer check their replies themselves: bot.nlg.GuardedNLG checks the text
    after Rasa filled in the values, so a dose amount in an answer or a result cannot slip through."""
    from rasa.shared.core.domain import Domain

    from bot.nlg import GuardedNLG

    domain = Domain.load(str(ROOT / "domain.yml"))
    nlg = GuardedNLG(domain=domain)
    dosing = domain.responses["utter_dosing"][0]["text"]
    fine = nlg.generate_from_slots("utter_faq_answer", {}, "rest", answer="Pain can spread.")
    assert fine["text"] == "Pain can spread."
    for name, values in [
        ("utter_faq_answer", {"answer": "Take 10 mg of it."}),
        ("utter_screening_findings", {"findings": "Cut the dose by 25%."}),
        ("utter_callback_confirm", {"name": "Ann", "contact": "(212) 555-0147", "time": "take 2 pills at 8"}),
    ]:
        assert nlg.generate_from_slots(name, {}, "rest", **values)["text"] == dosing, name


def test_a_value_with_rasas_own_marker_still_fills_in() -> None:
    """Rasa returns the bare template when a filled text contains "0["; ``send`` spaces it."""
    from rasa_sdk.executor import CollectingDispatcher

    from actions.common import say

    dispatcher = CollectingDispatcher()
    say(dispatcher, "utter_callback_changed", detail="best time", value="after 10[am]")
    text = replies.render(dispatcher.messages[0])["text"]
    assert "{" not in text and "after 10 [am]" in text
