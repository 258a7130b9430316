"""Tags for an offline digest: the names and terms an episode is about.

A reader follows a tag to find other episodes on the same thing, so a tag must name a
thing: a product, a company, a person, a technology ("Vantor V3", "Halden Bank",
"secure element", "stablecoins"). Plain frequent words ("hours", "screen", "games")
and adjectives ("thinnest") name nothing and are never tags on their own.

Candidates, strongest kind first:
  names      runs of capitalised words inside a sentence, acronyms and model names
             ("NPU", "x86", "V3"); a capital that only ever opens a sentence is not a
             name, and the speakers' own names are left out (a host is not a subject);
  terms      noun-phrase chunks of two or three words said at least twice (headings.py
             finds them);
  words      single nouns said at least three times, long enough to be specific, used
             only to reach three tags.
Each is weighed by how often it is said and in how many sections; near-duplicates
("secure element", "secure elements") keep the strongest form.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field

from digests import headings

MIN_TAGS = 3
MAX_TAGS = 8

_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,6}s?$")
_MODEL_NAME = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9][A-Za-z0-9.+-]{1,12}$")
_DEMONYM = re.compile(r"^[A-Z][a-zé]+(an|ian|ese|ish|ic|ais|aise|ain|aine|ois|oise)s?$")
_CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday janvier février mars avril mai "
    "juin juillet août septembre octobre novembre décembre lundi mardi mercredi jeudi "
    "vendredi samedi dimanche".split()
)
# Capitalised words that are not names: pronouns, titles of address, interjections.
_NOT_NAMES = frozenset(
    "i i'm i've i'll i'd ok okay yes no oh mr mrs ms dr so and but the a an it's that's "
    "madame monsieur oui non ah".split()
)


@dataclass(slots=True)
class _Candidate:
    kind: str  # "name", "term" or "word"
    surfaces: Counter[str] = field(default_factory=Counter)
    count: int = 0
    sections: set[int] = field(default_factory=set)

    def text(self) -> str:
        return self.surfaces.most_common(1)[0][0]


_KIND_WEIGHT = {"name": 3.0, "term": 2.0, "word": 1.0}


def tags_pick(
    *,
    sentences: Sequence[tuple[int, Sequence[tuple[str, bool]]]],
    language: str,
    words: headings.Words,
    speakers: Iterable[str] = (),
    limit: int = MAX_TAGS,
    nouns: Set[str] | None = None,
    chunk_lists: Sequence[Sequence[headings.Chunk]] | None = None,
) -> list[str]:
    """3-8 tags from (section number, tokens) sentences, strongest first.

    `nouns` and `chunk_lists` (one list per sentence), when the caller has them already
    (headings.sentence_chunks), save working them out again.
    """
    speaker_words = {w.lower() for name in speakers for w in re.findall(r"\w+", name or "")}
    if nouns is None:
        nouns = headings.nounish_words((t for _s, t in sentences), language, words.stop)
    if chunk_lists is None:
        chunk_lists = headings.sentence_chunks([t for _s, t in sentences], language, words, nouns)
    mid_capitals = _mid_sentence_capitals(t for _s, t in sentences)
    found: dict[str, _Candidate] = {}

    def add(key: str, kind: str, surface: str, section: int) -> None:
        c = found.get(key)
        if c is None:
            c = found[key] = _Candidate(kind)
        c.surfaces[surface] += 1
        c.count += 1
        c.sections.add(section)

    for (section, tokens), found_chunks in zip(sentences, chunk_lists, strict=True):
        for name in _names(tokens, mid_capitals, speaker_words | words.stop):
            if " " not in name and _DEMONYM.match(name):
                continue  # "European", "Nordic": an adjective, not a subject
            add(name.lower(), "name", name, section)
        for chunk in found_chunks:
            surface = chunk.text()
            if chunk.size < 2 or speaker_words.intersection(surface.lower().split()):
                continue
            # A chunk made of a name keeps its capitals; a common term is lower-cased.
            if not _is_name_like(surface):
                surface = surface.lower()
            add(f"term:{chunk.key}", "term", surface, section)
        for word in _head_nouns(tokens, language, words, nouns):
            add(f"word:{words.stem(word, language)}", "word", word, section)

    scored: list[tuple[float, str, str]] = []
    for key, c in found.items():
        floor = {"name": 2, "term": 2, "word": 3}[c.kind]
        if c.count < floor:
            continue
        weight = _KIND_WEIGHT[c.kind] * c.count * (1 + 0.5 * (len(c.sections) - 1))
        scored.append((weight, key, c.text()))
    scored.sort(key=lambda x: (-x[0], x[1]))

    # Names and terms first; a plain noun joins them only when the episode keeps coming
    # back to it far more than to them ("stablecoins"): at most two such.
    strong = [x for x in scored if found[x[1]].kind != "word"]
    plain = [x for x in scored if found[x[1]].kind == "word"]
    top = strong[0][0] if strong else 0.0
    promoted = [x for x in plain[:2] if x[0] >= top and found[x[1]].count >= 6]
    plain = [x for x in plain if x not in promoted]
    strong = sorted(strong + promoted, key=lambda x: (-x[0], x[1]))
    tags: list[str] = []
    for weight, _key, text in strong:
        if len(tags) >= limit or (len(tags) >= MIN_TAGS and weight < 0.1 * top):
            break
        if len(text) <= 40 and not _overlaps(text, tags):
            tags.append(text)
    for _weight, _key, text in plain:
        if len(tags) >= MIN_TAGS:
            break
        if not _overlaps(text, tags):
            tags.append(text)
    return tags


def _head_nouns(
    tokens: Sequence[tuple[str, bool]], language: str, words: headings.Words, nouns: set[str]
) -> Iterable[str]:
    """Single nouns said as the head of their phrase ("the stablecoins are..."), not as a
    modifier ("the secure element"): only those may stand alone as a tag."""
    low = [t.lower().replace("’", "'") if ok else "" for t, ok in tokens]
    for i, word in enumerate(low):
        form = words.content_form(word, language) if word else ""
        if (
            len(form) < 6
            or form not in nouns
            or form in words.stop
            or words.verbish(form)
            or headings.generic_term(words.stem(form, language), words, language)
            or not tokens[i][0][:1].islower()
        ):
            continue
        if language == "fr":
            head = i > 0 and (low[i - 1] in _FR_ARTICLES or word != form)
        else:
            nxt = low[i + 1] if i + 1 < len(low) else ""
            head = not nxt or nxt in words.stop
        if head:
            yield form


_FR_ARTICLES = frozenset("le la les un une des du au aux ce cet cette ces".split())


def _overlaps(text: str, tags: Sequence[str]) -> bool:
    """'secure elements' when 'secure element' is a tag, 'Vantor' beside 'Vantor V3'."""
    low = text.lower()
    for tag in tags:
        other = tag.lower()
        if low in other or other in low or low.rstrip("s") == other.rstrip("s"):
            return True
    return False


def _is_name_like(text: str) -> bool:
    return any(_ACRONYM.match(w) or w[:1].isupper() for w in text.split())


def _mid_sentence_capitals(sentences: Iterable[Sequence[tuple[str, bool]]]) -> set[str]:
    """Capitalised words said somewhere other than at the head of a sentence."""
    out: set[str] = set()
    for tokens in sentences:
        first = True
        for text, is_word in tokens:
            if not is_word:
                continue
            if not first and text[:1].isupper():
                out.add(text)
            first = False
    return out


def _names(
    tokens: Sequence[tuple[str, bool]], mid_capitals: set[str], speakers: set[str]
) -> Iterable[str]:
    """Runs of name words in a sentence: "Halden Bank", "Vantor V3", "NPU"."""
    run: list[str] = []
    first_word = True
    for text, is_word in [*tokens, ("", False)]:
        name_word = is_word and _name_word(text, first_word, mid_capitals, speakers)
        if is_word:
            first_word = False
        if name_word:
            run.append(text.removesuffix("'s").removesuffix("’s"))
            continue
        if run:
            yield " ".join(run)
            run = []


def _name_word(text: str, first: bool, mid_capitals: set[str], speakers: set[str]) -> bool:
    low = text.lower().replace("’", "'")
    if low in _NOT_NAMES or low in _CALENDAR or low.removesuffix("'s") in speakers:
        return False
    if _ACRONYM.match(text) or (_MODEL_NAME.match(text) and not text.isdigit()):
        return not text.isdigit() and not re.match(r"^\d+(st|nd|rd|th|s)?$", text)
    if not text[:1].isupper() or len(text) < 2:
        return False
    if "'" in low and low.split("'")[0] in speakers:
        return False  # "C'est", "L'an": an elided article or pronoun, not a name
    # A capital at the head of a sentence is a name only if it also comes mid-sentence.
    return not first or text in mid_capitals
