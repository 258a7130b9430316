"""The offline extractive summariser: the default digest backend, with no network.

It never writes a word that was not said: every sentence of the digest is a cleaned
sentence of the transcript, and every quote is an exact span of one segment's text.

Pipeline
  1. tokenise each segment, remembering where every token sits in the segment's text;
  2. clean: mark fillers, disfluencies (repeats, false starts), sound annotations;
  3. split the kept tokens into sentences (own splitter: punctuation, abbreviations,
     speaker turns, and a length cap for unpunctuated captions);
  4. drop whole sentences that are greetings, sponsor reads or channel housekeeping;
  5. weigh words with TF-IDF over sentences and find topical sections by lexical
     cohesion (TextTiling depth scores, deepened where a speaker says "let's talk
     about..."), in time order, five to ten of them depending on length;
  6. rank sentences by graph centrality (LexRank on TF-IDF cosine) plus the coverage
     of frequent concepts, with small priors (length, opening, agenda words, the
     host's voice) and MMR so that the digest does not repeat itself;
  7. build the TL;DR (the episode's own statement of its subject, then its most
     central sentence) and a conclusion from the closing stretch, both of sentences a
     reader can take alone (writing.py: no fragment, no opener, nothing that leans on
     the sentence before); one key point per section: a heading naming the section's
     subject (headings.py), a body, the start second of the body's first sentence and
     a verbatim quote from that segment; scoring.py scores it and picks a topic,
     tags.py picks the tags.

Nothing here reads a reference summary: the weights in TUNING were set once on the
QMSum validation split (bench/summary_quality.py) and are plain constants.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from articles.transcript_data import Segment
from digests import headings, scoring, tags, writing
from digests.base import (
    DigestData,
    KeyPointData,
    SummarizationError,
    TopicChoice,
    TranscriptInput,
    score_from_parts,
)

VERSION = "extractive-1"
LANGUAGES = ("en", "fr")

# Below these the transcript cannot give a TL;DR, five key points and a conclusion.
MIN_WORDS = 150
MIN_CANDIDATES = 8
MIN_KEY_POINTS = 5
MAX_KEY_POINTS = 10
# Bounds on work and memory for very long transcripts (about nine hours of speech).
MAX_WORDS = 80_000
MAX_TERMS = 3_000  # columns of the TF-IDF matrix
MAX_GRAPH = 3_000  # sentences above which LexRank gives way to centroid similarity
QUOTE_MIN_WORDS = 6
QUOTE_MAX_WORDS = 30

# How the parts of a sentence's worth are mixed; set on the QMSum validation split
# (bench/summary_quality.py), with round values rather than over-fitted ones.
TUNING: dict[str, float] = {
    "centrality": 0.5,  # LexRank, 1.0 for an average sentence
    "coverage": 0.15,  # frequent-concept mass per word**length_exponent
    "length_exponent": 0.7,
    "full_length": 12,  # words under which a sentence is discounted
    "long_length": 40,  # words over which a sentence is discounted
    "opening_boost": 0.25,  # openings say what an episode is about
    "cue_boost": 1.2,  # "today we...", "the main goal is...", "announced"
    "redundancy": 0.9,  # MMR: how much overlap with chosen sentences costs
    "words_per_point": 2000,  # one more key point per this many words after 3,000
    "tldr_opening": 0.2,  # share of the episode where the TL;DR's first sentence is sought
    "closing_share": 0.12,  # share of the words, at the end, where the conclusion is sought
    "extra_sections": 2,  # key points allowed beyond the usual count for many subjects
    "strong_valley": 1.0,  # a valley this many deviations deeper than usual is a new subject
    "oversized": 1.5,  # a section this many times the mean length is split in two
    "transition_bonus": 0.5,  # depth added before "let's talk about..." (cosine units)
    "dangling": 0.6,  # a sentence opening on "which", "but", "so"... needs context
    "anaphora": 0.6,  # a sentence opening on "that", "they", "it"... leans on the last one
    "first_speaker": 1.3,  # the host or chair, who frames the discussion
    "first_person": 0.7,  # "I think my..." is opinion more than content
}

# --------------------------------------------------------------------------- words

_EN_STOPWORDS = """
a about above after again against ago all almost along already also although always am
among an and another any anybody anyone anything anyway anyways anywhere are aren't around
as at away back be became because become been before being below beside besides between
beyond both but by can can't cannot could couldn't did didn't do does doesn't doing don't
done down during each either else enough even ever every everybody everyone everything
everywhere few for from further get gets getting give given gives go goes going gone gonna
got gotta had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers
herself him himself his how how's however i i'd i'll i'm i've if in indeed instead into is
isn't it it'd it'll it's its itself just kind kinda last least less let let's like likely
lot lots made make makes making many may maybe me mean means might mine more most much must
my myself need needs neither never no nobody none nor not nothing now of off often oh ok
okay on once one ones only onto or other others otherwise our ours ourselves out over own
perhaps please pretty put quite rather really right said same say saying says see seem
seems seen several shall she she'd she'll she's should shouldn't since so some somebody
someone something sometimes somewhat sort still stuff such sure take takes talk talked
talking tell than thank thanks that that'd that'll that's the their theirs them themselves
then there there'd there'll there's these they they'd they'll they're they've thing things
think thinking this those though thought through thus to together too toward towards try
trying um uh under until up upon us use used using very via wanna want wants was wasn't way
we we'd we'll we're we've well went were weren't what what's whatever when where where's
whether which while who who's whoever whole whom whose why will with within without won't
would wouldn't yeah yep yes yet you you'd you'll you're you've your yours yourself
yourselves actually basically literally probably definitely obviously totally certainly
know knew guess bit little stuff anyway gonna hmm mm mhm ah er erm hey hi hello also
another able across again ahead along already bunch came come comes coming could each
else far fine get good great happen happened happens keep kind look looking looks lots
mostly new next nice part per quick quickly real saw second seeing seemed simply start
started stuff tell things thought three two use yeah four five six seven eight nine ten
first whatever wow word words
"""

_FR_STOPWORDS = """
a à afin ai aie aient aies ait alors as au aucun aucune auquel aura aurai auraient aurais
aurait auras aurez auriez aurions aurons auront aussi autre autres aux auxquels avaient
avais avait avant avec avez aviez avions avoir avons ayant bah ben beaucoup bien bon bref
c ça car ce ceci cela celle celles celui cependant certain certaine certaines certains ces
cet cette ceux chaque chez ci comme comment d dans de déjà des desquels deux devant doit
donc dont du duquel elle elles en encore enfin entre es est et étaient étais était étant
été êtes étiez étions être eu eue eues euh eûmes eurent eus eusse eut eux fait faire fais
faut fois font hein heu hum il ils j je jusqu jusque l la là laquelle le lequel les
lesquelles lesquels leur leurs lui m ma mais me même mêmes mes moi moins mon n ne ni non
nos notre nous o on ont ou où ouais oui par parce pas peu peut peuvent peux plus plutôt
pour pourquoi qu quand que quel quelle quelles quels qui quoi s sa sans se sera serai
seraient serais serait seras serez seriez serions serons seront ses si sien soi soient
sois soit sommes son sont sous suis sur t ta te tes toi ton tous tout toute toutes très
trop tu un une unes uns va vais vas voici voilà vont vos votre vous vu y genre truc trucs
chose choses coup dire dis dit disons sais sait savoir voir vois voit veux veut vraiment
juste aussi assez ok okay d'accord alors là-dessus ici maintenant après avant ensuite
aujourd'hui hui beaucoup tellement quelque quelques rien tout-à-fait vachement super
allez allons aller peut-être puis donc également entre selon depuis pendant chez contre
"""

STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(_EN_STOPWORDS.split()),
    "fr": frozenset(_FR_STOPWORDS.split()),
}

# Tokens that are never content, wherever they occur.
_FILLERS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "um umm ummm uh uhh uhm er erm ah ahh hmm hm mm mmm mhm mm-hmm uh-huh huh eh".split()
    ),
    "fr": frozenset("euh euuh heu hum hmm mm mmm bah ben beh bof pff hein".split()),
}


def _phrase_list(text: str) -> tuple[tuple[str, ...], ...]:
    """'you know|i mean' -> (('you', 'know'), ('i', 'mean'))."""
    return tuple(tuple(phrase.split()) for phrase in text.split("|"))


# Discourse markers that are filler when a pause (punctuation or a turn edge) is next
# to them; inside a clause they often carry meaning ("you know the answer").
_PAUSE_FILLERS = {
    "en": _phrase_list(
        "you know|i mean|you see|sort of|kind of|like|basically|actually|literally|so yeah"
        "|or whatever|and stuff|or something|and so on|yeah|yep|okay|ok|alright|nah|oh|wow"
        "|kay|'kay|of course"
    ),
    "fr": _phrase_list(
        "tu vois|tu sais|vous voyez|vous savez|voilà|quoi|genre|enfin|disons|bon|bref|en gros"
        "|ouais|ok|d'accord|bien sûr"
    ),
}

# Markers that are filler in any position.
_ALWAYS_FILLERS = {
    "en": _phrase_list("you know what i mean"),
    "fr": _phrase_list("du coup|en fait|tu vois|tu sais"),
}

# Words that open a spoken sentence without adding to it ("Okay, so the plan is...").
_OPENERS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "okay ok alright right yeah yep yes well so oh anyway now and um uh also basically "
        "actually literally".split()
    ),
    "fr": frozenset("alors bon ben bah ouais oui donc et bref voilà enfin euh ok".split()),
}
# Openers that are filler only when a comma follows ("Honestly, the founder..." but
# "Look at the numbers").
_COMMA_OPENERS: dict[str, frozenset[str]] = {
    "en": frozenset("honestly look listen plus see".split()),
    "fr": frozenset("écoute écoutez franchement puis honnêtement regarde".split()),
}

# Hedges that open a sentence; dropped there and nowhere else.
_HEDGES = {
    "en": _phrase_list(
        "i think|i guess|i believe|i suppose|i mean|i would say|i'd say|i feel like|i feel"
        "|we think|it seems like"
    ),
    "fr": _phrase_list("je pense|je crois|je trouve|on va dire|je dirais|il me semble"),
}

_LETTER_WORDS = frozenset("a i o à y ô".split())
_REPEAT_OK = frozenset({"that", "had", "is", "very", "bye", "no", "ha", "vous", "nous"})
_ANNOTATIONS = frozenset(
    "music laughter laughs laughing applause inaudible crosstalk silence noise "
    "musique rires rire applaudissements inaudible bruit".split()
)
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st vs etc jr sr inc ltd co corp mt fig approx dept est "
    "m mme mlle cf env".split()
)

# Phrases that mark a sentence as greeting, housekeeping or advertising, per language.
_GREETING = {
    "en": re.compile(
        r"^(hi|hello|hey|good (morning|afternoon|evening))\b"
        r"|\bwelcome (back )?to (the|our|this|another|episode)\b"
        r"|\bthanks? (you )?(so much |very much )?(for )?(having (me|us)|listening|watching"
        r"|joining|tuning in|coming on|being here|being on)\b"
        r"|\b(see|talk to|catch) you (next|all|guys|soon|later|then)\b"
        r"|^(bye|goodbye|cheers)\b|\bi'?m your host\b|\buntil next time\b"
        r"|\bthat'?s (it|all) for (today|this week|this episode|now)\b"
        r"|\bthank you (all|everyone|everybody)\b|\bhave a (good|great|nice) (one|day|week)\b"
        r"|\b(i'?m here with|i'?m joined by|with me (today|as always|again|this week))\b"
    ),
    "fr": re.compile(
        r"^(bonjour|salut|bonsoir|coucou)\b|\bbienvenue (à|a|dans|sur)\b"
        r"|\bmerci (beaucoup |bien )?(de|pour|d')\s?(nous |m')?(avoir )?(écout|regard|suiv"
        r"|invit|accueil|être (venu|là|avec))"
        r"|\bà (la semaine prochaine|bientôt|très vite|la prochaine)\b"
        r"|\bc'est tout pour (aujourd'hui|cette semaine|cet épisode)\b"
        r"|\bmerci (à tous|à toutes|à vous)\b|^(au revoir|salut)\b"
        r"|\bavec moi (comme|aujourd'hui|cette semaine|il y a|pour)|^je suis .{0,40}votre hôte"
    ),
}
_HOUSEKEEPING = {
    "en": re.compile(
        r"\bsubscrib|\bshow ?notes\b|\blinks? (is |are )?(in|below)\b|\bin the description\b"
        r"|\brate,? (and )?review\b|\b(leave|drop) (us )?an? (comment|review|rating)\b"
        r"|\bhit the (like|bell|subscribe)\b|\bsmash (that|the) like\b|\bpatreon\b"
        r"|\bfollow us on\b|\bjoin (our|the) (discord|community|slack)\b|\bbell icon\b"
        r"|\blike button\b|\bfive[- ]star\b|\bapple podcasts\b|\bwherever you get your podcasts\b"
    ),
    "fr": re.compile(
        r"\babonne[zr]?\b|\babonnez-vous\b|\babonnement\b|\bdans la description\b"
        r"|\bnotes de l'épisode\b|\blaissez[- ](nous[- ])?(un|une) (commentaire|avis|note)\b"
        r"|\bpouce bleu\b|\bcloche\b|\bcinq étoiles\b|\bpartagez (cet|l')\s?épisode\b"
        r"|\bapple podcasts\b|\bspotify\b|\bsuivez-nous\b|\btipeee\b|\bpatreon\b"
    ),
}
_SPONSOR = {
    "en": re.compile(
        r"\b(brought to you by|sponsored by|our sponsors?\b|today'?s sponsor|episode'?s sponsor"
        r"|a word from our|support for (this|the) (show|podcast|episode) comes from"
        r"|promo code|use (the )?code|discount code|percent off|% off|free trial"
        r"|(this|the) (show|episode|podcast) is supported by|\b(is|are) (proudly )?supported by"
        r"|^quick break\b)"
    ),
    "fr": re.compile(
        r"(sponsor|code promo|avec le code|essai gratuit|partenaire de (cet|l')\s?épisode"
        r"|(cet épisode|ce podcast|cette émission|cette vidéo) (est|vous est) "
        r"(sponsorisée?|soutenue?|présentée?|proposée?|offerte?)|% de réduction)"
    ),
}
_SPONSOR_NAME = re.compile(r"\b(?:by|par)\s+([A-Z][\w-]{2,})")
_COMMERCIAL = {
    "en": re.compile(
        r"\b(code|offer|discount|visit|sign up|go to|\.com|dot com|free|trial|percent|today"
        r"|website|download|app|checkout|check out|get started|plans? start|deal|order)\b"
    ),
    "fr": re.compile(
        r"\b(code|offre|réduction|rendez-vous sur|allez sur|\.com|point com|gratuit|essai"
        r"|site|télécharge|application|abonnement|profitez|commande)"
    ),
}
# Sentences about the show itself rather than its subject: how to listen, earlier or
# later episodes, coming back after a break, the mailbag's mechanics.
_META = {
    "en": re.compile(
        r"\b(listening to|watching|you'?ll hear) (this|the|today'?s) (episode|show|podcast|video)"
        r"|\byou'?ll hear (some )?(sound|music)|\bsound effects?\b"
        r"|\bwelcome back\b|\bstay tuned\b|\b(we'?ll )?be right back\b|\bafter the break\b"
        r"|\b(last|previous|next|earlier|future|upcoming) (episode|show)s?\b"
        r"|\b(on|in) (a|an) (earlier|previous|future|upcoming) (episode|show)\b"
        r"|\b(email|e-mail|write to|message) us\b|\blet us know\b|\bin the comments\b"
        r"|\b(send|sent) (us )?(your|in) (questions|messages)\b"
        r"|\blet'?s (get (started|into it)|dive in|jump in)\b|\bwithout further ado\b"
        r"|\b(this|the) (episode|show|podcast) (is|was) (recorded|produced|edited|made)\b"
    ),
    "fr": re.compile(
        r"\b(vous )?(écoutez|regardez) (cet|ce|notre) (épisode|podcast|émission|vidéo)"
        r"|\b(épisode|émission) (précédent|précédente|prochain|prochaine|dernier|dernière)\b"
        r"|\b(prochain|dernier|précédent) (épisode|numéro)\b|\brebienvenue\b"
        r"|\brestez (avec nous|à l'écoute)\b|\bon se retrouve\b|\baprès la pause\b"
        r"|\bécrivez-nous\b|\bdites-nous\b|\ben commentaire\b|\bc'est parti\b"
        r"|\bon (commence|attaque|démarre) (tout de suite|sans plus attendre)\b"
        r"|\bbruitages?\b"
    ),
}
_RETURN = {
    "en": re.compile(r"\b(back to (the|our)|anyway|where were we|let'?s get (back|into))\b"),
    "fr": re.compile(r"\b(revenons|reprenons|on reprend|retour à|bref)\b"),
}

# Openers that lean on the previous sentence; such a sentence reads badly alone.
_DANGLING = {
    "en": frozenset(
        "which but because so and or also then plus exactly whereas although though".split()
    ),
    "fr": frozenset("qui mais parce donc et ou puis aussi sauf car alors".split()),
}

# Openers that point back at something said before ("That's why...", "They did it").
_ANAPHORIC = {
    "en": frozenset(
        "that that's this these those they they're they've they'd them it it's its he he's "
        "she she's his her their such".split()
    ),
    "fr": frozenset(
        "ça cela ceci celui celle ceux celles ils elles elle lui leur leurs cette ces ce "
        "c'est c'était".split()
    ),
}

_FIRST_PERSON = {
    "en": frozenset("i i'm i've i'll i'd me my".split()),
    "fr": frozenset("je j'ai moi mon ma mes".split()),
}

# Words with which a speaker moves to the next subject: a likely section boundary.
_TRANSITIONS = {
    "en": re.compile(
        r"^(let'?s (talk|move|turn|get to|switch)|moving on|next( up| topic| item)?\b"
        r"|last (topic|thing|story|item)|another (story|topic)|on to|turning to|speaking of"
        r"|(the )?(first|second|third|final) (topic|item|story)|item (\d+|one|two|three))"
    ),
    "fr": re.compile(
        r"^(passons|parlons|dernier sujet|autre sujet|on passe|place à|changeons"
        r"|(le )?(premier|deuxième|second|troisième) (sujet|point)|sujet suivant)"
    ),
}

# Sentences that announce the subject or conclude; a small prior, not a rule.
_AGENDA_CUES = {
    "en": re.compile(
        r"\b(today we|this (meeting|episode|week)|we'?re (going to|gonna) (talk|discuss|look)"
        r"|the agenda|main (focus|goal|topic|point|purpose)|the (goal|aim|purpose) (is|of)"
        r"|announced|launch(ed|es)?|released?)\b"
    ),
    "fr": re.compile(
        r"\b(aujourd'hui (on|nous)|cet épisode|cette semaine|on va parler|l'ordre du jour"
        r"|l'objectif|le but|annoncé|lancé|sorti)"
    ),
}
_CONCLUSION_CUES = {
    "en": re.compile(
        r"\b(in conclusion|to sum up|to summari[sz]e|bottom line|overall|in the end|the key"
        r"|takeaway|decided|agreed|we will|we'?ll|next (step|meeting|time)|so the)\b"
    ),
    "fr": re.compile(
        r"\b(en conclusion|pour conclure|en résumé|au final|finalement|en somme|à retenir"
        r"|décidé|on retient|prochaine étape)"
    ),
}

_TOKEN_RE = re.compile(
    r"(?:[A-Za-z]\.){2,}"  # U.S., e.g., i.e. stay one token
    r"|\d+(?:[.,:]\d+)+%?"  # 74.4%, 1,200, 10:30
    r"|[^\W_]+(?:[-'’][^\W_]+)*%?"  # words, contractions, hyphenated words, x86, 5G, 50%
    r"|[^\w\s]|_"  # punctuation; "_" too, so that "T_V_" keeps its spelling but counts as T, V
)
_TERMINAL = frozenset(".!?…")
_NO_SPACE_BEFORE = frozenset(",.;:!?%)]}…")
_NO_SPACE_AFTER = frozenset("([{$")


_ELISION = re.compile(r"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|presqu)'(?=\w)")


def content_form(word: str, language: str) -> str:
    """The word a French elision hides ("l'énergie" -> "énergie"); other words unchanged."""
    word = word.lower().replace("’", "'")
    return _ELISION.sub("", word) if language == "fr" else word


def words_of(text: str) -> list[str]:
    """Lower-case word tokens of a text (numbers included, punctuation left out)."""
    return [t.lower() for t in _TOKEN_RE.findall(text) if t[0].isalnum()]


# Longest first: plural, feminine and verb endings that hide a shared stem.
_FR_SUFFIXES = tuple(
    "ements ement ations ation euses euse eurs eur ées és ée er ez es e s x".split()
)


@lru_cache(maxsize=65536)
def stem(word: str, language: str) -> str:
    """A light suffix stripper: enough to match 'models' with 'model' when counting."""
    w = word.lower().replace("’", "'")
    if language == "fr":
        if w.endswith(("enne", "ennes")):
            return w[: w.rindex("enne") + 2]  # européennes -> européen
        for suffix in _FR_SUFFIXES:
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                return w[: -len(suffix)]
        return w
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            w = w[: -len(suffix)]
            if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]  # running -> run
            break
    return w


# Verb forms make poor titles ("Called Korvo Lost"); without a tagger, endings and a
# few frequent verbs keep most of them out of headings and tags.
_EN_VERBS = frozenset(
    "said says told asked lost found made took gave went came called added announced "
    "agreed decided expected reported launched released shipped signed started wanted "
    "needed tried used seems include includes including repaid paid sold bought built grown "
    "known shown taken given written held kept spent told won brought caught taught".split()
)
_FR_VERBS = frozenset(
    "fait font dit ont sont était étaient peut peuvent doit doivent devront va vont "
    "publié annoncé lancé signé levé expliqué permet permettent égale égalent reste restent "
    "vaut valent sert servent coûte coûtent compte comptent semble semblent".split()
)


def _en_verbish(word: str) -> bool:
    return word in _EN_VERBS or (len(word) > 4 and word.endswith("ed"))


def _fr_verbish(word: str) -> bool:
    return word in _FR_VERBS or word.endswith(("aient", "ait", "erait", "eront", "entrent"))


_VERBISH = {"en": _en_verbish, "fr": _fr_verbish}

# Stems too vague to title a key point on their own.
_GENERIC = {
    "en": frozenset(
        stem(w, "en")
        for w in "people person time way idea question problem point part case fact sense reason "
        "example number bit day week year today minute moment strange cool alright great good "
        "nice fine sure exactly percent meeting guy guys everybody someone stuff important "
        "different big small whole kind sort lot million billion thousand hundred two three four "
        "five six seven eight nine ten twenty thirty forty fifty sixty seventy eighty ninety "
        "dollars euros company companies customer customers user users business businesses "
        "team teams product products service services provider providers answer answers "
        "founder founders investor investors".split()
    ),
    "fr": frozenset(
        stem(w, "fr")
        for w in "gens personne temps façon idée question problème point partie cas fait sens "
        "raison exemple nombre jour semaine année moment truc chose important différent grand "
        "petit gros bon super génial vrai près deux trois quatre cinq six sept huit neuf dix "
        "vingt trente quarante cinquante soixante cent mille million milliard euros dollars".split()
    ),
}


def detect_language(text: str) -> str:
    """'fr' when French function words outnumber English ones, else 'en'."""
    en_markers = set("the and is of to that it with this you we".split())
    fr_markers = set(
        "le la les et est des une que qui pour pas dans c'est je nous ça du on".split()
    )
    counts = Counter(words_of(text[:200_000]))
    en = sum(counts[w] for w in en_markers)
    fr = sum(counts[w] for w in fr_markers)
    return "fr" if fr > en else "en"


# ------------------------------------------------------------------------- tokens


@dataclass(slots=True)
class Token:
    text: str
    seg: int  # index of the segment it came from
    start: int  # offsets in that segment's text, for verbatim quotes
    end: int
    word: bool
    dropped: bool = False


@dataclass(slots=True)
class Sentence:
    index: int
    tokens: list[Token]  # kept tokens only, in order
    text: str
    words: list[str]  # lower-case kept words
    terms: list[str]  # stems of content words
    seg: int  # the segment the sentence starts in
    start: float | None
    candidate: bool = False  # may appear in the digest
    section: int = 0


@dataclass(slots=True)
class Prepared:
    """A cleaned transcript: its sentences and what cleaning removed."""

    language: str
    segments: list[Segment]
    sentences: list[Sentence]
    raw_words: int
    dropped_words: int


def _tokenize(segment_index: int, text: str) -> list[Token]:
    return [
        Token(m.group(), segment_index, m.start(), m.end(), m.group()[0].isalnum())
        for m in _TOKEN_RE.finditer(text)
    ]


def _drop_span(tokens: list[Token], i: int, j: int) -> None:
    """Drop tokens[i:j] and the commas that framed them, so no ', ,' is left behind."""
    for t in tokens[i:j]:
        t.dropped = True
    after = tokens[j] if j < len(tokens) else None
    before = tokens[i - 1] if i > 0 else None
    if after is not None and after.text == ",":
        after.dropped = True
        if before is not None and before.text == ",":
            before.dropped = True
    elif before is not None and before.text == "," and (after is None or after.text in _TERMINAL):
        before.dropped = True
    elif after is not None and after.text in {"-", "—", "–", "…"}:
        after.dropped = True


def _at_pause(tokens: list[Token], i: int, j: int) -> bool:
    """True when tokens[i:j] touch punctuation or a segment edge on either side."""
    left = i == 0 or not tokens[i - 1].word
    right = j >= len(tokens) or not tokens[j].word
    return left or right


def _matches(lowered: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    return tuple(lowered[i : i + len(phrase)]) == phrase


def _by_first_word(
    phrases: Iterable[tuple[str, ...]],
) -> dict[str, tuple[tuple[str, ...], ...]]:
    index: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for phrase in phrases:
        index[phrase[0]].append(phrase)
    # Longest first, so "you know what I mean" wins over "you know".
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in index.items()}


# Filler phrases looked up by their first word: cleaning is one dict probe per token.
_FILLER_INDEX = {
    lang: (_by_first_word(_ALWAYS_FILLERS[lang]), _by_first_word(_PAUSE_FILLERS[lang]))
    for lang in ("en", "fr")
}


def _clean_tokens(tokens: list[Token], language: str) -> None:
    """Mark fillers, disfluencies and sound annotations as dropped, in place."""
    lowered = [t.text.lower().replace("’", "'") for t in tokens]
    fillers = _FILLERS[language]
    n = len(tokens)
    # Sound annotations: [music], (laughter).
    for i, tok in enumerate(tokens):
        closed = tok.text in "[(" and i + 2 < n and tokens[i + 2].text in "])"
        if closed and (tok.text == "[" or lowered[i + 1] in _ANNOTATIONS):
            _drop_span(tokens, i, i + 3)
    always, pause = _FILLER_INDEX[language]
    for i, low in enumerate(lowered):
        if tokens[i].dropped or not tokens[i].word:
            continue
        if low in fillers:
            _drop_span(tokens, i, i + 1)
            continue
        for phrase in always.get(low, ()):
            if _matches(lowered, i, phrase):
                _drop_span(tokens, i, i + len(phrase))
                break
        else:
            for phrase in pause.get(low, ()):
                j = i + len(phrase)
                if _matches(lowered, i, phrase) and _at_pause(tokens, i, j):
                    # "like" before a comma is filler; "I like it." is not.
                    if phrase == ("like",) and not (j < n and tokens[j].text == ","):
                        continue
                    _drop_span(tokens, i, j)
                    break
    _drop_repeats(tokens, lowered, language)


def _drop_repeats(tokens: list[Token], lowered: list[str], language: str) -> None:
    """Drop stutters ('the the'), repeated pairs ('on a on a') and false starts ('sh shared')."""
    kept = [i for i, t in enumerate(tokens) if not t.dropped and t.word]
    for a, b in zip(kept, kept[1:], strict=False):
        wa, wb = lowered[a], lowered[b]
        if wa == wb and wa not in _REPEAT_OK:
            tokens[a].dropped = True
        elif len(wa) == 1 and wa.isalpha() and wa == tokens[a].text and wa not in _LETTER_WORDS:
            tokens[a].dropped = True  # a cut-off word: "an ergonomic t design"
        elif (
            len(wa) < len(wb)
            and wb.startswith(wa)
            and wa not in STOPWORDS[language]  # "the there", "in into" are real words
            and len(wa) <= 4
            and all(t.dropped or t.text in {"-", "—", "–"} for t in tokens[a + 1 : b])
        ):
            tokens[a].dropped = True
            for t in tokens[a + 1 : b]:
                t.dropped = True
    kept = [i for i in kept if not tokens[i].dropped]
    for x in range(len(kept) - 3):
        a, b, c, d = kept[x : x + 4]
        if lowered[a] == lowered[c] and lowered[b] == lowered[d] and not tokens[a].dropped:
            tokens[a].dropped = True
            tokens[b].dropped = True


# ---------------------------------------------------------------------- sentences


def _join(tokens: Sequence[Token]) -> str:
    """Rebuild text from tokens, keeping the original spacing where it is known.

    A word cut by a caption's line break ("single-" / "thread") is mended on the page:
    "single-thread", never "single- thread" (the quote keeps the words as cued).
    """
    parts: list[str] = []
    before: Token | None = None
    prev: Token | None = None
    for tok in tokens:
        if prev is not None:
            adjacent = prev.seg == tok.seg and prev.end == tok.start
            mended = (
                prev.text == "-"
                and before is not None
                and before.word
                and before.seg == prev.seg
                and before.end == prev.start
                and tok.word
                and tok.text[:1].islower()
                and tok.text.lower() not in _SUSPENDED
            )
            if (
                not adjacent
                and not mended
                and tok.text not in _NO_SPACE_BEFORE
                and prev.text not in _NO_SPACE_AFTER
            ):
                parts.append(" ")
        parts.append(tok.text)
        before, prev = prev, tok
    return "".join(parts)


# "short- and long-term": a hyphen before these is a suspended compound, not a break.
_SUSPENDED = frozenset({"and", "or", "to", "et", "ou", "à"})


def _is_boundary(tokens: Sequence[Token], i: int) -> bool:
    tok = tokens[i]
    if tok.text not in _TERMINAL:
        return False
    if tok.text == "." and i > 0:
        before = tokens[i - 1].text.lower()
        if before in _ABBREVIATIONS or (len(before) == 1 and before.isalpha()):
            return False
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt is not None and nxt.seg == tok.seg and nxt.start == tok.end:
            return False  # "3.5" or "example.com" glued together
    return True


def _split_long(tokens: list[Token], limit: int) -> list[list[Token]]:
    """Cut a run-on (an unpunctuated caption stream) at its best pause near the middle."""
    n_words = sum(t.word for t in tokens)
    if n_words <= limit:
        return [tokens]
    middle = len(tokens) // 2
    best, best_cost = middle, math.inf
    for i in range(max(1, len(tokens) // 4), min(len(tokens) - 1, 3 * len(tokens) // 4)):
        tok, nxt = tokens[i], tokens[i + 1]
        pause = 0.0 if tok.text in {",", ";", ":", "-", "—"} else 1.0
        if nxt.seg != tok.seg:
            pause = min(pause, 0.5)  # a caption boundary is a likely pause
        cost = pause * 10 + abs(i - middle) / len(tokens)
        if cost < best_cost:
            best, best_cost = i, cost
    return _split_long(tokens[: best + 1], limit) + _split_long(tokens[best + 1 :], limit)


def _sentence_runs(segments: Sequence[Segment], seg_tokens: list[list[Token]]) -> list[list[Token]]:
    """Group kept tokens into sentences; a change of speaker always ends one."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    speaker: str | None = None
    punctuated = _is_punctuated(seg_tokens)
    for index, tokens in enumerate(seg_tokens):
        seg_speaker = (segments[index].speaker or "").strip()
        if current and seg_speaker and seg_speaker != speaker:
            runs.append(current)
            current = []
        speaker = seg_speaker or speaker
        kept = [t for t in tokens if not t.dropped]
        for i, tok in enumerate(kept):
            current.append(tok)
            if _is_boundary(kept, i):
                runs.append(current)
                current = []
        # Captions without punctuation: a segment end is the best pause we have.
        if not punctuated and sum(t.word for t in current) >= 12:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    out: list[list[Token]] = []
    for run in runs:
        out.extend(_split_long(run, 45))
    return [r for r in out if any(t.word for t in r)]


def _is_punctuated(seg_tokens: list[list[Token]]) -> bool:
    words = sum(t.word for tokens in seg_tokens for t in tokens)
    stops = sum(t.text in _TERMINAL for tokens in seg_tokens for t in tokens)
    return stops * 40 >= words


def _drop_seam_repeats(run: list[Token]) -> list[Token]:
    """Drop a word a caption repeats from the end of the previous one ("the / the")."""
    out: list[Token] = []
    previous: Token | None = None
    for tok in run:
        if (
            tok.word
            and previous is not None
            and previous.seg != tok.seg
            and previous.text.lower() == tok.text.lower()
            and tok.text.lower() not in _REPEAT_OK
        ):
            tok.dropped = True
            continue
        out.append(tok)
        if tok.word:
            previous = tok
    return out


def _strip_openers(run: list[Token], language: str) -> list[Token]:
    """Drop leading 'Okay, so' and trailing commas; they carry nothing on the page."""
    openers, comma_openers = _OPENERS[language], _COMMA_OPENERS[language]
    start = 0
    while start < len(run):
        tok = run[start]
        low = tok.text.lower()
        rest_words = sum(t.word for t in run[start + 1 :])
        comma_next = start + 1 < len(run) and run[start + 1].text == ","
        opener = low in openers or (low in comma_openers and comma_next)
        if (not tok.word and tok.text not in "([\"'") or (opener and rest_words >= 4):
            tok.dropped = True
            start += 1
            continue
        break
    body = run[start:]
    # "I think we should..." -> "We should...": the hedge is the speaker's, not the point.
    lowered = [t.text.lower().replace("’", "'") for t in body]
    for phrase in _HEDGES[language]:
        size = len(phrase)
        if tuple(lowered[:size]) == phrase and sum(t.word for t in body[size:]) >= 5:
            for t in body[:size]:
                t.dropped = True
            body = body[size:]
            while body and (not body[0].word or body[0].text.lower() in {"that", "que"}):
                body[0].dropped = True
                body = body[1:]
            break
    while body and not body[-1].word and body[-1].text not in _TERMINAL | {")", '"', "%"}:
        body[-1].dropped = True
        body = body[:-1]
    return body


def _display(tokens: list[Token]) -> str:
    text = _join(tokens).strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    if text[-1] not in _TERMINAL and text[-1] not in "\"')":
        text += "."
    return text


def prepare(transcript: TranscriptInput, language: str, *, clean: bool = True) -> Prepared:
    """Tokenise, clean and split a transcript into sentences that remember their segment."""
    stop = STOPWORDS[language]
    segments = list(transcript.segments)
    seg_tokens = [_tokenize(i, seg.text or "") for i, seg in enumerate(segments)]
    raw_words = sum(t.word for tokens in seg_tokens for t in tokens)
    if clean:
        for tokens in seg_tokens:
            _clean_tokens(tokens, language)
    sentences: list[Sentence] = []
    for run in _sentence_runs(segments, seg_tokens):
        if clean:
            run = _drop_seam_repeats(run)
        body = _strip_openers(run, language) if clean else run
        if not any(t.word for t in body):
            continue
        words = [t.text.lower().replace("’", "'") for t in body if t.word]
        forms = [content_form(w, language) for w in words]
        terms = [stem(w, language) for w in forms if w not in stop and len(w) > 1]
        seg = body[0].seg
        sentences.append(
            Sentence(
                index=len(sentences),
                tokens=body,
                text=_display(body),
                words=words,
                terms=terms,
                seg=seg,
                start=segments[seg].start,
            )
        )
    if clean:
        sentences = _drop_non_content(sentences, language)
    kept_words = sum(len(s.words) for s in sentences)
    for i, sentence in enumerate(sentences):
        sentence.index = i
        sentence.candidate = _is_candidate(sentence)
    return Prepared(
        language=language,
        segments=segments,
        sentences=sentences,
        raw_words=raw_words,
        dropped_words=max(0, raw_words - kept_words),
    )


def _is_candidate(sentence: Sentence) -> bool:
    """Only full, contentful statements may be shown: not 'Yeah, okay.' or a question."""
    n = len(sentence.words)
    if n < 6 or n > 60 or len(set(sentence.terms)) < 3:
        return False
    return not sentence.text.endswith("?")


def _drop_non_content(sentences: list[Sentence], language: str) -> list[Sentence]:
    """Remove greetings, housekeeping and sponsor reads (a read runs over several sentences).

    A read starts at a sponsor phrase and goes on while the sentences stay in the same
    turn or keep selling (codes, offers, web addresses), up to ten sentences, or until
    the host says they are back to the show.
    """
    kept: list[Sentence] = []
    in_ad = 0  # sentences the current sponsor read may still run on
    ad_seg = -1
    sponsor = ""  # the advertiser's name, when the read says it ("supported by Tallyworks")
    for s in sentences:
        low = s.text.lower()
        if _SPONSOR[language].search(low):
            in_ad, ad_seg = 10, s.seg
            named = _SPONSOR_NAME.search(s.text)
            sponsor = named.group(1).lower() if named else ""
            continue
        if in_ad:
            if _RETURN[language].search(low):
                in_ad = 0
                if len(s.words) < 10:
                    continue  # "Okay, back to the show."
            elif (
                s.seg == ad_seg
                or _COMMERCIAL[language].search(low)
                or (sponsor and sponsor in s.words)
            ):
                in_ad -= 1
                ad_seg = s.seg
                continue
            else:
                in_ad = 0
        if (
            _GREETING[language].search(low)
            or _HOUSEKEEPING[language].search(low)
            or _META[language].search(low.replace("’", "'"))
        ):
            continue
        kept.append(s)
    return kept


# ---------------------------------------------------------------------- weighting


@dataclass(slots=True)
class Weights:
    matrix: np.ndarray  # sentences x shared terms, rows L2-normalised TF-IDF


def _weights(sentences: Sequence[Sentence]) -> Weights:
    n = len(sentences)
    df: Counter[str] = Counter()
    for s in sentences:
        df.update(set(s.terms))
    idf = {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}
    # Only terms shared by two sentences can make two sentences similar; the others
    # still count in each row's norm, so that a long rambling sentence is not favoured.
    # Memory stays bounded on very long episodes: the most widespread terms only.
    common = sorted((t for t, c in df.items() if c >= 2), key=lambda t: (-df[t], t))
    shared = {t: i for i, t in enumerate(sorted(common[:MAX_TERMS]))}
    matrix = np.zeros((n, max(1, len(shared))), dtype=np.float32)
    norms = np.zeros(n, dtype=np.float32)
    for row, s in enumerate(sentences):
        counts = Counter(s.terms)
        total = 0.0
        for term, count in counts.items():
            w = (1.0 + math.log(count)) * idf[term]
            total += w * w
            col = shared.get(term)
            if col is not None:
                matrix[row, col] = w
        norms[row] = math.sqrt(total) or 1.0
    matrix /= norms[:, None]
    return Weights(matrix=matrix)


def _centrality(matrix: np.ndarray) -> np.ndarray:
    """How central each sentence is, 1.0 for an average one.

    LexRank on the cosine graph; past MAX_GRAPH sentences the n-by-n graph would cost
    too much memory, and the cosine with the whole episode's centroid stands in.
    """
    n = matrix.shape[0]
    if n <= MAX_GRAPH:
        similarity = matrix @ matrix.T
        np.fill_diagonal(similarity, 0.0)
        return _lexrank(similarity) * n
    centroid = matrix.sum(axis=0)
    typical = matrix @ (centroid / (float(np.linalg.norm(centroid)) or 1.0))
    return typical / (float(typical.mean()) or 1.0)


def _lexrank(similarity: np.ndarray, damping: float = 0.85, iterations: int = 50) -> np.ndarray:
    """Stationary distribution of a random walk on the similarity graph (LexRank).

    The similarity is symmetric, so the walk's step is one matrix-vector product
    with the rank divided by the row sums; no transition matrix is built.
    """
    n = similarity.shape[0]
    sums = similarity.sum(axis=1).astype(np.float64)
    isolated = sums <= 0  # a sentence sharing no word jumps anywhere
    inverse = np.where(isolated, 0.0, 1.0 / np.where(isolated, 1.0, sums))
    rank = np.full(n, 1.0 / n)
    for _ in range(iterations):
        spread = similarity @ (rank * inverse).astype(np.float32)
        nxt = (1 - damping) / n + damping * (spread + rank[isolated].sum() / n)
        done = np.abs(nxt - rank).sum() < 1e-6
        rank = nxt
        if done:
            break
    return rank


# ----------------------------------------------------------------------- sections


def _section_count(words: int, candidates: int) -> tuple[int, int]:
    """(usual, most) key points: five for a short episode, up to ten for a long one, and
    room for a few more when the episode keeps changing subject."""
    wanted = 5 + int((words - 3000) // TUNING["words_per_point"])
    most = min(MAX_KEY_POINTS, candidates - 3)
    usual = max(MIN_KEY_POINTS, min(most, wanted))
    return usual, max(usual, min(most, usual + int(TUNING["extra_sections"])))


def _sections(
    sentences: Sequence[Sentence], matrix: np.ndarray, count: int, ceiling: int, language: str
) -> list[int]:
    """Indices where sections start, by TextTiling depth scores between word blocks.

    `count` sections at least, up to `ceiling` when the episode clearly changes subject
    more often than that (a short news show running through seven stories).
    """
    n = len(sentences)
    if count <= 1 or n < 2 * count:
        return _even_starts(sentences, count)
    lengths = np.array([max(1, len(s.words)) for s in sentences], dtype=np.float64)
    cum_words = np.concatenate([[0.0], np.cumsum(lengths)])
    total = cum_words[-1]
    block = max(140.0, total / (count * 4))  # words on each side of a gap
    cum_vec = np.vstack(
        [np.zeros((1, matrix.shape[1]), dtype=np.float32), np.cumsum(matrix, axis=0)]
    )
    gaps = np.arange(1, n)
    left_from = np.searchsorted(cum_words, cum_words[gaps] - block, side="left")
    right_to = np.searchsorted(cum_words, cum_words[gaps] + block, side="right") - 1
    left = cum_vec[gaps] - cum_vec[np.clip(left_from, 0, n)]
    right = cum_vec[np.clip(right_to, 1, n)] - cum_vec[gaps]
    cos = (left * right).sum(axis=1) / (
        np.linalg.norm(left, axis=1) * np.linalg.norm(right, axis=1) + 1e-9
    )
    smooth = np.convolve(cos, np.ones(3) / 3, mode="same")
    depth = _depth_scores(smooth)
    # A spoken transition ("Let's talk regulation", "Passons à l'énergie") deepens the
    # gap before it: lexical cohesion alone misses short subjects.
    transitions = _TRANSITIONS[language]
    for gap in range(n - 1):
        if transitions.search(sentences[gap + 1].text.lower()):
            depth[gap] += TUNING["transition_bonus"]
    count = _strong_count(depth, count, ceiling)
    min_words = total / (count * 2.5)  # no section shorter than this
    starts = [0]
    for gap in np.argsort(-depth, kind="stable"):
        boundary = int(gap) + 1
        if len(starts) >= count:
            break
        position = cum_words[boundary]
        edges = [cum_words[s] for s in starts] + [total]
        if all(abs(position - e) >= min_words for e in edges):
            starts.append(boundary)
    if len(starts) < count:
        return _even_starts(sentences, count)
    return _split_oversized(sorted(starts), depth, cum_words, min_words, ceiling)


def _split_oversized(
    starts: list[int], depth: np.ndarray, cum_words: np.ndarray, min_words: float, ceiling: int
) -> list[int]:
    """Split sections much longer than the others at their deepest inner valley, while
    the ceiling allows: a long section usually hides two subjects that share words."""
    total = float(cum_words[-1])
    while len(starts) < ceiling:
        edges = [*starts, len(cum_words) - 1]
        sizes = [cum_words[b] - cum_words[a] for a, b in zip(edges, edges[1:], strict=False)]
        longest = int(np.argmax(sizes))
        if sizes[longest] < TUNING["oversized"] * total / len(starts):
            break
        lo, hi = edges[longest], edges[longest + 1]
        inner = [
            g
            for g in range(lo, hi - 1)
            if cum_words[g + 1] - cum_words[lo] >= min_words
            and cum_words[hi] - cum_words[g + 1] >= min_words
        ]
        if not inner:
            break
        starts = sorted([*starts, max(inner, key=lambda g: depth[g]) + 1])
    return starts


def _strong_count(depth: np.ndarray, count: int, ceiling: int) -> int:
    """Sections suggested by clearly deep valleys, kept between count and ceiling."""
    valleys = depth[depth > 0]
    if valleys.size < 2:
        return count
    cutoff = valleys.mean() + TUNING["strong_valley"] * valleys.std()
    return max(count, min(ceiling, int((valleys > cutoff).sum()) + 1))


def _depth_scores(values: np.ndarray) -> np.ndarray:
    """TextTiling depth: how far each valley lies below the peaks it climbs to on each side.

    Only local minima can be boundaries; elsewhere the depth is zero.
    """
    n = len(values)
    depth = np.zeros(n)
    for i in range(n):
        here = values[i]
        if (i > 0 and values[i - 1] < here) or (i + 1 < n and values[i + 1] < here):
            continue
        left = j = i
        while j > 0 and values[j - 1] >= values[j]:
            j -= 1
        left = values[j]
        k = i
        while k + 1 < n and values[k + 1] >= values[k]:
            k += 1
        depth[i] = (left - here) + (values[k] - here)
    return depth


def _even_starts(sentences: Sequence[Sentence], count: int) -> list[int]:
    total = sum(len(s.words) for s in sentences)
    starts, acc, target = [0], 0, total / max(1, count)
    for i, s in enumerate(sentences):
        if acc >= target * len(starts) and len(starts) < count and i > starts[-1]:
            starts.append(i)
        acc += len(s.words)
    return starts


# -------------------------------------------------------------------------- ranks


def _concept_weights(sentences: Sequence[Sentence]) -> dict[str, float]:
    """Frequent content words and word pairs: the concepts a summary should cover."""
    df: Counter[str] = Counter()
    for s in sentences:
        grams = set(s.terms) | {f"{a} {b}" for a, b in zip(s.terms, s.terms[1:], strict=False)}
        df.update(grams)
    n = max(1, len(sentences))
    floor = 2 if n < 80 else 3
    return {
        g: c * (1.6 if " " in g else 1.0) * math.log(1 + n / c)
        for g, c in df.items()
        if c >= floor and c < n * 0.5
    }


def _concepts(sentence: Sentence) -> set[str]:
    t = sentence.terms
    return set(t) | {f"{a} {b}" for a, b in zip(t, t[1:], strict=False)}


def _scores(prepared: Prepared, weights: Weights, concept_weight: dict[str, float]) -> np.ndarray:
    """A sentence's worth before redundancy: centrality and concept mass, times priors."""
    sentences = prepared.sentences
    n = len(sentences)
    central = _centrality(weights.matrix)
    first_speaker = next((seg.speaker for seg in prepared.segments if seg.speaker), "")
    out = np.zeros(n)
    for i, s in enumerate(sentences):
        if not s.candidate:
            continue
        mass = sum(concept_weight.get(c, 0.0) for c in _concepts(s))
        density = mass / (len(s.words) ** TUNING["length_exponent"])
        worth = TUNING["centrality"] * central[i] + TUNING["coverage"] * density
        position = 1.0 + TUNING["opening_boost"] * math.exp(-6 * i / n)
        out[i] = worth * _length_prior(len(s.words)) * position * _cues(prepared, s, first_speaker)
    return out


def _length_prior(length: int) -> float:
    """Fragments and run-ons both read badly on a page."""
    prior = min(1.0, length / TUNING["full_length"])
    if length > TUNING["long_length"]:
        prior *= TUNING["long_length"] / length
    return prior


def _cues(prepared: Prepared, sentence: Sentence, first_speaker: str) -> float:
    """Small multipliers from how a sentence is said and by whom."""
    language = prepared.language
    factor = TUNING["cue_boost"] if _AGENDA_CUES[language].search(sentence.text.lower()) else 1.0
    if sentence.words[0] in _DANGLING[language]:
        factor *= TUNING["dangling"]
    elif _leans_back(sentence, language):
        factor *= TUNING["anaphora"]
    if first_speaker and prepared.segments[sentence.seg].speaker == first_speaker:
        factor *= TUNING["first_speaker"]
    if _FIRST_PERSON[language].intersection(sentence.words):
        factor *= TUNING["first_person"]
    return factor


def _leans_back(sentence: Sentence, language: str) -> bool:
    first = sentence.words[0] if sentence.words else ""
    return first in _ANAPHORIC[language]


def _needs_context(sentence: Sentence, language: str) -> bool:
    """Opens on "but", "which"... or on "that", "they"...: it leans on the sentence before."""
    return sentence.words[0] in _DANGLING[language] or _leans_back(sentence, language)


def _opens_alone(sentence: Sentence, language: str) -> bool:
    """A full statement whose opening needs nothing before it (see _standalone)."""
    return (
        sentence.candidate
        and not _needs_context(sentence, language)
        and not writing.leading_filler(sentence.text, language)
    )


def _standalone(sentence: Sentence, language: str) -> bool:
    """A sentence a reader can take alone: the TL;DR and the conclusion are made of these."""
    return _opens_alone(sentence, language) and not writing.is_fragment(sentence.text, language)


class _Selection:
    """What is chosen so far, and each sentence's highest cosine with it (for MMR).

    The overlap vector is updated once per chosen sentence, so no sentence-by-sentence
    similarity matrix is kept while choosing.
    """

    def __init__(self, matrix: np.ndarray, scores: np.ndarray) -> None:
        self.matrix = matrix
        self.scores = scores
        self.chosen: list[int] = []
        self.taken = np.zeros(matrix.shape[0], dtype=bool)
        self.overlap = np.zeros(matrix.shape[0], dtype=np.float32)

    def add(self, index: int) -> None:
        self.chosen.append(index)
        self.taken[index] = True
        np.maximum(self.overlap, self.matrix @ self.matrix[index], out=self.overlap)

    def best(
        self,
        pool: Iterable[int],
        *,
        scores: np.ndarray | None = None,
        redundancy: float | None = None,
    ) -> int | None:
        """The best sentence of the pool once its overlap with the chosen is discounted."""
        worth = self.scores if scores is None else scores
        penalty = TUNING["redundancy"] if redundancy is None else redundancy
        index = np.fromiter(pool, dtype=np.int64)
        if index.size:
            index = index[~self.taken[index] & (worth[index] > 0)]
        if not index.size:
            return None
        values = worth[index] / worth[index].max() - penalty * self.overlap[index]
        return int(index[int(np.argmax(values))])

    def take(self, pool: Iterable[int], **options: Any) -> int | None:
        pick = self.best(pool, **options)
        if pick is not None:
            self.add(pick)
        return pick


# ----------------------------------------------------------------------- headings


def _fallback_heading(sentence: Sentence, language: str) -> str:
    """When no chunk of the section titles well (a very short section): the body's
    first content words, which at least say what it is about."""
    stop = STOPWORDS[language]
    words = [t.text for t in sentence.tokens if t.word and t.text.lower() not in stop]
    return headings.title(" ".join(words[:3]) or sentence.text[:40], language)


# ------------------------------------------------------------------------- quotes


def _quote(sentence: Sentence, prepared: Prepared) -> str:
    """An exact span of one segment's text, at least six words, supporting the sentence."""
    by_seg: dict[int, list[Token]] = defaultdict(list)
    for tok in sentence.tokens:
        by_seg[tok.seg].append(tok)
    # The segment the sentence starts in, where the key point's start second points,
    # unless too little of the sentence lies there to quote.
    seg = sentence.seg
    if sum(t.word for t in by_seg[seg]) < QUOTE_MIN_WORDS:
        seg = max(by_seg, key=lambda k: sum(t.word for t in by_seg[k]))
    text = prepared.segments[seg].text or ""
    kept = by_seg[seg]
    # The whole span of the sentence in this segment, fillers and all (it is a quote);
    # its first and last kept tokens are never fillers, so it does not open on "um".
    all_tokens = _tokenize(seg, text)
    index = {t.start: i for i, t in enumerate(all_tokens)}
    lo, hi = index.get(kept[0].start, 0), index.get(kept[-1].start, len(all_tokens) - 1)
    lo, hi = _widen(all_tokens, lo, hi)
    while lo < hi and not all_tokens[lo].word:
        lo += 1
    words_in = [i for i in range(lo, hi + 1) if all_tokens[i].word]
    if len(words_in) > QUOTE_MAX_WORDS:
        hi = words_in[QUOTE_MAX_WORDS - 1]
        # End on a clause boundary when one is near, rather than mid-phrase.
        for i in range(hi, words_in[QUOTE_MAX_WORDS // 2], -1):
            if all_tokens[i].text in {",", ";", ":"}:
                hi = i - 1
                break
    while hi > lo and not all_tokens[hi].word and all_tokens[hi].text not in _TERMINAL | {"%"}:
        hi -= 1
    return text[all_tokens[lo].start : all_tokens[hi].end]


def _widen(tokens: list[Token], lo: int, hi: int) -> tuple[int, int]:
    """Grow a span over its neighbours until it holds six words (or the segment ends)."""

    def count(a: int, b: int) -> int:
        return sum(t.word for t in tokens[a : b + 1])

    while count(lo, hi) < QUOTE_MIN_WORDS and (lo > 0 or hi < len(tokens) - 1):
        if hi < len(tokens) - 1:
            hi += 1
        if count(lo, hi) < QUOTE_MIN_WORDS and lo > 0:
            lo -= 1
    return lo, hi


# -------------------------------------------------------------------------- digest


@dataclass(slots=True)
class Plan:
    """Which sentences go where; kept apart from text so that it can be inspected."""

    tldr: list[int]
    points: list[list[int]]  # one list per key point, in time order
    conclusion: int | None
    sections: list[int]


class ExtractiveSummarizer:
    """Summarises in the transcript's own language from its own sentences."""

    name = "extractive"
    version = VERSION

    def summarize(
        self,
        transcript: TranscriptInput,
        *,
        language: str,
        topics: Sequence[TopicChoice] = (),
    ) -> DigestData:
        own = (transcript.language or language or "en").split("-")[0].lower()
        wanted = (language or own).split("-")[0].lower()
        if wanted != own:
            raise SummarizationError(
                "the extractive backend writes the episode's own language only"
            )
        if own not in LANGUAGES:
            raise SummarizationError(
                f"the extractive backend knows English and French, not {own!r}"
            )
        said = sum(len((segment.text or "").split()) for segment in transcript.segments)
        if said > MAX_WORDS:
            # Refused before any work: memory and time grow with the length.
            raise SummarizationError(
                f"the transcript is too long for the offline summariser: {said:,} words "
                f"(at most {MAX_WORDS:,})"
            )
        prepared = prepare(transcript, own)
        plan = self.plan(prepared)
        return self._digest(prepared, plan, transcript, topics)

    # The plan is public so that the benchmarks can reuse it without the formatting.
    def plan(self, prepared: Prepared) -> Plan:
        sentences = prepared.sentences
        words = sum(len(s.words) for s in sentences)
        candidates = sum(s.candidate for s in sentences)
        if words < MIN_WORDS or candidates < MIN_CANDIDATES:
            raise SummarizationError(
                f"the transcript is too short to summarise: {words} words and {candidates} "
                f"full sentences after cleaning (at least {MIN_WORDS} words and "
                f"{MIN_CANDIDATES} sentences are needed)"
            )
        weights = _weights(sentences)
        count, ceiling = _section_count(words, candidates)
        starts = _sections(sentences, weights.matrix, count, ceiling, prepared.language)
        # Each sentence learns its section: headings are drawn per section later.
        for number, start in enumerate(starts):
            end = starts[number + 1] if number + 1 < len(starts) else len(sentences)
            for s in sentences[start:end]:
                s.section = number
        scores = _scores(prepared, weights, _concept_weights(sentences))
        return _choose(prepared, weights, scores, starts)

    def _digest(
        self,
        prepared: Prepared,
        plan: Plan,
        transcript: TranscriptInput,
        topics: Sequence[TopicChoice],
    ) -> DigestData:
        sentences = prepared.sentences
        language = prepared.language
        vocabulary = _vocabulary(language)
        pairs = [_pairs(s) for s in sentences]
        nouns = headings.nounish_words(pairs, language, vocabulary.stop)
        per_sentence = headings.sentence_chunks(pairs, language, vocabulary, nouns)
        stem_counts: list[Counter[str]] = [Counter() for _ in plan.sections]
        for s in sentences:
            stem_counts[s.section].update(s.terms)
        chunk_table = headings.rank(
            headings.section_chunks(per_sentence, [s.section for s in sentences]),
            stem_counts,
            language,
            vocabulary,
        )
        used: set[str] = set()
        key_points: list[KeyPointData] = []
        for body in plan.points:
            first = sentences[body[0]]
            said = {c.key for i in body for c in per_sentence[i]}
            title = headings.heading(chunk_table[first.section], used, language, said=said)
            key_points.append(
                KeyPointData(
                    heading=title or _fallback_heading(first, language),
                    body=" ".join(sentences[i].text for i in body),
                    start=first.start,
                    # The first sentence gives both the start second and the quote.
                    quote=_quote(first, prepared),
                )
            )
        tldr = " ".join(sentences[i].text for i in plan.tldr)
        conclusion = sentences[plan.conclusion].text if plan.conclusion is not None else ""
        text = " ".join(s.text for s in sentences)
        context = " ".join(x for x in (transcript.title, transcript.description) if x)
        parts = scoring.score_parts(
            sentences=[s.text for s in sentences],
            raw_words=prepared.raw_words,
            dropped_words=prepared.dropped_words,
            topics=topics,
        )
        return DigestData(
            language=language,
            tldr=tldr,
            key_points=key_points,
            conclusion=conclusion,
            score=score_from_parts(parts),
            score_parts=parts,
            topic=scoring.choose_topic(f"{context} {text}", topics),
            tags=tags.tags_pick(
                sentences=[(s.section, p) for s, p in zip(sentences, pairs, strict=True)],
                language=language,
                words=vocabulary,
                nouns=nouns,
                chunk_lists=per_sentence,
                speakers={seg.speaker for seg in prepared.segments if seg.speaker},
            ),
            backend=self.name,
            model="",
            version=self.version,
        )


def _pairs(sentence: Sentence) -> list[tuple[str, bool]]:
    return [(t.text, t.word) for t in sentence.tokens]


@lru_cache(maxsize=2)
def _vocabulary(language: str) -> headings.Words:
    return headings.Words(
        stop=STOPWORDS[language],
        stem=stem,
        verbish=_VERBISH[language],
        generic=_GENERIC[language],
        content_form=content_form,
    )


def _choose(prepared: Prepared, weights: Weights, scores: np.ndarray, starts: list[int]) -> Plan:
    """Pick the TL;DR, a conclusion and one body per section, without repeating ourselves."""
    sentences = prepared.sentences
    n = len(sentences)
    bounds = [(s, starts[i + 1] if i + 1 < len(starts) else n) for i, s in enumerate(starts)]
    selection = _Selection(weights.matrix, scores)
    language = prepared.language
    # No part of the digest is a verbless fragment ("Nine people, three hundred thousand
    # copies, hats off."); the TL;DR and the conclusion are also read without what comes
    # before them (_standalone, with the fragment test worked out once).
    whole = np.array([not writing.is_fragment(s.text, language) for s in sentences], dtype=bool)
    alone = whole & np.array([_opens_alone(s, language) for s in sentences], dtype=bool)
    alone_scores = np.where(alone, scores, 0.0) if alone.sum() >= 4 else scores

    # TL;DR: what the episode says it is about near its start, then the sentence that
    # best stands for the whole; a third one when those two are short.
    tldr: list[int] = []
    opening = selection.take(range(int(n * TUNING["tldr_opening"])), scores=alone_scores)
    if opening is not None:
        tldr.append(opening)
    while len(tldr) < 2:
        pick = selection.take(range(n), scores=alone_scores, redundancy=1.0)
        if pick is None:
            break
        tldr.append(pick)
    if sum(len(sentences[i].words) for i in tldr) < 30:
        extra = selection.take(range(n), scores=alone_scores, redundancy=1.0)
        if extra is not None:
            tldr.append(extra)

    # The conclusion comes from the closing stretch, where episodes sum themselves up;
    # it is chosen before the key points so that the last one cannot take it.
    conclusion = _conclusion(prepared, selection, _closing_start(sentences), alone_scores)

    body_scores = np.where(whole, scores, 0.0)
    points: list[list[int]] = []
    for lo, hi in bounds:
        pick = selection.take(range(lo, hi), scores=body_scores)
        if pick is None:
            continue
        body = [pick]
        before = pick - 1
        if (
            before >= lo
            and _needs_context(sentences[pick], language)
            and sentences[before].candidate
            and not selection.taken[before]
            and len(sentences[before].words) + len(sentences[pick].words) <= 60
        ):
            # "They did it in six months" needs the sentence that says who they are.
            selection.add(before)
            body.insert(0, before)
        points.append(sorted(body))

    # A key point per section may leave us short when sections are thin: top up.
    while len(points) < MIN_KEY_POINTS:
        pick = selection.take(range(n))
        if pick is None:
            break
        points.append([pick])
    points.sort(key=lambda body: body[0])
    return Plan(tldr=sorted(tldr), points=points, conclusion=conclusion, sections=starts)


def _closing_start(sentences: Sequence[Sentence]) -> int:
    """Where the closing stretch begins: the last eighth of the words, holding at least
    three sentences that could be shown."""
    total = sum(len(s.words) for s in sentences)
    words = candidates = 0
    for i in range(len(sentences) - 1, -1, -1):
        words += len(sentences[i].words)
        candidates += sentences[i].candidate
        if words >= total * TUNING["closing_share"] and candidates >= 3:
            return i
    return 0


def _conclusion(
    prepared: Prepared, selection: _Selection, closing_from: int, scores: np.ndarray
) -> int | None:
    """The best unused sentence of the closing stretch, favouring concluding words: a
    complete statement that stands alone."""
    cues = _CONCLUSION_CUES[prepared.language]
    n = len(prepared.sentences)
    boosted = scores.copy()
    for i in range(closing_from, n):
        if cues.search(prepared.sentences[i].text.lower()):
            boosted[i] *= 1.5
    pick = selection.take(range(closing_from, n), scores=boosted)
    if pick is None:
        pick = selection.take(range(n), scores=boosted)
    return pick
