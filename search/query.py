"""Reading what a reader typed into the search box.

The syntax is PostgreSQL's `websearch_to_tsquery`, the one search engines taught
everybody: words (all required), "quoted phrases", -word or -"a phrase" to exclude,
and `or` between two alternatives (`rust or go`). `parse()` accepts any text at all
(unbalanced quotes, operators alone, thousands of characters, SQL, emoji) and never
raises; what it cannot read is ignored. Both search backends render the same parsed
query, so a query means the same on SQLite and PostgreSQL:

- PostgreSQL gets a normalised websearch string (`websearch_text()`), parsed once per
  language configuration by `websearch_to_tsquery`;
- SQLite gets an FTS5 expression of stems (`fts5_expression()`), see analysis.py.

Two simplifications keep the backends in step: `-` always excludes, even next to `or`
(FTS5 has no "a or not b"); and a query made only of exclusions finds nothing rather
than nearly everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from search.analysis import SNOWBALL_LANGUAGES, fold, stem, words

# Beyond these the query is cut, not refused: a pasted paragraph still searches its
# first words, and a hostile 5,000-character query costs what a long honest one does.
MAX_QUERY_CHARS = 1000
MAX_ATOMS = 32
MAX_PHRASE_WORDS = 16
# Misspelling fallbacks only for words long enough to be misspelt meaningfully.
FALLBACK_MIN_LENGTH = 4


@dataclass(frozen=True, slots=True)
class Atom:
    """One word or phrase of a query; several words always form a phrase."""

    words: tuple[str, ...]

    @property
    def websearch_text(self) -> str:
        # Quoted even when a single word, so that a word like "or" stays a word.
        return '"' + " ".join(self.words) + '"'

    def fts5_expression(self) -> str:
        variants = dict.fromkeys(
            '"' + " ".join(stem(word, language) for word in self.words) + '"'
            for language in SNOWBALL_LANGUAGES
        )
        if len(variants) == 1:
            return next(iter(variants))
        return "(" + " OR ".join(variants) + ")"

    def fts5_fallback_expression(self) -> str:
        """A prefix query that forgives a typo after the first letters ("kubernets")."""
        if len(self.words) == 1 and len(folded := fold(self.words[0])) > FALLBACK_MIN_LENGTH:
            prefix = "".join(words(folded))[:FALLBACK_MIN_LENGTH]
            if prefix:
                return f'"{prefix}" *'
        return self.fts5_expression()


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """Required groups (all must match; any atom of a group will do), and exclusions."""

    groups: tuple[tuple[Atom, ...], ...] = ()
    excluded: tuple[Atom, ...] = ()

    def __bool__(self) -> bool:
        # Nothing required: nothing to search for (see the module docstring).
        return bool(self.groups)

    @property
    def has_phrase(self) -> bool:
        """Whether word order matters somewhere (a phrase, required or excluded)."""
        atoms = [*(atom for group in self.groups for atom in group), *self.excluded]
        return any(len(atom.words) > 1 for atom in atoms)

    def websearch_text(self) -> str:
        """The required part, in the websearch syntax PostgreSQL parses."""
        return " ".join(" or ".join(atom.websearch_text for atom in group) for group in self.groups)

    def fts5_expression(self, *, fallback: bool = False) -> str:
        def render(atom: Atom) -> str:
            return atom.fts5_fallback_expression() if fallback else atom.fts5_expression()

        required = " AND ".join(
            "(" + " OR ".join(render(atom) for atom in group) + ")" for group in self.groups
        )
        if not self.excluded:
            return required
        excluded = " OR ".join(atom.fts5_expression() for atom in self.excluded)
        return f"{required} NOT ({excluded})"

    def fallback_text(self) -> str:
        """The required words that a misspelling fallback may compare titles with."""
        found = [
            word
            for group in self.groups
            for atom in group
            for word in atom.words
            if len(word) >= FALLBACK_MIN_LENGTH
        ]
        return " ".join(found)


def parse(text: object) -> ParsedQuery:
    """Read a websearch-style query; never raises (see the module docstring)."""
    if not isinstance(text, str):
        return ParsedQuery()
    text = text[:MAX_QUERY_CHARS]
    groups: list[list[Atom]] = []
    excluded: list[Atom] = []
    pending_or = False
    count = 0
    for negated, chunk, quoted in _chunks(text):
        if count >= MAX_ATOMS:
            break
        if not quoted and not negated and chunk.casefold() == "or":
            # "or" joins the previous atom to the next one; leading, trailing or
            # repeated, it joins nothing and is dropped.
            pending_or = bool(groups)
            continue
        found = tuple(words(chunk))[:MAX_PHRASE_WORDS]
        if not found:
            continue
        atom = Atom(found)
        count += 1
        if negated:
            excluded.append(atom)
        elif pending_or:
            groups[-1].append(atom)
        else:
            groups.append([atom])
        pending_or = False
    return ParsedQuery(tuple(tuple(group) for group in groups), tuple(excluded))


def _chunks(text: str):
    """Yield (negated, text, quoted) for each whitespace-separated or quoted piece."""
    i, end = 0, len(text)
    while i < end:
        if text[i].isspace():
            i += 1
            continue
        negated = False
        if text[i] == "-" and i + 1 < end and not text[i + 1].isspace():
            negated = True
            i += 1
        if text[i] == '"':
            close = text.find('"', i + 1)
            close = end if close == -1 else close
            yield negated, text[i + 1 : close], True
            i = close + 1
            continue
        start = i
        while i < end and not text[i].isspace() and text[i] != '"':
            i += 1
        yield negated, text[start:i], False
