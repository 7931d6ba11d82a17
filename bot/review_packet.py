"""The printable review packet: every answer beside the exact source passages it cites.

A clinician signs off an answer only after reading it against its sources (docs/review.md). The
packet puts both on one page per topic: the answer as a patient sees it (with its "Source:" line),
the full text of every cited section from ``knowledge/sources/`` (outside authorities, whose text
is not kept, by address and section), the content hash to quote when signing, and what changed
since the last sign-off as a word diff against the signed text stored in ``knowledge/reviews.yml``.

One self-contained HTML file (inline CSS, no scripts, no web fonts), so it opens from a USB stick
or an e-mail attachment and prints one topic per page from any browser.
"""
from __future__ import annotations

import datetime as dt
import difflib
import html
import re
from pathlib import Path

from bot.knowledge import Citation, FaqEntry, KnowledgeBase, Source
from bot.paths import SEEDS_DIR
from bot.signoff import Status, signed_content, statuses

DEFAULT_OUT = Path("build/review/index.html")

STYLE = """
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #111;
  margin: 0 auto; max-width: 72rem; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 0 0 .5rem; }
h3 { font-size: 1rem; margin: 1rem 0 .25rem; }
.meta { color: #444; font-size: .85rem; }
code { font-size: .85em; background: #f2f2f2; padding: 0 .2em; }
table.summary { border-collapse: collapse; margin: .5rem 0 1rem; }
table.summary td, table.summary th { border: 1px solid #999; padding: .15rem .5rem; text-align: left; }
.topic { border-top: 3px solid #111; padding-top: 1rem; margin-top: 2rem; }
.grid { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 1.5rem; }
.answer { background: #f7f7f7; border-left: 4px solid #333; padding: .5rem .75rem; }
.source-line { font-size: .9rem; color: #333; }
.passage { border-left: 3px solid #aaa; padding-left: .75rem; margin: .5rem 0 1rem; font-size: .9rem; }
.passage p { margin: 0 0 .5rem; }
.badge { display: inline-block; font-weight: 700; padding: .1rem .5rem; border: 2px solid; }
.badge.unsigned { color: #8a1c1c; border-color: #8a1c1c; }
.badge.stale { color: #7a4b00; border-color: #7a4b00; }
.badge.signed { color: #1d5b1d; border-color: #1d5b1d; }
.diff ins { background: #d9f2d9; text-decoration: underline; }
.diff del { background: #f7d4d4; }
.signbox { border: 1px solid #333; padding: .5rem .75rem; margin-top: 1rem; font-size: .9rem; }
.signbox .line { display: inline-block; min-width: 14rem; border-bottom: 1px solid #333; }
.state-unsigned { color: #8a1c1c; font-weight: 700; }
.state-stale { color: #7a4b00; font-weight: 700; }
.missing { color: #8a1c1c; font-weight: 700; }
@media screen and (min-width: 50rem) {
  /* Long passages scroll past; the answer they are checked against stays in view. */
  .grid > div:first-child { position: sticky; top: 0; align-self: start; }
}
@media print {
  body { font-size: 10pt; max-width: none; padding: 0; }
  @page { size: A4; margin: 14mm 12mm; }
  .topic { break-before: page; border-top: none; margin-top: 0; }
  .grid { grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 6mm; }
  .signbox, .answer { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


#: Lines that end an article's text proper: a byline, a reference list, a "Sources" heading.
_STOP = re.compile(r"^((medically )?reviewed by\b|sources( cited)?:?$|\d+\.\s.*(https?://|accessed\b))", re.IGNORECASE)
_BYLINE = re.compile(r"(profile image$|^reviewed by\b|^table of contents$)", re.IGNORECASE)


def section_text(source: Source, heading: str, seeds_dir: Path = SEEDS_DIR) -> str | None:
    """The text of one section of an article: from its heading line to the next heading.

    Headings are the article's own lines, found in the order ``sources.yml`` lists them. An
    "Introduction" is not a line in the articles: it starts after the heading listed before it (or
    after the title and byline). A passage also ends at a byline or a reference list, so a reviewer
    reads what the section says, not who wrote the page. None for an outside authority (no text
    kept) or a heading not found; raises when an article's file is missing, because a packet
    without its passages would be signed blind.
    """
    if source.file is None:
        return None
    path = seeds_dir / source.file
    if not path.is_file():
        raise FileNotFoundError(f"{path}: article text missing (knowledge/sources/README.md)")
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    names = [s.heading for s in source.sections]
    found: dict[str, int] = {}
    position = 0
    for name in names:
        hit = next((i for i in range(position, len(lines)) if lines[i] == name), None)
        if hit is not None:
            found[name], position = hit, hit + 1
    if heading in found:
        begin = found[heading] + 1
    elif heading == "Introduction" and heading in names:
        before = names[: names.index(heading)]
        if before and before[-1] in found:
            begin = found[before[-1]] + 1
        else:
            begin = max((i + 1 for i, line in enumerate(lines) if line == source.title), default=0)
        while begin < len(lines) and (not lines[begin] or _BYLINE.search(lines[begin])):
            begin += 1
    else:
        return None
    heading_lines = set(names)
    end = next((i for i in range(begin, len(lines)) if lines[i] in heading_lines or _STOP.search(lines[i])),
               len(lines))
    return "\n".join(lines[begin:end]).strip()


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{_e(p)}</p>" for p in text.split("\n") if p.strip())


def word_diff(old: str, new: str) -> str:
    """HTML of ``new`` with words removed since ``old`` struck out and added words underlined."""
    a, b = old.split(), new.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(_e(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{_e(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{_e(' '.join(b[j1:j2]))}</ins>")
    return " ".join(out)


def _changes_html(entry: FaqEntry, now: Status) -> str:
    if now.signoff is None:
        return "<p>Never signed off: read the whole answer against its sources.</p>"
    signed = now.signoff.content
    when = f"{_e(now.signoff.by)} on {_e(now.signoff.date.isoformat())}"
    if now.state == "signed":
        return f"<p>No change since the sign-off by {when}.</p>"
    current = signed_content(entry)
    parts = [f"<p>Changed since the sign-off by {when} (struck out: removed; underlined: added).</p>"]
    for key, label in (("title", "Title"), ("answer", "Answer")):
        if signed.get(key) != current[key]:
            parts.append(f'<p class="diff"><strong>{label}:</strong> {word_diff(str(signed.get(key, "")), current[key])}</p>')
    old_sources = [tuple(s) for s in signed.get("sources") or []]
    new_sources = [tuple(s) for s in current["sources"]]
    if old_sources != new_sources:
        added = [s for s in new_sources if s not in old_sources]
        removed = [s for s in old_sources if s not in new_sources]
        items = [f"<li><ins>cited: {_e(s[0])}, &ldquo;{_e(s[1])}&rdquo;</ins></li>" for s in added]
        items += [f"<li><del>no longer cited: {_e(s[0])}, &ldquo;{_e(s[1])}&rdquo;</del></li>" for s in removed]
        parts.append(f'<ul class="diff">{"".join(items) or "<li>Citations reordered.</li>"}</ul>')
    return "".join(parts)


def _passage_html(kb: KnowledgeBase, cite: Citation, seeds_dir: Path) -> str:
    source = kb.sources[cite.source]
    head = (f'<h3>{_e(source.title)}</h3><p class="meta">{_e(source.publisher or "Publisher not named")}'
            f" &middot; section &ldquo;{_e(cite.heading)}&rdquo;</p>")
    if source.file is None:
        link = f'<a href="{_e(source.url)}">{_e(source.url)}</a>' if source.url else "no address on file"
        return (head + '<div class="passage"><p>Text not kept in this repository (a public authority). '
                f"Check this section on the page itself: {link}</p></div>")
    text = section_text(source, cite.heading, seeds_dir)
    if not text:
        return head + '<div class="passage"><p class="missing">Section not found in the article text.</p></div>'
    return head + f'<div class="passage" data-source="{_e(source.id)}">{_paragraphs(text)}</div>'


def _topic_html(kb: KnowledgeBase, entry: FaqEntry, now: Status, seeds_dir: Path) -> str:
    passages = "".join(_passage_html(kb, c, seeds_dir) for c in entry.sources)
    return (
        f'<section class="topic" id="topic-{_e(entry.id)}" data-state="{_e(now.state)}">'
        f"<h2>{_e(entry.title)}</h2>"
        f'<p><span class="badge {_e(now.state)}">{_e(now.label)}</span></p>'
        f'<p class="meta">Topic <code>{_e(entry.id)}</code> &middot; content hash '
        f'<code class="hash">{_e(now.content_hash)}</code> &middot; file <code>knowledge/faq/{_e(entry.path.name)}</code></p>'
        '<div class="grid"><div>'
        "<h3>What the patient reads</h3>"
        f'<div class="answer"><p>{_e(entry.answer)}</p><p class="source-line">{_e(kb.source_line(entry))}</p></div>'
        f"<h3>Changes since the last sign-off</h3>{_changes_html(entry, now)}"
        '<div class="signbox"><strong>Reviewer</strong> (after reading the answer against every passage)<br>'
        '&#9744; Approve as written &nbsp; &#9744; Changes needed (write them here)<br><br>'
        'Role: <span class="line"></span><br><br>Date: <span class="line"></span><br><br>'
        f"Then record it: <code>python -m bot review sign {_e(entry.id)} --by \"ROLE\" "
        f"--hash {_e(now.content_hash)}</code></div>"
        f'</div><div><h3>Cited passages ({len(entry.sources)})</h3>{passages}</div></div></section>'
    )


def render(kb: KnowledgeBase, knowledge_dir: Path, seeds_dir: Path = SEEDS_DIR, today: dt.date | None = None) -> str:
    """The whole packet as one HTML string."""
    now = statuses(kb, knowledge_dir)
    counts = {state: sum(1 for s in now.values() if s.state == state) for state in ("signed", "stale", "unsigned")}
    rows = "".join(
        f'<tr><td><a href="#topic-{_e(e.id)}">{_e(e.title)}</a></td><td><code>{_e(e.id)}</code></td>'
        f'<td class="state-{_e(now[e.id].state)}">{_e(now[e.id].short_label)}</td></tr>'
        for e in kb.faqs.values()
    )
    date = (today or dt.date.today()).isoformat()
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Content review packet: OIH assistant ({_e(date)})</title><style>{STYLE}</style></head><body>"
        "<header><h1>Content review packet: OIH patient-education assistant</h1>"
        f'<p class="meta">Made {_e(date)} with <code>python -m bot review</code>. {len(kb.faqs)} answers: '
        f'<strong id="count-signed">{counts["signed"]}</strong> signed off, '
        f'<strong id="count-stale">{counts["stale"]}</strong> with a stale sign-off, '
        f'<strong id="count-unsigned">{counts["unsigned"]}</strong> never signed off.</p>'
        "<p>For each answer: read it against every cited passage beside it. Check that each claim "
        "is supported, that nothing needed for safety is missing, and that it is in plain words with no "
        "doses. Then sign on paper and record it with the command on the page (docs/review.md). "
        "The content hash ties your sign-off to this exact text: if the answer is edited later, "
        "your sign-off becomes stale and the answer is shown as not reviewed.</p></header>"
        '<nav aria-label="Topics"><table class="summary"><thead><tr><th scope="col">Answer</th>'
        f'<th scope="col">Topic</th><th scope="col">Review</th></tr></thead><tbody>{rows}</tbody></table></nav>'
        "<main>" + "".join(_topic_html(kb, e, now[e.id], seeds_dir) for e in kb.faqs.values())
        + "</main></body></html>"
    )


def write(kb: KnowledgeBase, knowledge_dir: Path, out: Path = DEFAULT_OUT, seeds_dir: Path = SEEDS_DIR) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(kb, knowledge_dir, seeds_dir), encoding="utf-8")
    return out
