"""Turning text into search terms: words, accents folded, stems for English and French.

Pure functions, no database. PostgreSQL does this itself (the `english_unaccent` and
`french_unaccent` text search configurations); SQLite's FTS5 has no French stemmer,
so for SQLite the same steps run here, on the text before it is indexed and on the
words of every query, in the same order as PostgreSQL's: fold accents, then stem.
Folding first is what lets "securite" and "sécurité" meet: both become "securit".
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer

SNOWBALL_LANGUAGES = {"en": "english", "fr": "french"}
DEFAULT_LANGUAGE = "en"

# A word is a run of letters, digits and private-use characters: exactly what FTS5's
# unicode61 tokenizer keeps (its default categories "L* N* Co"). The index stores one
# stem per word in the same order, so the n-th token FTS5 sees in the stemmed text is
# the n-th token of the original text, and snippet() can highlight the original words.
# unicode61 also keeps combining accents inside a word (it folds them away later).
WORD = re.compile(
    r"(?:[^\W_]|[\ue000-\uf8ff\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])+"
)

# Snowball stemmers keep state while they work: one per thread and language.
_local = threading.local()


def fold(text: str) -> str:
    """Lower case without accents: "Sécurité" -> "securite"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of `text` as FTS5's unicode61 tokenizer cuts them, unchanged."""
    return WORD.findall(text)


def _stemmer(language: str):
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if language not in stemmers:
        stemmers[language] = snowballstemmer.stemmer(SNOWBALL_LANGUAGES[language])
    return stemmers[language]


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """The stem of one word in `language` ("en" or "fr"; anything else counts as English).

    Cached: transcripts repeat a small vocabulary many times, and the pure-Python
    stemmer is the slow part of indexing.
    """
    language = language if language in SNOWBALL_LANGUAGES else DEFAULT_LANGUAGE
    folded = fold(word)
    # Folding can split a character into several ("ﬁ" -> "fi", "½" -> "1⁄2"): keep the
    # word one token, as the index needs exactly one stem per original word.
    folded = "".join(words(folded)) or word.casefold()
    return _stemmer(language).stemWord(folded) or folded


def stems(text: str, language: str) -> str:
    """`text` as the space-separated stems of its words, in order (what FTS5 indexes)."""
    return " ".join(stem(word, language) for word in words(text))
