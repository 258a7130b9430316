"""The writing rules a digest's text must keep, and a lint that checks them.

An editor publishing an offline digest reads the headings, the TL;DR and the
conclusion first. The rules below are what makes those read as edited text rather
than stitched speech:

  headings     2-7 words, starting with a capital, not ending on a stop word or a
               possessive ("Big model's"), not opening on an article or possessive
               ("The", "Our"), not two lone words joined by "and" ("Record and month");
  sentences    start with a capital (or a digit), end with terminal punctuation, hold
               no caption artefact ("single- thread"), open on no filler ("So,",
               "Yeah,", "Alors,", "Du coup,") and are not fragments (too short, or
               short with no verb: "Batch production of your podcast episodes.").

`digest_lint` is used by the bench (docs/summary-quality.md reports its figures) and
by the tests over the demo's digests; the extractive backend uses the same checks to
keep such sentences out of what it shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Words that do not end (or start) a title: articles, possessives, prepositions,
# conjunctions and auxiliaries, in both languages. Kept short on purpose: a title
# ending on a noun or an adjective is fine.
_TITLE_STOP = {
    "en": frozenset(
        "a an the of to in on at for with by from and or but as that this these those "
        "is are was were be been has have had do does did will would can could should "
        "my your our their its his her it they we you i he she them us me who which "
        "what than then so very just also about into over under".split()
    ),
    "fr": frozenset(
        "le la les l un une des du de d à au aux en et ou mais que qui dont ce cet cette "
        "ces son sa ses leur leurs notre nos votre vos mon ma mes pour par sur dans avec "
        "sans est sont a ont été être il elle ils elles on nous vous je tu se très".split()
    ),
}
_DETERMINERS = {
    "en": frozenset("the a an our my your their its his her this that these those".split()),
    "fr": frozenset(
        "le la les l un une des du ce cet cette ces son sa ses leur leurs notre nos "
        "votre vos mon ma mes".split()
    ),
}

# Words that open a spoken sentence without adding to it. "Now", "right" and "but"
# are left out: at the head of a written sentence they can be meant.
LEADING_FILLERS = {
    "en": ("so", "and", "yeah", "yes", "well", "um", "uh", "okay", "ok", "alright", "anyway",
           "like", "oh", "basically", "actually", "yep", "also"),
    "fr": ("alors", "bon", "ben", "bah", "euh", "ouais", "donc", "et", "bref", "voilà",
           "enfin", "du coup", "en fait", "oui", "ok", "d'accord"),
}  # fmt: skip

# Signs of a finite verb; without a tagger, a short sentence with none of them is
# taken for a fragment ("Batch production of your podcast episodes.").
_EN_VERB_WORDS = frozenset(
    "is are was were be am been has have had do does did can could will would should may "
    "might must shall isn't aren't wasn't weren't hasn't haven't hadn't don't doesn't "
    "didn't can't couldn't won't wouldn't shouldn't goes makes takes gets says means needs "
    "costs runs uses works shows keeps comes gives helps lets looks seems matters wants "
    "knows thinks feels holds stays grows falls rises pays sells buys fails lasts depends "
    "go make take get say mean need cost run use work show keep come give help let look "
    "seem matter want know think feel hold stay grow fall rise pay sell buy fail last "
    "depend check turn replace build start stop try put set leave move read write like likes "
    "love loves hate hates prefer prefers find finds call calls mention mentions cut cuts "
    "drop drops add adds plan plans expect expects".split()
)
_EN_SUBJECTS = frozenset("i we you they he she it there who".split())
_FR_VERB_WORDS = frozenset(
    "est sont était étaient sera seront serait a ont avait avaient aura auront aurait "
    "peut peuvent pourrait doit doivent devrait va vont allait fait font faisait faut "
    "reste restent coûte coûtent permet permettent dit disent prend prennent donne "
    "donnent montre montrent compte comptent vient viennent passe passent".split()
)
_FR_SUBJECTS = frozenset("je j il elle on nous vous ils elles c ce ça qu".split())

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_SPLIT_WORD = re.compile(r"[^\W\d_]- [^\W\d_]")
_TERMINAL = ".!?…"
_ABBREVIATION_END = re.compile(
    r"\b(?:e\.g|i\.e|etc|vs|mr|mrs|ms|dr|prof|st|inc|ltd|no|fig|approx|cf|env|m|mme)\.$"
    r"|\b[A-Za-z]\.$",
    re.IGNORECASE,
)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph the digest wrote: cut after terminal punctuation and a
    space, not after an abbreviation or an initial."""
    out: list[str] = []
    start = 0
    for match in re.finditer(r"[.!?…]+[\"')»]?\s+", text):
        head = text[start : match.start() + 1].strip()
        if _ABBREVIATION_END.search(head):
            continue
        out.append(text[start : match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def leading_filler(text: str, language: str) -> str:
    """The filler a sentence opens on ("So", "Du coup"), or ""."""
    low = [w.lower().replace("’", "'") for w in words(text[:60])]
    for filler in LEADING_FILLERS[language]:
        parts = filler.split()
        if low[: len(parts)] == parts:
            return filler
    return ""


def has_verb(tokens: Iterable[str], language: str) -> bool:
    low = [t.lower().replace("’", "'") for t in tokens]
    if language == "fr":
        if any(w in _FR_VERB_WORDS for w in low):
            return True
        # "l'hôpital" is an article, "c'est", "j'ai", "qu'il" hold a subject.
        return any(w.split("'")[0] in _FR_SUBJECTS and "'" in w for w in low) or any(
            a in _FR_SUBJECTS and len(low) > i + 1 for i, a in enumerate(low)
        )
    for i, w in enumerate(low):
        if w in _EN_VERB_WORDS or w.endswith(("n't", "'s", "'re", "'ve", "'d", "'ll", "'m")):
            return True
        if len(w) > 4 and w.endswith("ed"):
            return True
        if w in _EN_SUBJECTS and i + 1 < len(low):
            return True
    return False


def is_fragment(text: str, language: str) -> bool:
    """Too short to stand alone, or short and without a verb."""
    tokens = words(text)
    if len(tokens) < 4:
        return True
    return len(tokens) < 10 and not has_verb(tokens, language)


def sentence_breaks(text: str, language: str) -> list[str]:
    """The rules a sentence of the TL;DR or the conclusion breaks (none: [])."""
    text = text.strip()
    if not text:
        return ["empty"]
    broken = []
    first = text.lstrip("\"'«([ ")[:1]
    if first and not (first.isupper() or first.isdigit()):
        broken.append("lowercase start")
    if text.rstrip("\"')»] ")[-1:] not in _TERMINAL:
        broken.append("no terminal punctuation")
    if _SPLIT_WORD.search(text):
        broken.append("word split by a caption break")
    if leading_filler(text, language):
        broken.append("leading filler")
    if is_fragment(text, language):
        broken.append("fragment")
    return broken


def heading_breaks(text: str, language: str) -> list[str]:
    """The rules a key point's heading breaks (none: [])."""
    tokens = words(text)
    broken = []
    if not 2 <= len(tokens) <= 7:
        broken.append("not 2-7 words")
    if not tokens:
        return broken
    first = text.strip()[:1]
    if not (first.isupper() or first.isdigit()):
        broken.append("lowercase start")
    if _SPLIT_WORD.search(text):
        broken.append("word split by a caption break")
    low = [t.lower().replace("’", "'") for t in tokens]
    stop = _TITLE_STOP[language]
    if low[-1] in stop or low[-1].endswith("'s") or text.rstrip().endswith(("'", "’")):
        broken.append("ends on a stop word or possessive")
    if low[0] in _DETERMINERS[language] or (language == "fr" and low[0].startswith("l'")):
        broken.append("opens on an article or possessive")
    joiner = "and" if language == "en" else "et"
    if len(low) == 3 and low[1] == joiner:
        broken.append("two words joined by 'and'")
    if leading_filler(text, language):
        broken.append("leading filler")
    return broken


@dataclass(frozen=True, slots=True)
class Break:
    part: str  # "heading", "tldr" or "conclusion"
    text: str
    rules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Lint:
    checked: int  # headings, TL;DR sentences and conclusions looked at
    breaks: tuple[Break, ...]


def digest_lint(*, language: str, tldr: str, headings: Iterable[str], conclusion: str) -> Lint:
    """Every heading, TL;DR sentence and the conclusion, checked against the rules."""
    checked = 0
    breaks: list[Break] = []
    items = [("heading", h) for h in headings]
    items += [("tldr", s) for s in split_sentences(tldr)]
    items += [("conclusion", conclusion)]
    for part, text in items:
        checked += 1
        if part == "heading":
            rules = heading_breaks(text, language)
        else:
            rules = sentence_breaks(text, language)
        if rules:
            breaks.append(Break(part, text, tuple(rules)))
    return Lint(checked, tuple(breaks))
