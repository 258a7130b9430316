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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rouge_score import rouge_scorer  # noqa: E402
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence  # noqa: E402
from sumy.nlp.stemmers import Stemmer  # noqa: E402
from sumy.summarizers.lex_rank import LexRankSummarizer  # noqa: E402
from sumy.summarizers.text_rank import TextRankSummarizer  # noqa: E402
from sumy.utils import get_stop_words  # noqa: E402

from articles.summarization.base import DigestData, TranscriptInput  # noqa: E402
from articles.summarization.extractive import (  # noqa: E402
    ExtractiveSummarizer,
    prepare,
    words_of,
)
from articles.transcript_data import Segment  # noqa: E402

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


@dataclass
class Result:
    meeting: str
    domain: str
    words: int
    seconds: float
    scores: dict[str, dict[str, float]] = field(default_factory=dict)  # system -> metric -> F1


def load(data: Path) -> list[Meeting]:
    meetings = []
    for path in sorted(data.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        turns = [(t["speaker"], t["text"]) for t in raw["transcript"]]
        meetings.append(Meeting(raw["id"], raw["domain"], turns, raw["reference"]))
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


def run_in_process(meeting: Meeting) -> str:
    digest: DigestData = ExtractiveSummarizer().summarize(transcript_input(meeting), language="en")
    return digest_text(digest.tldr, [k.body for k in digest.key_points], digest.conclusion)


def run_command(meeting: Meeting) -> str:
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
    return digest_text(out["tldr"], [k["body"] for k in out["key_points"]], out["conclusion"])


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
    meetings: Sequence[Meeting], *, via_command: bool, cleaned_baselines: bool
) -> list[Result]:
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    baselines = make_baselines()
    results = []
    for meeting in meetings:
        started = time.perf_counter()
        ours = run_command(meeting) if via_command else run_in_process(meeting)
        elapsed = time.perf_counter() - started
        n = len(ours.split())
        systems = {"extractive": ours}
        raw = [s.text for s in prepare(transcript_input(meeting), "en", clean=False).sentences]
        systems["Lead"] = cut(" ".join(text for _speaker, text in meeting.turns), n)
        for name, rank in baselines.items():
            systems[name] = ranked_cut(raw, rank(raw), n)
        if cleaned_baselines:
            clean = [s.text for s in prepare(transcript_input(meeting), "en").sentences]
            systems["Lead (cleaned)"] = cut(" ".join(clean), n)
            for name, rank in baselines.items():
                systems[f"{name} (cleaned)"] = ranked_cut(clean, rank(clean), n)
        result = Result(meeting.id, meeting.domain, n, elapsed)
        for name, text in systems.items():
            score = scorer.score(meeting.reference, text)
            result.scores[name] = {m: score[m].fmeasure * 100 for m in METRICS}
        results.append(result)
        print(
            f"  {meeting.id:<14} {n:>4} words  "
            + "  ".join(
                f"{name[:10]}={result.scores[name]['rouge1']:.1f}/{result.scores[name]['rouge2']:.1f}"
                for name in ("extractive", "Lead", "TextRank", "LexRank")
            ),
            file=sys.stderr,
        )
    return results


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
`articles/summarization/extractive.py`) were set on this validation split with round
values; the unseen test split of the same corpus is the check that they generalise.
<!-- quality:end -->
"""
    replace_block(REPORT, "quality", section)


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
    args = parser.parse_args()
    meetings = load(args.data)
    results = evaluate(
        meetings, via_command=args.via_command, cleaned_baselines=not args.no_cleaned
    )
    print(table(results))
    print()
    print(by_domain(results))
    rows = means(results)
    ours = rows["extractive"]
    beaten = all(
        ours[m] > rows[b][m] for b in ("Lead", "TextRank", "LexRank") for m in ("rouge1", "rouge2")
    )
    print(f"\nextractive beats Lead, TextRank and LexRank on ROUGE-1 and ROUGE-2: {beaten}")
    if not args.no_write:
        write_report(results, meetings, args.via_command)
        print(f"wrote {REPORT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
