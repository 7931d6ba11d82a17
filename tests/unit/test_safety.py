"""The safety screen (bot/safety/) on its own: recall floors, false positives, output guard, odd input.

Floors (issue 4): every crisis message is screened `crisis`, every dosing message `dosing`, and at
most 2% of the benign pool is flagged at all. The benign pool is tests/safety/benign.yml plus every
`examples:` phrasing of every FAQ entry in knowledge/faq/ as it is at run time, so a new FAQ
example that the screen would swallow shows up here.

The confusion table is printed at the end of the module (through pytest's terminal reporter, so
no `-s` is needed) and inside every failing assertion.
"""
from __future__ import annotations

import shutil
import statistics
import time
from collections import Counter
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from bot import safety
from bot.paths import KNOWLEDGE_DIR
from bot.safety import Verdict, contains_dose_amount, crisis_messages, dosing_messages, load_clinic, screen
from bot.safety.lemmas import lemmas

SETS_DIR = Path(__file__).resolve().parents[1] / "safety"
MAX_BENIGN_FLAGGED = 0.02


# ------------------------------------------------------------------------------------------------
# Test sets
# ------------------------------------------------------------------------------------------------


def _flatten(path: Path) -> list[tuple[str, str]]:
    """(group, text) for every string in a test-set file (groups are for reading only)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out: list[tuple[str, str]] = []
    for group, items in data.items():
        for item in items or []:
            out.append((str(group), str(item)))
    return out


def _examples(node: Any) -> Iterator[str]:
    """Every string in an `examples:` list anywhere in a FAQ file."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "examples" and isinstance(value, list):
                yield from (str(v) for v in value if isinstance(v, (str, int, float)))
            else:
                yield from _examples(value)
    elif isinstance(node, list):
        for value in node:
            yield from _examples(value)


def faq_examples(knowledge_dir: Path = KNOWLEDGE_DIR) -> list[tuple[str, str]]:
    """(file stem, example) for every FAQ example that exists right now."""
    out: list[tuple[str, str]] = []
    for path in sorted((knowledge_dir / "faq").glob("*.yml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError:  # a file being written by someone else right now; its own test fails
            continue
        out.extend((path.stem, text) for text in _examples(data))
    return out


CRISIS = _flatten(SETS_DIR / "crisis.yml")
DOSING = _flatten(SETS_DIR / "dosing.yml")
BENIGN = _flatten(SETS_DIR / "benign.yml")


class Results:
    """Every test-set message with its verdict, computed once for all tests of this module."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, Verdict]] = []  # (expected, source, text, verdict)
        for expected, source, items in (
            ("crisis", "crisis.yml", CRISIS),
            ("dosing", "dosing.yml", DOSING),
            ("none", "benign.yml", BENIGN),
            ("none", "knowledge/faq examples", faq_examples()),
        ):
            for _group, text in items:
                self.rows.append((expected, source, text, screen(text)))

    def of(self, source: str) -> list[tuple[str, str, str, Verdict]]:
        return [r for r in self.rows if r[1] == source]

    def benign_pool(self) -> list[tuple[str, str, str, Verdict]]:
        return [r for r in self.rows if r[0] == "none"]

    def table(self) -> str:
        counts: Counter[tuple[str, str]] = Counter((r[1], r[3].kind) for r in self.rows)
        sources = ["crisis.yml", "dosing.yml", "benign.yml", "knowledge/faq examples"]
        head = f"{'expected (set)':<26}{'crisis':>8}{'dosing':>8}{'none':>8}{'total':>8}"
        lines = ["safety screen: expected vs got", head, "-" * len(head)]
        for source in sources:
            row = [counts[(source, k)] for k in ("crisis", "dosing", "none")]
            lines.append(f"{source:<26}{row[0]:>8}{row[1]:>8}{row[2]:>8}{sum(row):>8}")
        pool = self.benign_pool()
        flagged = sum(1 for r in pool if r[3].fired)
        lines.append(
            f"benign pool flagged: {flagged}/{len(pool)} = {flagged / max(len(pool), 1):.2%} "
            f"(limit {MAX_BENIGN_FLAGGED:.0%})"
        )
        return "\n".join(lines)


@pytest.fixture(scope="module")
def results(request: pytest.FixtureRequest) -> Results:
    res = Results()

    def show() -> None:
        # output capture is on during fixture teardown; switch it off for the table only
        capman = request.config.pluginmanager.get_plugin("capturemanager")
        reporter = request.config.pluginmanager.get_plugin("terminalreporter")
        if capman is None or reporter is None:
            return
        with capman.global_and_fixture_disabled():
            reporter.write_line("")
            for line in res.table().splitlines():
                reporter.write_line(line)

    request.addfinalizer(show)
    return res


def _listing(rows: list[tuple[str, str, str, Verdict]]) -> str:
    return "\n".join(f"  [{v.kind}/{v.category}/{v.rule}] {text!r}" for _, _, text, v in rows)


# ------------------------------------------------------------------------------------------------
# Floors
# ------------------------------------------------------------------------------------------------


def test_sets_are_big_enough() -> None:
    assert len(CRISIS) >= 90
    assert len(DOSING) >= 130
    assert len(BENIGN) >= 120
    assert len(BENIGN) + len(faq_examples()) >= 200  # issue 4: >= 200 benign incl. FAQ examples


def test_sets_do_not_overlap() -> None:
    """A message in two sets would make one of the floors impossible to meet."""
    norm = lambda items: {" ".join(t.lower().split()) for _, t in items}  # noqa: E731
    assert not norm(CRISIS) & norm(DOSING)
    assert not norm(CRISIS) & norm(BENIGN)
    assert not norm(DOSING) & norm(BENIGN)


def test_crisis_recall_is_total(results: Results) -> None:
    missed = [r for r in results.of("crisis.yml") if r[3].kind != "crisis"]
    assert not missed, f"crisis messages not screened as crisis:\n{_listing(missed)}\n\n{results.table()}"


def test_dosing_recall_is_total(results: Results) -> None:
    missed = [r for r in results.of("dosing.yml") if r[3].kind != "dosing"]
    assert not missed, f"dosing messages not screened as dosing:\n{_listing(missed)}\n\n{results.table()}"


def test_benign_pool_is_rarely_flagged(results: Results) -> None:
    pool = results.benign_pool()
    flagged = [r for r in pool if r[3].fired]
    rate = len(flagged) / len(pool)
    assert rate <= MAX_BENIGN_FLAGGED, (
        f"{len(flagged)}/{len(pool)} = {rate:.2%} benign messages flagged:\n{_listing(flagged)}"
        f"\n\n{results.table()}"
    )


# ------------------------------------------------------------------------------------------------
# The policy's own examples (design.md, issue 4), by name
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "this pain is killing me",
        "I'm dying to know",
        "I'm dying for a coffee",
        "I would kill for a good night's sleep",
        "my back is killing me",
    ],
)
def test_idioms_are_not_crises(text: str) -> None:
    assert screen(text).kind == "none"


@pytest.mark.parametrize(
    "text",
    [
        "what does tapering mean?",
        "why can a higher dose make OIH worse?",
        "does OIH go away if I stop?",
        "can I taper on my own?",
    ],
)
def test_educational_questions_are_not_dosing(text: str) -> None:
    assert screen(text).kind == "none"


@pytest.mark.parametrize(
    "text, category",
    [
        ("he won't wake up", "overdose"),
        ("her breathing is slow and shallow", "overdose"),
        ("his lips are blue", "overdose"),
        ("her pupils are tiny", "overdose"),
        ("I took too many pills", "overdose"),
        ("he had a seizure after taking his pills", "overdose"),
        ("overdoes on my pills", "overdose"),
        ("how much would it take to die", "suicide"),
        ("kms", "suicide"),
        ("I want to unalive myself", "suicide"),
        ("I have a plan to end my life", "suicide"),
        ("I've been cutting myself", "self_harm"),
    ],
)
def test_crisis_examples(text: str, category: str) -> None:
    verdict = screen(text)
    assert (verdict.kind, verdict.category) == ("crisis", category), verdict


@pytest.mark.parametrize(
    "text",
    [
        "how much oxycodon can I take",
        "can i take 2 hydrocodn",
        "how do i taper off suboxon",
        "how many percs is too many",
        "can I double my dose?",
        "is 30 mg a lot",
        "can I drink with my norco",
        "can I take my mom's pain pills",
        "should I just stop cold turkey",
        "can I crush my oxycontin",
    ],
)
def test_dosing_examples_with_misspellings_and_slang(text: str) -> None:
    assert screen(text).kind == "dosing"


def test_crisis_outranks_dosing() -> None:
    assert screen("how many oxys would it take to die").kind == "crisis"
    assert screen("can I double my dose tonight? honestly I want to die").kind == "crisis"


def test_blanking_an_exemption_keeps_the_rest_of_the_message() -> None:
    """An idiom or an educational question must not hide a real request in the same message."""
    assert screen("this pain is killing me and I want to kill myself").kind == "crisis"
    assert screen("what does tapering mean? and how fast should I taper my oxy").kind == "dosing"
    assert screen("my back is killing me, can i take an extra dose?").kind == "dosing"


def test_verdict_names_its_rule() -> None:
    verdict = screen("he is not breathing")
    assert verdict.fired and verdict.rule and verdict.category
    assert verdict.as_dict() == {"kind": "crisis", "category": verdict.category, "rule": verdict.rule, "lang": "en"}
    assert screen("hello").as_dict() == {"kind": "none", "category": "", "rule": "", "lang": "en"}


# ------------------------------------------------------------------------------------------------
# Odd input never breaks the screen
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        None,
        b"bytes \xff\xfe",
        "😀🙏💊",
        "<script>alert('x')</script><b></b>",
        "<<<>>>&&&;;;",
        "我想知道什么是阿片类药物引起的痛觉过敏",
        "¿qué es la hiperalgesia inducida por opioides?",
        "Что такое опиоидная гипералгезия?",
        "مرحبا",
        "\x00\x01\x02\x1b[31mred\x1b[0m\x7f",
        "a" * 5000,
        "!" * 100_000,
        "' " * 20_000,
        "k " * 30_000,
        42,
    ],
)
def test_odd_input_gives_a_verdict(text: Any) -> None:
    assert isinstance(screen(text), Verdict)


def test_huge_input_is_screened_whole_and_in_time() -> None:
    filler = "my back hurts and I want to understand oih better. " * 2000  # ~100 kB
    assert len(filler) >= 100_000
    start = time.perf_counter()
    assert screen(filler).kind == "none"
    assert screen(filler + " he won't wake up").kind == "crisis"  # the end is not cut off
    assert time.perf_counter() - start < 10  # generous: the 2-core CI box runs other tests too


@pytest.mark.parametrize(
    "text, kind",
    [
        ("<p>he won't wake up</p>", "crisis"),
        ("&lt;b&gt;he won&#39;t wake up&lt;/b&gt;", "crisis"),
        ("HE WONT WAKE UPPPP", "crisis"),
        ("ＨＥ ＷＯＮＴ ＷＡＫＥ ＵＰ", "crisis"),  # full-width letters (NFKC)
        ("k\u200bms", "crisis"),  # zero-width space inside
        ("kill\x00 myself", "crisis"),
        ("K M S", "crisis"),
        ("i want to diee", "crisis"),
        ("he won\u2019t wake up", "crisis"),  # curly apostrophe
        ("<div>can i double my oxy dose?</div>", "dosing"),
        ("pleeease how many percs can i take", "dosing"),
        ("can i take more 💊💊 tonight", "dosing"),
    ],
)
def test_normalisation(text: str, kind: str) -> None:
    assert screen(text).kind == kind


def test_typical_message_is_fast() -> None:
    """The bench (bench/bench_safety.py) measures properly; this only catches a gross slowdown."""
    texts = [t for _, t in CRISIS + DOSING + BENIGN]
    for t in texts:
        screen(t)  # warm the word cache
    times = []
    for t in texts:
        start = time.perf_counter()
        screen(t)
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.005


def test_fast_lemmas_agree_with_the_spacy_pipeline() -> None:
    """The dict look-up must give what bot.nlp.lemmas gives for the same single word."""
    from bot import nlp

    cfg = safety.load_config()
    words = sorted(
        {
            w
            for _, t in CRISIS + DOSING + BENIGN
            for w in t.lower().split()
            if w.isalpha() and w not in cfg.lemma_overrides and w not in cfg.med_single
        }
    )
    lem = lemmas()
    disagree = []
    for word in words:
        spacy_lemmas = nlp.lemmas(word)
        if len(spacy_lemmas) == 1 and spacy_lemmas[0] != lem.lemma(word):
            disagree.append((word, spacy_lemmas[0], lem.lemma(word)))
    assert not disagree, disagree[:20]


# ------------------------------------------------------------------------------------------------
# The output guard
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Take 10 mg at night.",
        "try 2.5mg",
        "take two pills",
        "half a tablet is enough",
        "an extra dose",
        "take it every 4 hours",
        "every six hours",
        "twice a day",
        "3 times daily",
        "cut down by 20%",
        "reduce by 10 percent each week",
        "double your dose",
        "cut your pills in half",
        "lower it by half",
        "10-20 mg",
        "a 25 mcg patch",
        "q4h as needed",
        "change the patch every 3 days",
    ],
)
def test_output_guard_finds_dose_amounts(text: str) -> None:
    assert contains_dose_amount(text)


@pytest.mark.parametrize(
    "text",
    [
        "Call 911 now.",
        "call or text 988 (Suicide & Crisis Lifeline)",
        "Poison Control: 1-800-222-1222.",
        "Call (555) 010-0000 (Monday to Friday, 8 am to 5 pm).",
        "This was reviewed in 2024.",
        "Updated on May 5, 2024.",
        "About 1 in 4 people on long-term opioids notice this.",
        "The line is open 24 hours a day, 7 days a week.",
        "Physical therapy once or twice a week can help.",
        "They often do not know that the extra pills may be feeding the pain.",
        "Pain that lasts more than 3 months is called chronic pain.",
        "Tapering means lowering your dose slowly, with your prescriber.",
        "",
    ],
)
def test_output_guard_lets_ordinary_numbers_pass(text: str) -> None:
    assert not contains_dose_amount(text)


# ------------------------------------------------------------------------------------------------
# Replies and clinic data
# ------------------------------------------------------------------------------------------------


def test_crisis_reply_leads_with_the_numbers() -> None:
    clinic = load_clinic()
    first, *rest = crisis_messages(clinic)
    em = clinic["emergency"]
    for number in (em["number"], em["crisis_line"], em["poison_control"]):
        assert number in first
    assert rest, "a calm follow-up message comes after the numbers"
    for text in [first, *rest]:
        assert not contains_dose_amount(text)


def test_crisis_reply_uses_the_clinics_numbers() -> None:
    clinic = {
        "clinic": {"name": "Northside Pain Clinic", "phone": "555-0100"},
        "emergency": {
            "number": "112",
            "crisis_line": "116 123",
            "crisis_line_text": "call 116 123 (Samaritans)",
            "poison_control": "111",
        },
    }
    first = crisis_messages(clinic)[0]
    assert "112" in first and "116 123" in first and "111" in first
    assert "911" not in first


def test_crisis_reply_never_loses_a_number(monkeypatch: pytest.MonkeyPatch) -> None:
    """Even if safety.yml's first message lost its placeholders, the numbers are appended."""
    cfg = safety.load_config()
    monkeypatch.setitem(cfg.replies, "crisis", ["Please get help now.", "We care about you."])
    first = crisis_messages(load_clinic())[0]
    for number in ("911", "988", "1-800-222-1222"):
        assert number in first


def test_dosing_reply_gives_contact_and_callback_without_numbers() -> None:
    clinic = load_clinic()
    texts = dosing_messages(clinic)
    joined = " ".join(texts)
    assert clinic["clinic"]["name"] in joined
    assert clinic["clinic"]["phone"] in joined
    assert "prescribe" in joined.lower()
    assert "call you back" in joined.lower()
    assert not any(contains_dose_amount(t) for t in texts)
    assert "{" not in joined and "}" not in joined  # every placeholder was filled


def test_replies_are_plain_language() -> None:
    """Grade 6-7 is the target; fail above grade 8 (Flesch-Kincaid, per message)."""
    textstat = pytest.importorskip("textstat")
    for text in crisis_messages() + dosing_messages():
        assert textstat.flesch_kincaid_grade(text) <= 8.0, text


def test_load_clinic_shape_and_placeholder_flag() -> None:
    data = load_clinic()
    assert set(data) == {"clinic", "emergency"}
    assert {"name", "phone", "hours", "web"} <= set(data["clinic"])
    assert data["emergency"]["number"] == "911"
    assert data["emergency"]["crisis_line"] == "988"
    assert data["emergency"]["poison_control"] == "1-800-222-1222"
    data["clinic"]["name"] = "changed"  # a copy: callers cannot change the cached data
    assert load_clinic()["clinic"]["name"] != "changed"


def test_load_clinic_defaults_when_the_file_is_missing(tmp_path: Path) -> None:
    data = load_clinic(tmp_path)
    assert data["emergency"]["number"] == "911"
    assert data["emergency"]["poison_control"] == "1-800-222-1222"


def _knowledge_copy(tmp_path: Path, safety_text: str) -> Path:
    shutil.copy(KNOWLEDGE_DIR / "medications.yml", tmp_path / "medications.yml")
    (tmp_path / "safety.yml").write_text(safety_text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "rule, message",
    [
        ("{id: x, pattern: 'a', on: surface}", "unknown keys"),  # YAML reads `on` as True
        ("{id: x, pattern: '(unclosed'}", "bad regex"),
        ("{id: x, pattern: '<NO_SUCH_MACRO>'}", "unknown macro"),
        ("{id: x}", "exactly one of pattern/all"),
    ],
)
def test_a_broken_rule_fails_loudly(tmp_path: Path, rule: str, message: str) -> None:
    kdir = _knowledge_copy(tmp_path, f"crisis:\n  overdose:\n    - {rule}\n")
    with pytest.raises(ValueError, match=message):
        safety.load_config(str(kdir))


def test_a_span_takes_only_a_span_s_keys(tmp_path: Path) -> None:
    """Round thirty-four: spans silently ignored `needs` (and every rule-only key); now a key a span
    cannot use fails at start-up, and its `unless` is read."""
    kdir = _knowledge_copy(tmp_path, "idioms:\n  - {id: x, pattern: 'a', needs: [a]}\n")
    with pytest.raises(ValueError, match="unknown keys"):
        safety.load_config(str(kdir))


def test_a_span_s_unless_reads_the_whole_message(tmp_path: Path) -> None:
    """The writer's own words before the phrase keep it from being blanked."""
    from bot.safety.reading import read

    kdir = _knowledge_copy(
        tmp_path, "idioms:\n  - {id: topic, pattern: 'suicide research', unless: ['\\bi have a plan\\b']}\n"
    )
    cfg = safety.load_config(str(kdir))
    assert read("is there suicide research", cfg).blank(cfg.idioms) == ["topic"]
    assert read("i have a plan. is there suicide research", cfg).blank(cfg.idioms) == []


def test_the_shipped_yaml_compiles() -> None:
    cfg = safety.load_config()
    assert cfg.crisis and cfg.dosing and cfg.idioms and cfg.educational
    assert {r.category for r in cfg.crisis} >= {"overdose", "suicide", "self_harm"}
    assert {r.category for r in cfg.dosing} >= {
        "dose_change", "taper_plan", "switching", "stopping", "mixing", "misuse", "max_dose", "dose_amount",
    }
    ids = [(r.kind, r.id) for r in cfg.crisis + cfg.dosing]
    assert len(ids) == len(set(ids)), "rule ids are unique"
