"""Digest quality: ROUGE of the extractive backend against Lead, TextRank and LexRank.

Protocol (see the evaluation data's README): for each QMSum validation meeting, the
transcript goes to the summariser as one `Speaker: text` turn per segment; the digest
text is the TL;DR, the key-point bodies and the conclusion joined; each baseline is
cut to the same number of words as that digest; ROUGE-1/2/L F1 (rouge-score,
use_stemmer=True) against the human reference; means over the meetings.

Baselines get their sentences from our own splitter (NLTK's punkt data is not
available) built into sumy's document objects, and sumy's English stop words and
Snowball stemmer. They are run twice: on the raw transcript, as the README asks,
and on our cleaned sentences, to show how much of the margin is cleaning and how
much is ranking.

    .venv/bin/python bench/summary_quality.py [--data DIR] [--via-command] [--no-write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import snowballstemmer  # noqa: E402
from rouge_score import rouge_scorer  # noqa: E402
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence  # noqa: E402
from sumy.nlp.stemmers import Stemmer  # noqa: E402
from sumy.summarizers.lex_rank import LexRankSummarizer  # noqa: E402
from sumy.summarizers.text_rank import TextRankSummarizer  # noqa: E402
from sumy.utils import get_stop_words  # noqa: E402

from articles.transcript_data import Segment  # noqa: E402
from digests.base import DigestData, TranscriptInput  # noqa: E402
from digests.extractive import (  # noqa: E402
    ExtractiveSummarizer,
    detect_language,
    prepare,
    words_of,
)
from digests.writing import Lint, digest_lint  # noqa: E402
from ingestion.transcripts import parse_transcript  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "qmsum-val"
REPORT = ROOT / "docs" / "summary-quality.md"
METRICS = ("rouge1", "rouge2", "rougeL")


class _Words:
    """The one thing sumy asks of a tokenizer here: the words of a sentence."""

    @staticmethod
    def to_words(text: str) -> list[str]:
        return words_of(text)


@dataclass
class Meeting:
    id: str
    domain: str
    turns: list[tuple[str, str]]
    reference: str
    # The annotators' topics: a name and the spans of turns it covers (inclusive).
    topics: list[tuple[str, list[tuple[int, int]]]] = field(default_factory=list)


@dataclass
class Result:
    meeting: str
    domain: str
    words: int
    seconds: float
    scores: dict[str, dict[str, float]] = field(default_factory=dict)  # system -> metric -> F1
    headings: HeadingScore | None = None
    lint: Lint | None = None
    written: Written | None = None


def load(data: Path) -> list[Meeting]:
    meetings = []
    for path in sorted(data.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        turns = [(t["speaker"], t["text"]) for t in raw["transcript"]]
        topics = [
            (t["name"], [(int(a), int(b)) for a, b in t["spans"]]) for t in raw.get("topics", [])
        ]
        meetings.append(Meeting(raw["id"], raw["domain"], turns, raw["reference"], topics))
    if not meetings:
        raise SystemExit(f"no meetings (*.json) in {data}")
    return meetings


def stdin_text(meeting: Meeting) -> str:
    """The transcript exactly as `manage.py digest -` receives it."""
    return "\n".join(f"{speaker}: {' '.join(text.split())}" for speaker, text in meeting.turns)


def transcript_input(meeting: Meeting) -> TranscriptInput:
    segments = [Segment(None, None, speaker, text) for speaker, text in meeting.turns]
    return TranscriptInput(segments=segments, language="en")


def digest_text(tldr: str, bodies: Sequence[str], conclusion: str) -> str:
    return " ".join(x for x in (tldr, *bodies, conclusion) if x)


@dataclass
class Written:
    """What the digest says, as both ways of running it return it."""

    tldr: str
    points: list[tuple[str, str, str]]  # heading, body, quote
    conclusion: str

    def text(self) -> str:
        return digest_text(self.tldr, [body for _h, body, _q in self.points], self.conclusion)


def run_in_process(meeting: Meeting) -> Written:
    digest: DigestData = ExtractiveSummarizer().summarize(transcript_input(meeting), language="en")
    points = [(k.heading, k.body, k.quote) for k in digest.key_points]
    return Written(digest.tldr, points, digest.conclusion)


def run_command(meeting: Meeting) -> Written:
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "digest",
            "-",
            "--json",
            "--language",
            "en",
            "--backend",
            "extractive",
        ],
        input=stdin_text(meeting).encode(),
        capture_output=True,
        check=False,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{meeting.id}: digest failed: {proc.stderr.decode().strip()}")
    out = json.loads(proc.stdout)
    points = [(k["heading"], k["body"], k["quote"]) for k in out["key_points"]]
    return Written(out["tldr"], points, out["conclusion"])


# ------------------------------------------------------------------- headings

_STEMMER = snowballstemmer.stemmer("english")
_STOP = frozenset(get_stop_words("english"))


def topic_terms(text: str) -> list[str]:
    """Lower-cased, stop words out, Snowball stems: how headings and topic names compare."""
    tokens = [w for w in words_of(text) if w not in _STOP and any(c.isalnum() for c in w)]
    return _STEMMER.stemWords(tokens)


def token_f1(a: Sequence[str], b: Sequence[str]) -> float:
    common = sum((Counter(a) & Counter(b)).values())
    if not common:
        return 0.0
    precision, recall = common / len(a), common / len(b)
    return 2 * precision * recall / (precision + recall)


def baseline_heading(body: str) -> str:
    """The first three content words of the key point's body."""
    return " ".join([w for w in words_of(body) if w not in _STOP][:3])


def quote_turn(meeting: Meeting, quote: str) -> int | None:
    """The turn a key point's quote comes from (quotes are exact spans of one turn)."""
    wanted = " ".join(quote.split())
    for index, (_speaker, text) in enumerate(meeting.turns):
        if wanted and wanted in " ".join(text.split()):
            return index
    return None


@dataclass
class HeadingScore:
    topics: int = 0
    covered: int = 0
    ours: list[float] = field(default_factory=list)  # one F1 per key point inside a topic
    baseline: list[float] = field(default_factory=list)
    placed: int = 0  # key points whose quote was found in a turn
    points: int = 0


def score_headings(meeting: Meeting, written: Written) -> HeadingScore:
    """Topic coverage and heading agreement (see the evaluation data's README).

    A key point inside several topics' spans is compared with the topic whose name it
    matches best, for our heading and the baseline's alike.
    """
    score = HeadingScore(topics=len(meeting.topics), points=len(written.points))
    covered: set[int] = set()
    for heading, body, quote in written.points:
        turn = quote_turn(meeting, quote)
        if turn is None:
            continue
        score.placed += 1
        inside = [
            (t, name)
            for t, (name, spans) in enumerate(meeting.topics)
            if any(lo <= turn <= hi for lo, hi in spans)
        ]
        if not inside:
            continue
        covered.update(t for t, _name in inside)
        ours, base = topic_terms(heading), topic_terms(baseline_heading(body))
        score.ours.append(max(token_f1(ours, topic_terms(name)) for _t, name in inside))
        score.baseline.append(max(token_f1(base, topic_terms(name)) for _t, name in inside))
    score.covered = len(covered)
    return score


def lint_written(written: Written, language: str) -> Lint:
    return digest_lint(
        language=language,
        tldr=written.tldr,
        headings=[h for h, _b, _q in written.points],
        conclusion=written.conclusion,
    )


def cut(text: str, words: int) -> str:
    return " ".join(text.split()[:words])


def sumy_ranking(sentences: Sequence[str], summarizer: object) -> list[int]:
    """Sentence indices, best first, as sumy rates them (we only borrow the order)."""
    document = ObjectDocumentModel([Paragraph([Sentence(s, _Words()) for s in sentences])])
    order: list[int] = []
    index = {id(s): i for i, s in enumerate(document.sentences)}

    def grab(infos):  # sumy passes its rated sentences, best first
        order.extend(index[id(info.sentence)] for info in infos)
        return []

    summarizer(document, grab)
    return order


def ranked_cut(sentences: Sequence[str], ranking: Sequence[int], words: int) -> str:
    """Best sentences until `words` words, put back in transcript order, then cut."""
    picked, total = [], 0
    for i in ranking:
        picked.append(i)
        total += len(sentences[i].split())
        if total >= words:
            break
    return cut(" ".join(sentences[i] for i in sorted(picked)), words)


def make_baselines() -> dict[str, Callable[[Sequence[str]], list[int]]]:
    stemmer = Stemmer("english")
    stop = get_stop_words("english")
    textrank, lexrank = TextRankSummarizer(stemmer), LexRankSummarizer(stemmer)
    textrank.stop_words = stop
    lexrank.stop_words = stop
    return {
        "TextRank": lambda s: sumy_ranking(s, textrank),
        "LexRank": lambda s: sumy_ranking(s, lexrank),
    }


def evaluate(
    meetings: Sequence[Meeting],
    *,
    via_command: bool,
    cleaned_baselines: bool,
    baselines_too: bool = True,
) -> list[Result]:
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    baselines = make_baselines() if baselines_too else {}
    results = []
    for meeting in meetings:
        started = time.perf_counter()
        written = run_command(meeting) if via_command else run_in_process(meeting)
        elapsed = time.perf_counter() - started
        ours = written.text()
        n = len(ours.split())
        systems = {"extractive": ours}
        raw = [s.text for s in prepare(transcript_input(meeting), "en", clean=False).sentences]
        systems["Lead"] = cut(" ".join(text for _speaker, text in meeting.turns), n)
        for name, rank in baselines.items():
            systems[name] = ranked_cut(raw, rank(raw), n)
        if cleaned_baselines and baselines_too:
            clean = [s.text for s in prepare(transcript_input(meeting), "en").sentences]
            systems["Lead (cleaned)"] = cut(" ".join(clean), n)
            for name, rank in baselines.items():
                systems[f"{name} (cleaned)"] = ranked_cut(clean, rank(clean), n)
        result = Result(meeting.id, meeting.domain, n, elapsed)
        for name, text in systems.items():
            score = scorer.score(meeting.reference, text)
            result.scores[name] = {m: score[m].fmeasure * 100 for m in METRICS}
        result.headings = score_headings(meeting, written)
        result.lint = lint_written(written, "en")
        result.written = written
        results.append(result)
        print(
            f"  {meeting.id:<14} {n:>4} words  "
            + "  ".join(
                f"{name[:10]}={result.scores[name]['rouge1']:.1f}/{result.scores[name]['rouge2']:.1f}"
                for name in ("extractive", "Lead", "TextRank", "LexRank")
                if name in result.scores
            ),
            file=sys.stderr,
        )
    return results


DEMO_TRANSCRIPTS = ROOT / "demo" / "transcripts"


def demo_written() -> list[tuple[str, str, Written]]:
    """(file, language, digest) for every demo transcript, as `load_demo` digests them."""
    out = []
    for path in sorted(DEMO_TRANSCRIPTS.iterdir()):
        parsed = parse_transcript(path.read_bytes(), filename=path.name)
        language = detect_language(" ".join(s.text for s in parsed.segments))
        digest = ExtractiveSummarizer().summarize(
            TranscriptInput(segments=parsed.segments, language=language), language=language
        )
        points = [(k.heading, k.body, k.quote) for k in digest.key_points]
        out.append((path.name, language, Written(digest.tldr, points, digest.conclusion)))
    return out


def heading_figures(results: Sequence[Result]) -> dict[str, float]:
    scores = [r.headings for r in results if r.headings is not None]
    ours = [x for s in scores for x in s.ours]
    base = [x for s in scores for x in s.baseline]
    return {
        "coverage": sum(s.covered for s in scores) / max(1, sum(s.topics for s in scores)),
        # The same per meeting, then averaged: each meeting counts once however many
        # topics its annotators listed.
        "coverage_mean": statistics.fmean(s.covered / s.topics for s in scores if s.topics)
        if any(s.topics for s in scores)
        else 0.0,
        "agreement": statistics.fmean(ours) if ours else 0.0,
        "baseline": statistics.fmean(base) if base else 0.0,
        "inside": len(ours),
        "points": sum(s.points for s in scores),
        "placed": sum(s.placed for s in scores),
    }


def lint_figures(lints: Sequence[Lint]) -> tuple[int, int, Counter[str]]:
    """(checked, broken, rules broken) over some digests."""
    rules: Counter[str] = Counter()
    for lint in lints:
        for item in lint.breaks:
            rules.update(f"{item.part}: {rule}" for rule in item.rules)
    return sum(x.checked for x in lints), sum(len(x.breaks) for x in lints), rules


def print_writing(results: Sequence[Result], demo: Sequence[tuple[str, str, Written]]) -> None:
    h = heading_figures(results)
    print(
        f"topic coverage {h['coverage']:.3f} (per-meeting mean {h['coverage_mean']:.3f}); "
        f"heading agreement {h['agreement']:.3f} "
        f"(baseline {h['baseline']:.3f}) over {h['inside']} key points inside a topic"
    )
    for label, lints in (
        ("QMSum", [r.lint for r in results if r.lint]),
        ("demo", [lint_written(w, lang) for _f, lang, w in demo]),
    ):
        checked, broken, rules = lint_figures(lints)
        print(f"writing lint, {label}: {broken}/{checked} broken ({100 * broken / checked:.1f} %)")
        for rule, count in rules.most_common():
            print(f"    {count:>3}  {rule}")


def means(results: Sequence[Result]) -> dict[str, dict[str, float]]:
    systems = results[0].scores.keys()
    return {
        name: {m: statistics.fmean(r.scores[name][m] for r in results) for m in METRICS}
        for name in systems
    }


def table(results: Sequence[Result]) -> str:
    rows = means(results)
    wins = {
        name: sum(r.scores["extractive"]["rouge1"] > r.scores[name]["rouge1"] for r in results)
        for name in rows
    }
    lines = [
        "| system | ROUGE-1 F1 | ROUGE-2 F1 | ROUGE-L F1 | meetings where ours has higher R-1 |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, m in rows.items():
        won = "—" if name == "extractive" else f"{wins[name]}/{len(results)}"
        lines.append(
            f"| {name} | {m['rouge1']:.2f} | {m['rouge2']:.2f} | {m['rougeL']:.2f} | {won} |"
        )
    return "\n".join(lines)


def by_domain(results: Sequence[Result]) -> str:
    """ROUGE-1 / ROUGE-2 per kind of meeting: the margin should not come from one kind."""
    systems = ("extractive", "Lead", "TextRank", "LexRank")
    lines = [
        "| domain | meetings | " + " | ".join(f"{s} R-1 / R-2" for s in systems) + " |",
        "|---|---:|" + "---:|" * len(systems),
    ]
    for domain in sorted({r.domain for r in results}):
        subset = [r for r in results if r.domain == domain]
        rows = means(subset)
        cells = " | ".join(f"{rows[s]['rouge1']:.2f} / {rows[s]['rouge2']:.2f}" for s in systems)
        lines.append(f"| {domain} | {len(subset)} | {cells} |")
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    python = platform.python_version()
    return f"{cpu}, {os.cpu_count()} logical CPUs, Python {python}, {platform.system()}"


def write_report(results: Sequence[Result], meetings: Sequence[Meeting], via_command: bool) -> None:
    words = [r.words for r in results]
    sizes = [sum(len(text.split()) for _speaker, text in m.turns) for m in meetings]
    references = [len(m.reference.split()) for m in meetings]
    mode = (
        "through `manage.py digest - --json`" if via_command else "calling the backend in-process"
    )
    section = f"""<!-- quality:start -->
## Quality: ROUGE on QMSum validation

Measured {dt.date.today().isoformat()} by `bench/summary_quality.py`, {mode},
on {machine()}.

**Data.** The {len(results)} validation meetings of QMSum (Zhong et al., NAACL 2021), kept
outside this repository (`../shared/eval/qmsum-val` by default, `--data` to change it):
AMI product-design meetings, ICSI research meetings and parliamentary committee sittings,
{min(sizes):,} to {max(sizes):,} words each (mean {statistics.fmean(sizes):,.0f}),
each with a human summary of the whole meeting ({min(references)} to {max(references)} words).

**Method.** Each transcript goes in as one `Speaker: text` turn per line. The digest text is
the TL;DR, the key-point bodies and the conclusion joined (headings and quotes left out).
Each baseline is cut to the same number of words as that meeting's digest
(mean {statistics.fmean(words):.0f}, {min(words)} to {max(words)} words). Lead is the first
N words of the transcript; TextRank and LexRank are sumy's, with sumy's English stop words
and Snowball stemmer, on sentences from our own splitter; they take their best sentences
until N words, in transcript order, cut at N. ROUGE-1/2/L F1 from `rouge-score` with
`use_stemmer=True`; the figures are means over the meetings, times 100. The "(cleaned)"
rows give the baselines our cleaned sentences (fillers, greetings, sponsor reads and
housekeeping removed) instead of the raw transcript, which isolates the ranking.

{table(results)}

By kind of meeting (mean ROUGE-1 / ROUGE-2 F1):

{by_domain(results)}

These references are abstractive and short, so every extractive method scores low in
absolute terms (the data's README puts an oracle that picks the best sentences near
43 / 20); the margin over the baselines at equal length is what this measures. The
summariser never sees the references. Its few weights (`TUNING` in
`digests/extractive.py`) were set on this validation split with round
values; the unseen test split of the same corpus is the check that they generalise.
<!-- quality:end -->
"""
    replace_block(REPORT, "quality", section)


def write_writing_report(
    results: Sequence[Result],
    demo: Sequence[tuple[str, str, Written]],
    meetings: Sequence[Meeting],
) -> None:
    """The headings and writing-lint block of docs/summary-quality.md."""
    h = heading_figures(results)
    names = [set(topic_terms(name)) for m in meetings for name, _spans in m.topics]
    activity = {
        "names": len(names),
        "discuss": sum("discuss" in n for n in names),
        "present": sum("present" in n for n in names),
    }
    halves = " and ".join(
        f"{heading_figures(results[start::2])['agreement']:.3f} against "
        f"{heading_figures(results[start::2])['baseline']:.3f}"
        for start in (0, 1)
    )
    header = (
        "| | key points inside a topic | heading agreement | baseline agreement "
        "| topic coverage, pooled | topic coverage, per meeting |\n|---|---:|---:|---:|---:|---:|"
    )
    by_domain_rows = []
    for domain in sorted({r.domain for r in results}):
        d = heading_figures([r for r in results if r.domain == domain])
        by_domain_rows.append(
            f"| {domain} | {d['inside']} | {d['agreement']:.3f} | {d['baseline']:.3f} "
            f"| {d['coverage']:.2f} | {d['coverage_mean']:.2f} |"
        )
    lint_rows = []
    for label, lints in (
        ("QMSum validation (35 meetings, English)", [r.lint for r in results if r.lint]),
        (
            f"demo ({len(demo)} transcripts, English and French)",
            [lint_written(w, lang) for _f, lang, w in demo],
        ),
    ):
        checked, broken, rules = lint_figures(lints)
        detail = "; ".join(f"{rule} {n}" for rule, n in rules.most_common()) or "none"
        lint_rows.append(
            f"| {label} | {checked} | {broken} | {100 * broken / checked:.1f} % | {detail} |"
        )
    examples = []
    for _f, lang, written in demo[:: max(1, len(demo) // 4)][:4]:
        heads = "; ".join(f"“{head}”" for head, _b, _q in written.points[:4])
        examples.append(f"- {lang}: {heads}")
    section = f"""<!-- headings:start -->
## Headings and writing

Measured {dt.date.today().isoformat()} by `bench/summary_quality.py` on the same meetings.

**Headings against the annotators' topics.** QMSum gives each meeting the annotators'
topic list: a name ("Battery design of remote control") and the spans of turns it covers.
Each key point is placed at the turn its quote comes from. *Topic coverage* is the share of
topics with at least one key point inside their spans, over all topics ("pooled") and per
meeting then averaged ("per meeting"). *Heading agreement* is the
token F1 between a key point's heading and the name of the topic it falls in (lower-cased,
sumy's English stop words out, Snowball stems; when spans overlap, the best-matching
topic), averaged over the key points inside a topic. The baseline heading is the first
three content words of the key point's body.

{header}
| all meetings | {h["inside"]} | {h["agreement"]:.3f} | {h["baseline"]:.3f} \
| {h["coverage"]:.2f} | {h["coverage_mean"]:.2f} |
{chr(10).join(by_domain_rows)}

Headings agree with the annotators' names {h["agreement"] / max(h["baseline"], 1e-9):.2f} times
as much as the baseline (on the meetings of even and odd rank alike: {halves}). The
weights were set on these meetings, so the unseen test split is the real check. Much of
what is left is out of reach of a heading made of the
meeting's own noun phrases: the annotators name activities ("Discussion about...",
"Presentation on...", "status", "review": "discuss" is in {activity["discuss"]} of the
{activity["names"]} names and "present" in {activity["present"]}) that nobody says, and a
name usually covers several sections.

**How headings are made** (`digests/headings.py`): noun-phrase chunks of
each section (runs of content words with one "of"/"for" or "de"/"du"/"à" inside, opening
and closing on nouns), weighed by how much the section and, less and less, its neighbours
say their words, times how much the whole episode says them (a subject runs over several
sections, and what the episode keeps coming back to names its parts), twice as much when
the key point's own body says them; the best chunk of two or more words that passes the
lint and is not an earlier heading (a word an earlier heading used costs a little),
joined by "and" with a second one only when the two are said in the same sentence and the
section is nearly as much about it. A noun is a word the episode says after a determiner
(or at the end of a phrase, or after "de"), and not after a subject pronoun; an English
chunk said only as the start of a longer one ("agent pull" of "agent pull request") is
cut there, not a title. Keyphrase libraries that fit (pure Python, no model) were
considered: YAKE and RAKE rank the phrases of one text, not what sets one section of an
episode apart from the others; RAKE needs NLTK data that cannot be downloaded here, and
YAKE's n-grams cross noun-phrase edges and bring four more dependencies. Headings and
tags are part of the "write" stage timed below (about a tenth of a second for an hour).

Some demo headings, as `make run` writes them:

{chr(10).join(examples)}

**Writing lint** (`digests/writing.py`): every heading, TL;DR sentence and
conclusion is checked for a fragment (under four words, or under ten with no verb),
a lowercase start, no terminal punctuation, a word split by a caption break
("single- thread"), a leading filler ("So,", "Du coup,"), and for headings: 2-7 words,
no closing stop word or possessive, no opening article, no two lone words joined by "and".

| digests | checked | broken | share | rules broken |
|---|---:|---:|---:|---|
{chr(10).join(lint_rows)}

The tests check the same on the digests `load_demo` stores
(tests/digests/test_demo_digests.py).
<!-- headings:end -->
"""
    replace_block(REPORT, "headings", section)


def replace_block(path: Path, name: str, section: str) -> None:
    """Rewrite one marked block of the report, keeping the others (the speed bench's)."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Digest quality and speed\n\n"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1].lstrip("\n")
        text = before + section + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="folder of QMSum JSON files"
    )
    parser.add_argument(
        "--via-command", action="store_true", help="run manage.py digest per meeting"
    )
    parser.add_argument(
        "--no-cleaned", action="store_true", help="skip the cleaned-input baselines"
    )
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/ alone")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="ours only: ROUGE, headings and the writing lint, no baselines (implies --no-write)",
    )
    args = parser.parse_args()
    meetings = load(args.data)
    results = evaluate(
        meetings,
        via_command=args.via_command,
        cleaned_baselines=not args.no_cleaned,
        baselines_too=not args.quick,
    )
    demo = demo_written()
    if args.quick:
        ours = means(results)["extractive"]
        print(" ".join(f"{m}={ours[m]:.2f}" for m in METRICS))
        print_writing(results, demo)
        return
    print(table(results))
    print()
    print(by_domain(results))
    rows = means(results)
    ours = rows["extractive"]
    beaten = all(
        ours[m] > rows[b][m] for b in ("Lead", "TextRank", "LexRank") for m in ("rouge1", "rouge2")
    )
    print(f"\nextractive beats Lead, TextRank and LexRank on ROUGE-1 and ROUGE-2: {beaten}")
    print_writing(results, demo)
    if not args.no_write:
        write_report(results, meetings, args.via_command)
        write_writing_report(results, demo, meetings)
        print(f"wrote {REPORT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
