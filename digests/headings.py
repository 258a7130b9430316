"""Key-point headings: a short noun phrase naming what a stretch of the episode is about.

An editor titles a section with its subject: "Training-data contamination", "Battery
life under load", "Budget for the remote control". The offline backend gets there from
the section's own words:

  1. noun-phrase chunks: runs of content words, unbroken by punctuation, allowed one
     "of"/"for" ("de", "du", "des", "à"...) with its article inside ("price of the
     remote", "levée de fonds"), never opening or closing on a verb form, an adverb or
     an adjective alone;
  2. each chunk weighed by how often the section (and, less, its neighbours) says its
     words, times how often the whole episode does: a subject the episode keeps
     coming back to names its parts better than a word said twice, as the human
     topic names of bench/summary_quality.py show;
  3. the heading is the best chunk of two words or more, or the best word grown into a
     chunk it is said in ("battery" -> "battery life"); never two loose words joined by
     "and", never an earlier heading again, and an earlier heading's words cost a
     little ("Remote control price" may follow "Remote control buttons").

Why by hand: keyphrase libraries that fit (pure Python, no model to download) rank the
phrases of one text (YAKE, RAKE, TextRank keywords); a heading needs what sets one
section apart from the others of the same episode, and it must come in well under a
second for an hour of speech. RAKE needs NLTK data that cannot be downloaded; YAKE
ranks n-grams that cross noun-phrase edges and adds four dependencies.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field

from digests.writing import heading_breaks

# Connectors allowed inside a phrase, and the articles that may follow them.
_CONNECTORS = {
    "en": frozenset({"of", "for"}),
    "fr": frozenset({"de", "du", "des", "d", "à", "au", "aux", "pour", "sur", "en"}),
}
_ARTICLES = {
    "en": frozenset({"the", "a", "an"}),
    "fr": frozenset({"la", "le", "les", "l"}),
}
_EN_ADJECTIVE_ENDINGS = ("ous", "ful", "ive", "able", "ible", "less", "ish", "ical", "iest")
_EN_ADJECTIVES = frozenset(
    "new old big small large huge tiny good bad great best better worse worst high low "
    "long short full main major minor real whole same other own early late easy hard "
    "cheap expensive fast slow free open closed possible likely current recent final "
    "general specific simple clear sure able available particular certain overall "
    "basic nice fine cool okay right wrong true false important different interesting "
    "similar typical usual normal strong weak next previous last first second third newer "
    "older bigger smaller larger higher lower faster slower cheaper fewer greater earlier "
    "later longer shorter stronger weaker younger easier harder median average".split()
)
_FR_ADJECTIVES = frozenset(
    "nouveau nouvelle nouveaux nouvelles grand grande grands grandes petit petite petits "
    "petites gros grosse bon bonne bons bonnes mauvais vrai vraie premier première "
    "dernier dernière prochain prochaine seul seule même mêmes autre autres certain "
    "certaine tel telle possible important importante différent différente simple "
    "principal principale général générale actuel actuelle suivant suivante suivants "
    "suivantes précédent précédente précédents précédentes".split()
)


# How chunks are weighed; set on the QMSum validation split (bench/summary_quality.py).
WEIGHTS = {
    "idf_floor": 10.0,  # added to the IDF over sections: shared subjects still count
    "near": 0.4,  # a neighbouring section's counts weigh this much, the next one's squared...
    "episode": 1.0,  # ...times the word's count in the whole episode to this power
    "length": 0.2,  # a chunk's weight is its words' sum over its length to this power
    "said": 2.0,  # factor for a chunk the key point's body says: the reader finds it below
    "reuse": 3.0,  # softens the cost of words an earlier heading used (0: barred)
    "second": 0.7,  # a second chunk this strong joins the first ("X and Y")
}


def _adjective(word: str, language: str) -> bool:
    if language == "fr":
        return word in _FR_ADJECTIVES
    return word in _EN_ADJECTIVES or (len(word) > 5 and word.endswith(_EN_ADJECTIVE_ENDINGS))


def _adverb(word: str, language: str) -> bool:
    if language == "fr":
        return len(word) > 6 and word.endswith("ment")
    return len(word) > 4 and word.endswith("ly")


@dataclass(slots=True)
class Chunk:
    key: str  # stems of the content words, joined by spaces
    size: int  # content words
    surfaces: Counter[str] = field(default_factory=Counter)
    sentences: set[int] = field(default_factory=set)  # where the section says it

    def text(self) -> str:
        # The most said form; among equals, the one with the most capitals (names).
        return max(self.surfaces.items(), key=lambda kv: (kv[1], sum(map(str.isupper, kv[0]))))[0]


class Words:
    """What the heading builder needs to know of the summariser's vocabulary."""

    def __init__(self, *, stop, stem, verbish, generic, content_form) -> None:
        self.stop = stop
        self.stem = stem
        self.verbish = verbish
        self.generic = generic
        self.content_form = content_form


# Words after which a noun comes. Without a tagger, a word the episode never says
# after one of these is taken for a verb or an adverb rather than a noun ("cable
# loses", "founders negotiate", "puces consomme"): a heading must close (English)
# or open (French) on a word said as a noun somewhere.
_DETERMINERS = {
    "en": frozenset(
        "the a an this that these those our your their its his her my some any every each "
        "no more most many few several".split()
    ),
    "fr": frozenset(
        "le la les un une des du au aux ce cet cette ces son sa ses leur leurs notre nos "
        "votre vos mon ma mes chaque plusieurs quelques".split()
    ),
}
# Words the summariser's stop lists let through that never belong in a title.
_NOT_CONTENT = frozenset(
    "dot anymore instead etc else okay vers toujours jamais souvent environ presque surtout "
    "plutôt ailleurs longtemps vite mieux moins pire chez sinon dès grâce monde plupart abord "
    "percent "
    "percentage "
    "hour hours minute minutes second seconds day days week weeks month months year years "
    "heure heures jour jours semaine semaines mois an ans année années pourcentage".split()
)
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred thousand million billion trillion dozen half first second third "
    "fourth fifth sixth seventh eighth ninth tenth premier première deuxième troisième "
    "quatrième cinquième "
    "deux trois quatre cinq sept huit neuf dix onze douze treize quatorze quinze seize "
    "vingt trente quarante cinquante soixante cent cents mille million millions milliard "
    "milliards moitié".split()
)
# Spoken "-ing" forms that are nouns and may close an English heading.
_ING_NOUNS = frozenset(
    "training funding pricing computing learning recording building meeting processing "
    "engineering marketing hosting scaling caching switching testing reasoning setting "
    "settings offering offerings listing spending pairing warning warnings rating "
    "ratings filing filings ring string thing morning evening ceiling wedding clothing "
    "housing planning routing banking mining lending trading shipping booking coding "
    "rendering logging tracking monitoring networking streaming printing packaging "
    "labeling labelling reporting onboarding licensing understanding funding".split()
)


_EN_ADJECTIVE_LIKE = ("al", "ic", "ive", "ous", "ful", "ary", "less", "able", "ible", "ish",
                      "ant", "ent", "er", "ed", "ian", "ese", "ern")  # fmt: skip
_FR_ADJECTIVE_LIKE = ("é", "ée", "és", "ées", "al", "ale", "aux", "ales", "el", "elle", "els",
                      "elles", "ique", "iques", "ien", "ienne", "iens", "iennes", "if", "ive",
                      "ifs", "ives", "eux", "euse", "euses", "aire", "aires", "ible", "ibles",
                      "able", "ables", "ant", "ante", "ants", "antes", "ais", "aise", "aises",
                      "ois", "oise", "oises", "ier", "ière", "iers", "ières", "ain", "aine",
                      "ains", "aines", "eur", "eurs", "ste", "stes")  # fmt: skip


_EN_DEMONYM = re.compile(r"^[A-Z][a-z]+(an|ian|ese|ish|ic)$")


def _plural_fr(word: str) -> bool:
    return word.endswith(("s", "x")) and not word.endswith(("ais", "ois", "ès"))


def _adjective_like(word: str, language: str) -> bool:
    endings = _FR_ADJECTIVE_LIKE if language == "fr" else _EN_ADJECTIVE_LIKE
    return len(word) > 3 and word.endswith(endings)


# Plurals that do modify a following noun ("sales team", "news site").
_PLURAL_MODIFIERS = frozenset(
    "sales news series analytics physics economics politics systems operations "
    "communications services jobs arms sports savings earnings".split()
)
# Words after which a verb comes: a word said there is a verb (unless the episode also
# says it after a determiner: "the update", "le compte").
_SUBJECTS = {
    "en": frozenset(
        "i we you they he she it who to will can could would should must don't doesn't "
        "didn't won't can't cannot".split()
    ),
    "fr": frozenset("je j tu il elle on nous vous ils elles qui ne n se s".split()),
}

# Words that follow the head of an English noun phrase ("the battery life of...",
# "the remote control is...").
_AFTER_HEAD = frozenset(
    "of is are was were has have had will can could would should in for with on at from "
    "that which who".split()
)
_FR_PARTITIVES = frozenset({"de", "d", "du", "des"})


def nounish_words(
    sentences: Iterable[Sequence[tuple[str, bool]]], language: str, stop: Set[str] = frozenset()
) -> set[str]:
    """Lower-case words the episode says as nouns, give or take: right after a
    determiner ("the cable", "l'attaque"); in English, also a word closing a phrase
    that a determiner or another word opened ("the battery life of", "a secure
    element,"); in French, a word after "de" that is not an infinitive ("levée de
    fonds", not "décidé de payer")."""
    determiners, subjects = _DETERMINERS[language], _SUBJECTS[language]
    out: set[str] = set()
    determined: set[str] = set()
    verbs: set[str] = set()
    for tokens in sentences:
        low = [t.lower().replace("’", "'") if ok else "" for t, ok in tokens]
        for i, word in enumerate(low[1:], start=1):
            if word and low[i - 1] in subjects:
                verbs.add(word)
        for i, word in enumerate(low):
            if not word:
                continue
            previous = low[i - 1] if i else ""
            if previous in determiners:
                determined.add(word)
            if language == "fr":
                if word[:2] == "l'" and len(word) > 3:
                    determined.add(word[2:])
                elif word[:2] == "d'" and len(word) > 3:
                    out.add(word[2:])
                if previous in _FR_PARTITIVES and not word.endswith(("er", "ir", "re")):
                    out.add(word)
                continue
            nxt_is_word = i + 1 < len(tokens) and tokens[i + 1][1]
            closes = not nxt_is_word or low[i + 1] in _AFTER_HEAD
            if closes and previous and previous not in stop and word not in stop:
                out.add(word)
    # "the function runs": a word ending in -s whose stem the episode uses as a verb.
    verbs |= {f"{v}s" for v in verbs}
    return determined | (out - verbs)


def chunks(
    tokens: Sequence[tuple[str, bool]],
    language: str,
    words: Words,
    nouns: Set[str] | None = None,
) -> Iterable[Chunk]:
    """Noun-phrase chunks of one sentence, given as (token text, is a word) pairs.

    Every sub-run of content words is offered (so that "battery life" is counted inside
    "long battery life"), with at most one connector inside. With `nouns` (see
    nounish_words), the head must be one of them: the last word in English, the first
    in French.
    """
    connectors, articles = _CONNECTORS[language], _ARTICLES[language]
    raw = [t for t, _w in tokens]
    low = [t.lower().replace("’", "'") for t in raw]
    forms = [
        words.content_form(w, language) if ok else w
        for w, (_t, ok) in zip(low, tokens, strict=True)
    ]
    first_word = next((i for i, (_t, ok) in enumerate(tokens) if ok), -1)

    def content(i: int) -> bool:
        w = forms[i]
        return (
            tokens[i][1]
            and w not in words.stop
            and w not in _NOT_CONTENT
            and (len(w) > 2 or raw[i].isupper())
            and not w.isdigit()
            and w not in _NUMBER_WORDS
            and not (w.split("-")[0] in _NUMBER_WORDS and w.split("-")[-1] in _NUMBER_WORDS)
            and not words.verbish(w)
            and not _adverb(w, language)
        )

    def noun(i: int) -> bool:
        return nouns is None or forms[i] in nouns or low[i] in nouns or raw[i][:1].isupper()

    def fits(i: int, after_connector: bool) -> bool:
        """A word that may stand beside the head: a noun, a name, an adjective.

        French puts adjectives after the noun and joins nouns with "de": a noun right
        after the head ("équipe informatique compte") is a verb more often than not.
        """
        if nouns is None or raw[i][:1].isupper() or "-" in forms[i]:
            return True
        if language == "fr" and not after_connector:
            # An adjective agrees with its noun: "sauvegardes stockée" is no phrase.
            agrees = _plural_fr(forms[i - 1]) == _plural_fr(forms[i])
            return agrees and _adjective_like(forms[i], language)
        if noun(i):
            return True
        return not after_connector and _adjective_like(forms[i], language)

    def plural_modifier(i: int) -> bool:
        """English compounds modify with the singular: "browsers update" is a clause."""
        w = low[i]
        return (
            language == "en"
            and len(w) > 3
            and w.endswith("s")
            and not w.endswith(("ss", "us", "is", "'s"))
            and w not in _PLURAL_MODIFIERS
            and not raw[i].isupper()
        )

    def can_open(i: int) -> bool:
        if not content(i) or (language == "en" and forms[i] in _EN_ADJECTIVES):
            return False  # "Best model", "Different wallet": a vague word opens badly
        if language == "fr":
            return not _adjective(forms[i], language) and noun(i)
        # "Registry's incident", "year's chips": a common noun's possessive opens badly.
        if low[i].endswith("'s") and raw[i][:1].islower():
            return False
        if low[i].endswith("ing") and low[i] not in _ING_NOUNS:
            return False  # "Turning development environments": a clause, not a subject
        return fits(i, False)

    def can_close(i: int, size: int) -> bool:
        if not content(i) or _adjective(forms[i], language) or low[i].endswith("'s"):
            return False
        if language == "fr":
            return True
        if size > 1 and low[i].endswith("ing") and low[i] not in _ING_NOUNS:
            return False  # "satellites passing", "language model running"
        if _EN_DEMONYM.match(raw[i]):
            return False  # "Standard European": an adjective, whatever its capital
        return noun(i)

    n = len(tokens)
    for i in range(n):
        if not can_open(i):
            continue
        size = 0
        joined = False
        j = i
        after_connector = False
        while j < n and size < 4:
            if content(j):
                if j > i and (not fits(j, after_connector) or plural_modifier(j - 1)):
                    break
                after_connector = False
                size += 1
                if can_close(j, size):
                    yield _chunk(
                        raw, forms, i, j, connectors | articles, language, words, i == first_word
                    )
                j += 1
                continue
            # One connector, then an optional article, then content again.
            if joined or size == 0 or forms[j] not in connectors:
                break
            k = j + 1
            if k < n and forms[k] in articles:
                k += 1
            if k >= n or not content(k):
                break
            joined = True
            after_connector = True
            j = k


def _chunk(raw, forms, i, j, skip, language: str, words: Words, opens_sentence: bool) -> Chunk:
    stems = [words.stem(forms[x], language) for x in range(i, j + 1) if forms[x] not in skip]
    # Show "énergie" for "l'énergie": the elided article belongs to the sentence.
    first = raw[i][len(raw[i]) - len(forms[i]) :]
    if opens_sentence and not first.isupper():
        # A capital that only opens a sentence is not a name ("Boring industries").
        first = first[:1].lower() + first[1:]
    surface = " ".join([first, *raw[i + 1 : j + 1]]).replace(" '", "'").replace("' ", "'")
    chunk = Chunk(" ".join(stems), len(stems))
    chunk.surfaces[surface] += 1
    return chunk


def sentence_chunks(
    sentences: Sequence[Sequence[tuple[str, bool]]],
    language: str,
    words: Words,
    nouns: Set[str],
) -> list[list[Chunk]]:
    """Every sentence's chunks (nouns: nounish_words of the whole episode): the
    headings and the tags both read this, so it is worked out once."""
    return [list(chunks(tokens, language, words, nouns)) for tokens in sentences]


def section_chunks(
    per_sentence: Sequence[Sequence[Chunk]], sections: Sequence[int]
) -> list[dict[str, Chunk]]:
    """Per section, its chunks with their counts, from every sentence's chunks and the
    section number of each sentence."""
    table: list[dict[str, Chunk]] = [{} for _ in range(max(sections, default=-1) + 1)]
    for number, (found, section) in enumerate(zip(per_sentence, sections, strict=True)):
        bucket = table[section]
        for c in found:
            have = bucket.get(c.key)
            if have is None:
                have = bucket[c.key] = Chunk(c.key, c.size, Counter(c.surfaces))
            else:
                have.surfaces.update(c.surfaces)
            have.sentences.add(number)
    return table


def rank(
    table: list[dict[str, Chunk]],
    stem_counts: Sequence[Counter[str]],
    language: str,
    words: Words,
) -> list[list[tuple[float, Chunk]]]:
    """Per section, chunks by weight: made of the words this stretch of the episode
    says most, and the episode says often.

    A word's weight is its count in the section and, less and less, in the sections
    around it (a subject runs over more than one section: the annotators of the
    meetings we measure on name stretches of several), times its count in the whole
    episode (what the episode keeps coming back to names its parts better than a
    word said twice), times a softened IDF over sections. A chunk's weight is the sum
    of its words', divided very gently by its length: "function of the remote
    control" says more than "function key". Chunks said once are kept: "battery
    design" may be said once in a section that says "battery" twenty times.
    """
    k = len(table)
    spread: Counter[str] = Counter()
    episode: Counter[str] = Counter()
    for counts in stem_counts:
        spread.update(counts.keys())
        episode.update(counts)
    ranked = []
    for number, bucket in enumerate(table):
        nearby: Counter[str] = Counter()
        for other, counts in enumerate(stem_counts):
            factor = WEIGHTS["near"] ** abs(other - number)
            if factor >= 0.01:
                for s, n in counts.items():
                    nearby[s] += n * factor
        items = []
        for key, c in bucket.items():
            stems = key.split()
            worth = [
                0.0
                if generic_term(s, words, language)
                else nearby[s]
                * episode[s] ** WEIGHTS["episode"]
                * (WEIGHTS["idf_floor"] + math.log(1 + k / max(1, spread[s])))
                for s in stems
            ]
            if not any(worth):
                continue
            items.append((sum(worth) / len(stems) ** WEIGHTS["length"], c))
        items.sort(key=lambda x: (-x[0], x[1].key))
        ranked.append(items)
    return ranked


def generic_term(term: str, words: Words, language: str) -> bool:
    """Vague words and number words ("vingt-quatre") name no subject, alone or joined."""
    return term in words.generic or all(part in words.generic for part in term.split("-"))


def heading(
    ranked: Sequence[tuple[float, Chunk]],
    used: set[str],
    language: str,
    *,
    said: Set[str] = frozenset(),
) -> str:
    """The best chunk of two words or more that titles well and is not an earlier
    heading; joined by "and" with a second chunk when the section is as much about
    that ("Storage disks and computer connections").

    `used` holds the stems and the chunk keys of earlier headings: a word an earlier
    heading used costs a little ("Remote control price" after "Remote control
    buttons" is fine), the same chunk twice is barred. `said` holds the keys of
    chunks the key point's body says.
    """
    options = []
    reuse = WEIGHTS["reuse"]
    cut = _cut_compounds(ranked) if language == "en" else frozenset()
    for weight, c in ranked:
        if c.key in used or c.key in cut:
            continue
        stems = c.key.split()
        fresh = sum(s not in used for s in stems)
        if not fresh and not reuse:
            continue
        weight *= (WEIGHTS["said"] if c.key in said else 1.0) * (
            (fresh + reuse) / (len(stems) + reuse)
        )
        options.append((weight, c))
    options.sort(key=lambda x: (-x[0], x[1].key))
    multi = [(w, c) for w, c in options if c.size > 1]
    for weight, c in multi[:40]:
        text = c.text()
        if heading_breaks(title(text, language), language):
            continue
        taken = set(c.key.split())
        for other_weight, other in multi:
            if other_weight < WEIGHTS["second"] * weight:
                break
            if taken & set(other.key.split()) or not c.sentences & other.sentences:
                continue  # two subjects said together, not two loose words
            joined = f"{text} {'and' if language == 'en' else 'et'} {other.text()}"
            if len(joined.split()) <= 6 and not heading_breaks(title(joined, language), language):
                text = joined
                taken.update(other.key.split())
            break
        used.update(taken)
        used.add(c.key)
        return title(text, language)
    for _weight, c in options[:40]:
        text = title(_grown(c, options), language)
        if not heading_breaks(text, language):
            used.update(c.key.split())
            used.add(c.key)
            return text
    return ""


def _cut_compounds(ranked: Sequence[tuple[float, Chunk]]) -> set[str]:
    """English chunks the section never says but as the start of a longer one ("agent
    pull" of "agent pull request"): their last word is a modifier, not a head."""
    said = {c.key: sum(c.surfaces.values()) for _w, c in ranked}
    cut = set()
    for key, n in said.items():
        stems = key.split()
        for end in range(1, len(stems)):
            start = " ".join(stems[:end])
            if said.get(start, 0) and said[start] <= n:
                cut.add(start)
    return cut


def _grown(single: Chunk, options: Sequence[tuple[float, Chunk]]) -> str:
    """A lone word grown into the strongest longer chunk that holds it, if any."""
    for _weight, c in options:
        if c.size > 1 and single.key in c.key.split():
            return c.text()
    return single.text()


def title(text: str, language: str) -> str:
    """Sentence case, as editors title sections: the first letter up, names as said."""
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]
