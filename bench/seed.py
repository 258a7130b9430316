"""Seed PostgreSQL with the benchmark's corpus.

Default volume (scale 1): 100,000 articles with transcripts of about 6,000 words and
their digests and key points, 30 sources, 12 topics (the 8 of the data migration and
4 more), 5,000 readers and 200,000 favorites. `--scale 0.01` seeds a hundredth of the
articles, readers and favorites for a quick run.

Rows go in with COPY in batches, generated as they are written (memory stays flat);
the search documents are written with them, and their tsvectors are then computed by
the search module's own SQL in two parallel sessions, with the GIN indexes dropped
meanwhile and rebuilt at the end (building a GIN index once is far cheaper than
updating it 100,000 times).

    DATABASE_URL=postgres://... .venv/bin/python bench/seed.py [--scale 0.01]

The database must be empty (freshly migrated or not migrated yet): `bench/run.py`
gives it a throwaway cluster.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import queue
import random
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ARTICLES, SOURCES, READERS, FAVORITES, WORDS = 100_000, 30, 5_000, 200_000, 6_000
BATCH = 500
EXTRA_TOPICS = [
    ("devops", "DevOps", "DevOps"),
    ("mobile", "Mobile", "Mobile"),
    ("data", "Data", "Données"),
    ("open-source", "Open source", "Logiciel libre"),
]
TAGS_EN = (
    "llm gpu rust python kubernetes postgres privacy encryption ransomware bitcoin ethereum "
    "funding chips quantum climate robotics browsers linux open-source agents rag benchmarks "
    "startups regulation antitrust cloud edge serverless observability outages compilers "
    "webassembly batteries satellites biotech fintech payments wallets mining defi policy"
).split()
TAGS_FR = "ia souveraineté cybersécurité données régulation nuage puces jeunes-pousses".split()
BENCH_READER = "bench-reader"
BENCH_PASSWORD = "bench-reader-password"  # a throwaway cluster's throwaway reader


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("DEBUG", "1")  # a bench on a laptop: development settings
    import django

    django.setup()


def log(message: str) -> None:
    print(f"[seed {time.strftime('%H:%M:%S')}] {message}", flush=True)


class Copier:
    """COPY rows into a model's table, columns named by the model."""

    def __init__(self, connection):
        self.connection = connection

    def copy(self, model, columns: list[str], rows) -> int:
        table = model._meta.db_table
        column_sql = ", ".join(f'"{c}"' for c in columns)
        count = 0
        sql = f'COPY "{table}" ({column_sql}) FROM STDIN'
        with self.connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count


def make_sources(rng: random.Random, count: int, topics: list):
    from ingestion.models import Source

    kinds = [Source.Kind.PODCAST] * 20 + [Source.Kind.YOUTUBE] * 8 + [Source.Kind.RSS] * 2
    sources = []
    for n in range(count):
        language = "fr" if n % 5 == 4 else "en"
        sources.append(
            Source(
                name=f"{'Le journal' if language == 'fr' else 'The'} bench show {n + 1}",
                slug=f"bench-show-{n + 1}",
                kind=kinds[n % len(kinds)],
                feed_url=f"https://feeds.bench.example/{n + 1}.xml",
                site_url=f"https://bench.example/{n + 1}/",
                language=language,
                default_topic=topics[n % len(topics)],
                active=False,  # nothing to poll: the feeds do not exist
            )
        )
    return Source.objects.bulk_create(sources)


def make_topics():
    from topics.models import Topic

    for order, (slug, name_en, name_fr) in enumerate(EXTRA_TOPICS, start=50):
        Topic.objects.get_or_create(
            slug=slug, defaults={"name_en": name_en, "name_fr": name_fr, "order": order}
        )
    return list(Topic.objects.order_by("order", "slug"))


def make_readers(count: int) -> list[int]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    User = get_user_model()
    # One hash for all: hashing 5,000 passwords would take minutes and measure nothing.
    password = make_password(BENCH_PASSWORD)
    now = datetime.now(UTC)
    users = [
        User(
            username=BENCH_READER if n == 0 else f"reader{n}",
            email=f"reader{n}@bench.example",
            password=password,
            date_joined=now,
        )
        for n in range(count)
    ]
    created = User.objects.bulk_create(users, batch_size=1000)
    return [u.pk for u in created]


class ArticleFactory:
    """Rows for one batch of articles and everything that hangs off them."""

    def __init__(self, text, sources, topics, tag_ids, *, total: int, now: datetime, words: int):
        self.text, self.sources, self.topics, self.tag_ids = text, sources, topics, tag_ids
        self.total, self.now, self.words = total, now, words
        # About 90 a day, as a busy curation site publishes; at least two weeks of them.
        self.span = max(timedelta(days=14), timedelta(days=3 * 365) * total / ARTICLES)
        self.next_digest_id = 1
        self.next_point_id = 1
        self.next_tagged_id = 1

    def batch(self, rng: random.Random, first_id: int, count: int, out: dict) -> None:
        from articles.models import Article
        from digests.models import Digest
        from ingestion.models import Transcript

        for article_id in range(first_id, first_id + count):
            source = self.sources[(article_id * 7919) % len(self.sources)]
            language = source.language
            # Article ids grow with time: the newest is a few minutes old.
            age = self.span * (self.total - article_id) / self.total
            published_at = self.now - age - timedelta(seconds=rng.randint(60, 600))
            roll = rng.random()
            if roll < 0.94:
                status = Article.Status.PUBLISHED
            elif roll < 0.97:
                status = Article.Status.REVIEW
            elif roll < 0.99:
                status = Article.Status.HIDDEN
            else:
                status = Article.Status.FAILED
            topic = None if rng.random() < 0.08 else rng.choice(self.topics)
            # What the episode talks about: its topic's share of the technical words.
            group = self.topics.index(topic) if topic else rng.randrange(len(self.topics))
            focus = self.text.focus(rng, language, group)
            title = self.text.title(rng, language, focus)
            target = max(800, int(rng.lognormvariate(0, 0.45) * self.words * 0.905))
            speakers = ["Ana", "Ben", "Chloé", "Dev"][: rng.randint(2, 4)]
            segments, word_count = self.text.segments(rng, language, target, speakers, focus)
            transcript_text = "\n".join(s["text"] for s in segments)
            duration = int(segments[-1]["end"]) if segments else 0
            video = source.kind == "youtube"
            slug = f"{_slug(title)}-{article_id}"
            digests = []
            if status != Article.Status.FAILED:
                languages = [language]
                if rng.random() < 0.5:
                    languages.append("fr" if language == "en" else "en")
                for digest_language in languages:
                    own = digest_language == language
                    about = focus if own else self.text.focus(rng, digest_language, group)
                    digests.append(self._digest(rng, digest_language, segments, about))
            score = digests[0]["score"] if digests else None
            out["articles"].append(
                (
                    article_id, source.pk, f"bench-{article_id}", slug, title,
                    f"https://bench.example/episodes/{article_id}",
                    "" if video else f"https://cdn.bench.example/{article_id}.mp3",
                    "" if video else "audio/mpeg",
                    f"https://www.youtube.com/watch?v={_video_id(article_id)}" if video else "",
                    _video_id(article_id) if video else "",
                    "", f"<p>{self.text.sentences(rng, language, 2, focus)}</p>", duration,
                    published_at, language, topic.pk if topic else None, "[]", "", status,
                    "", rng.random() < 0.02, score, published_at, published_at,
                )
            )  # fmt: skip
            out["transcripts"].append(
                (
                    article_id, article_id, Transcript.Origin.FEED, "vtt", language,
                    f"https://bench.example/episodes/{article_id}.vtt",
                    json.dumps(segments, ensure_ascii=False), transcript_text, word_count,
                    "[]", published_at, published_at,
                )
            )  # fmt: skip
            tag_names = []
            pool = self.tag_ids["fr" if language == "fr" else "en"]
            for name in rng.sample(sorted(pool), rng.randint(2, 5)):
                out["tagged"].append((self.next_tagged_id, pool[name], article_id))
                self.next_tagged_id += 1
                tag_names.append(name)
            summaries = {"en": [], "fr": []}
            for digest in digests:
                out["digests"].append(
                    (
                        digest["id"], article_id, digest["language"], digest["tldr"],
                        digest["conclusion"], digest["score"],
                        json.dumps(digest["parts"]), None, "extractive", "",
                        "bench", 1.0, False, Digest.Status.READY, "", "{}",
                        published_at, published_at,
                    )
                )  # fmt: skip
                lines = [digest["tldr"]]
                for point in digest["points"]:
                    out["points"].append(point)
                    lines += [point[3], point[4]]
                lines.append(digest["conclusion"])
                summaries[digest["language"]].append("\n".join(x for x in lines if x))
            # The search document, as search.index.build_document() writes it.
            out["documents"].append(
                (
                    article_id, language, title, "\n".join(summaries["en"]),
                    "\n".join(summaries["fr"]), "\n".join([*tag_names, source.name]),
                    transcript_text[:200_000], published_at, published_at,
                    status == Article.Status.PUBLISHED,
                )
            )  # fmt: skip
            if status == Article.Status.PUBLISHED:
                out["published"].append(article_id)

    def _digest(self, rng, language, segments, focus) -> dict:
        digest_id = self.next_digest_id
        self.next_digest_id += 1
        score = Decimal(str(round(min(9.8, max(3.0, rng.gauss(6.9, 1.1))), 1)))
        points = []
        for order in range(rng.randint(5, 7)):
            segment = segments[rng.randrange(len(segments))]
            quote = segment["text"].split(". ")[0].rstrip(".") + "."
            points.append(
                (
                    self.next_point_id, digest_id, order,
                    self.text.title(rng, language, focus)[:300],
                    self.text.sentences(rng, language, 2, focus),
                    segment["start"], quote, True,
                )
            )  # fmt: skip
            self.next_point_id += 1
        return {
            "id": digest_id,
            "language": language,
            "tldr": self.text.sentences(rng, language, 2, focus),
            "conclusion": self.text.sentences(rng, language, 1, focus),
            "score": score,
            "parts": {"substance": 7, "novelty": 6, "clarity": 8, "relevance": 7},
            "points": points,
        }


def _slug(title: str) -> str:
    from django.utils.text import slugify

    return slugify(title)[:80].strip("-") or "episode"


def _video_id(article_id: int) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    n, out = article_id * 2654435761 % (64**11), []
    for _ in range(11):
        n, r = divmod(n, 64)
        out.append(alphabet[r])
    return "".join(out)


def _gin_indexes(connection) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename = 'articles_searchdocument' AND indexdef ILIKE '%% USING gin %%'"
        )
        return cursor.fetchall()


class Vectorizer:
    """Compute the tsvectors with the search module's own UPDATE, in parallel sessions,
    while the rows are still being copied: the two CPU-heavy halves of the seed (COPY
    and to_tsvector) then overlap instead of running one after the other."""

    def __init__(self, workers: int, progress):
        self.queue: queue.Queue = queue.Queue()
        self.progress = progress
        self.errors: list[BaseException] = []
        self.threads = [threading.Thread(target=self._work) for _ in range(workers)]
        for thread in self.threads:
            thread.start()

    def add(self, ids: list[int]) -> None:
        for start in range(0, len(ids), 250):
            self.queue.put(ids[start : start + 250])

    def finish(self) -> None:
        for _ in self.threads:
            self.queue.put(None)
        for thread in self.threads:
            thread.join()
        if self.errors:
            raise self.errors[0]

    def abort(self) -> None:
        self.errors.append(RuntimeError("seeding stopped"))
        for _ in self.threads:
            self.queue.put(None)
        for thread in self.threads:
            thread.join()

    def _work(self) -> None:
        from django.db import connections

        from search import index

        try:
            while (chunk := self.queue.get()) is not None:
                if not self.errors:
                    index._pg_vectorize(chunk)
                    self.progress(len(chunk))
        except BaseException as exc:  # re-raised by finish(), in the main thread
            self.errors.append(exc)
        finally:
            connections.close_all()


def run_parallel(connection_sql: list[str]) -> None:
    """Run each statement in its own session, all at once (index builds)."""
    from django.db import connections

    errors = []

    def run(sql: str) -> None:
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SET maintenance_work_mem = '512MB'")
                cursor.execute(sql)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(sql,)) for sql in connection_sql]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def seed(*, scale: float, words: int, rng_seed: int, progress: bool = True) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection
    from taggit.models import Tag, TaggedItem
    from tqdm import tqdm

    from articles.models import Article
    from bench.textgen import TextGenerator
    from digests.models import Digest, KeyPoint
    from favorites.models import Favorite
    from ingestion.models import Source, Transcript
    from search.models import SearchDocument

    total = max(100, round(ARTICLES * scale))
    readers = max(20, round(READERS * scale))
    favorites = max(100, round(FAVORITES * scale))
    started = time.monotonic()
    assert connection.vendor == "postgresql", "the benchmark seeds PostgreSQL"

    log("migrating")
    call_command("migrate", verbosity=0)
    if Article.objects.exists():
        raise SystemExit("the database already has articles: seed an empty one")

    rng = random.Random(rng_seed)
    text = TextGenerator(seed=rng_seed)
    topics = make_topics()
    sources = make_sources(rng, SOURCES, topics)
    reader_ids = make_readers(readers)
    tag_ids = {}
    for language, names in (("en", TAGS_EN), ("fr", TAGS_FR)):
        tags = Tag.objects.bulk_create([Tag(name=n, slug=n) for n in names])
        tag_ids[language] = {t.name: t.pk for t in tags}
    article_type = ContentType.objects.get_for_model(Article)

    gin = _gin_indexes(connection)
    with connection.cursor() as cursor:
        for name, _ in gin:
            cursor.execute(f'DROP INDEX "{name}"')

    now = datetime.now(UTC)
    factory = ArticleFactory(text, sources, topics, tag_ids, total=total, now=now, words=words)
    copier = Copier(connection)
    article_columns = [
        "id", "source_id", "guid", "slug", "title", "original_url", "audio_url", "audio_type",
        "video_url", "video_id", "image_url", "description_html", "duration_seconds",
        "published_at", "language", "topic_id", "transcript_links", "chapters_url", "status",
        "status_reason", "featured", "score", "created_at", "updated_at",
    ]  # fmt: skip
    transcript_columns = [
        "id", "article_id", "origin", "format", "language", "source_url", "segments", "text",
        "word_count", "provenance", "created_at", "updated_at",
    ]  # fmt: skip
    digest_columns = [
        "id", "article_id", "language", "tldr", "conclusion", "score", "score_parts",
        "score_override", "backend", "model_name", "version", "grounding", "from_show_notes",
        "status", "error", "token_usage", "created_at", "updated_at",
    ]  # fmt: skip
    point_columns = [
        "id", "digest_id", "order", "heading", "body", "start_seconds", "quote", "grounded",
    ]  # fmt: skip
    document_columns = [
        "article_id", "language", "title", "summary_en", "summary_fr", "keywords", "body",
        "updated_at", "published_at", "public",
    ]  # fmt: skip
    published: list[int] = []
    words_written = 0
    bars = {
        "articles": tqdm(total=total, desc="articles", unit="article", disable=not progress),
        "vectors": tqdm(total=total, desc="search vectors", unit="article", disable=not progress),
    }
    lock = threading.Lock()

    def vectorized(n: int) -> None:
        with lock:
            bars["vectors"].update(n)

    vectorizer = Vectorizer(workers=2, progress=vectorized)
    try:
        for first in range(1, total + 1, BATCH):
            count = min(BATCH, total - first + 1)
            out = {
                k: []
                for k in ("articles", "transcripts", "digests", "points", "tagged", "documents")
            }
            out["published"] = published
            factory.batch(rng, first, count, out)
            words_written += sum(row[8] for row in out["transcripts"])
            copier.copy(Article, article_columns, out["articles"])
            copier.copy(Transcript, transcript_columns, out["transcripts"])
            copier.copy(Digest, digest_columns, out["digests"])
            copier.copy(KeyPoint, point_columns, out["points"])
            copier.copy(
                TaggedItem,
                ["id", "tag_id", "object_id", "content_type_id"],
                ((i, t, a, article_type.pk) for i, t, a in out["tagged"]),
            )
            copier.copy(SearchDocument, document_columns, out["documents"])
            vectorizer.add(list(range(first, first + count)))
            with lock:
                bars["articles"].update(count)
    except BaseException:
        vectorizer.abort()
        raise
    finally:
        bars["articles"].close()
    log(f"{total:,} articles, {words_written / total:,.0f} transcript words on average")

    # Favorites: readers save recent, well-scored articles more often than old ones.
    favorite_rows, pairs = [], set()
    cumulative = list(
        itertools.accumulate(1.0 + i / len(published) * 3 for i in range(len(published)))
    )
    per_reader = favorites / len(reader_ids)
    next_id = 1
    for user_id in reader_ids:
        wanted = 45 if user_id == reader_ids[0] else max(0, round(rng.expovariate(1 / per_reader)))
        for article_id in rng.choices(published, cum_weights=cumulative, k=wanted):
            if (user_id, article_id) in pairs:
                continue
            pairs.add((user_id, article_id))
            saved = now - timedelta(minutes=rng.randint(1, 60 * 24 * 90))
            favorite_rows.append((next_id, user_id, article_id, saved))
            next_id += 1
    # The draw above is random: bring the volume to exactly what was asked.
    if len(favorite_rows) > favorites:
        favorite_rows = sorted(rng.sample(favorite_rows, favorites))
    while len(favorite_rows) < favorites and len(pairs) < len(published) * len(reader_ids):
        user_id = rng.choice(reader_ids)
        (article_id,) = rng.choices(published, cum_weights=cumulative)
        if (user_id, article_id) not in pairs:
            pairs.add((user_id, article_id))
            saved = now - timedelta(minutes=rng.randint(1, 60 * 24 * 90))
            favorite_rows.append((next_id, user_id, article_id, saved))
            next_id += 1
    copier.copy(Favorite, ["id", "user_id", "article_id", "created_at"], favorite_rows)
    log(f"{len(favorite_rows):,} favorites for {len(reader_ids):,} readers")

    models = [Article, Transcript, Digest, KeyPoint, TaggedItem, Favorite, Tag, Source]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    connection.close()

    log("waiting for the search vectors")
    vectorizer.finish()
    bars["vectors"].close()
    log(f"rebuilding {len(gin)} GIN index(es)")
    run_parallel([definition for _, definition in gin])
    log("vacuum analyze")
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    check_documents(sample=20)
    elapsed = time.monotonic() - started
    log(f"seeded in {elapsed / 60:.1f} min")
    return {
        "scale": scale,
        "words_target": words,
        "seed": rng_seed,
        "articles": total,
        "published": len(published),
        "sources": len(sources),
        "topics": len(topics),
        "readers": len(reader_ids),
        "favorites": len(favorite_rows),
        "words": round(words_written / total),
        "seconds": round(elapsed),
        "user_model_count": get_user_model().objects.count(),
    }


def check_documents(sample: int) -> None:
    """The documents written above must be what the search module itself would build."""
    from articles.models import Article
    from search import index
    from search.models import SearchDocument

    build = getattr(index, "build_documents", None)
    if build is None:
        log("search module without build_documents(): documents not cross-checked")
        return
    ids = list(Article.objects.order_by("?").values_list("pk", flat=True)[:sample])
    for pk, built in build(ids).items():
        stored = SearchDocument.objects.get(pk=pk)
        for name in index.STORED_FIELDS:
            if name == "keywords":  # compared as a set, below
                continue
            if getattr(built, name) != getattr(stored, name):
                raise SystemExit(f"search document {pk}: {name} differs from the index's")
        if sorted(built.keywords.split("\n")) != sorted(stored.keywords.split("\n")):
            raise SystemExit(f"search document {pk}: keywords differ from the index's")


def manifest(*, rng_seed: int = 1) -> dict:
    """What the load generator asks for, read from the seeded database: varied URLs of
    each kind, search queries, and a fresh signed-in session for the bench reader
    (sessions are signed with SECRET_KEY, which each run chooses anew)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.db.models.functions import TruncMonth

    from articles.models import Article
    from bench.textgen import TextGenerator
    from topics.models import Topic

    rng = random.Random(rng_seed)
    published = Article.objects.published()
    topics = [
        f"/topics/{slug}/"
        for slug in Topic.objects.filter(articles__in=published)
        .distinct()
        .values_list("slug", flat=True)
    ]
    months = sorted(
        {
            (d.year, d.month)
            for d in published.annotate(m=TruncMonth("published_at"))
            .values_list("m", flat=True)
            .distinct()
        }
    )
    archive = [f"/archives/{y}/{m}/" for y, m in months[-13:-1] or months]
    ids = list(published.values_list("pk", flat=True))
    chosen = rng.sample(ids, min(200, len(ids)))
    articles = [
        f"/articles/{slug}/"
        for slug in Article.objects.filter(pk__in=chosen).values_list("slug", flat=True)
    ]
    text = TextGenerator(seed=rng_seed, pool=10)
    queries = []
    # What readers type: one or two technical words (two of one subject, as a reader
    # narrowing a search would), a phrase, an exclusion; a sixth of them in French.
    for n in range(60):
        language = "fr" if n % 6 == 5 else "en"
        focus = text.focus(rng, language, n % 12)
        if n % 10 == 3:
            query = f'"{focus[0]} {focus[1]}"'
        elif n % 10 == 7:
            query = f"{focus[0]} -{focus[1]}"
        elif n % 2:
            query = f"{focus[0]} {focus[1]}"
        else:
            query = focus[0]
        queries.append(query)
    search = [f"/search/?q={quote_plus(q)}" for q in queries]

    user = get_user_model().objects.get(username=BENCH_READER)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return {
        "today": ["/"],
        "topic": topics,
        "archive": archive,
        "article": articles,
        "search": search,
        "favorites": ["/favorites/"],
        "session_cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}",
        "reader_favorites": user.favorites.count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 100,000 articles")
    parser.add_argument("--words", type=int, default=WORDS, help="transcript words on average")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--report", type=Path, help="write a JSON summary here")
    parser.add_argument(
        "--manifest", type=Path, help="do not seed: write the load generator's URLs here"
    )
    args = parser.parse_args()
    django_setup()
    if args.manifest:
        args.manifest.write_text(json.dumps(manifest(rng_seed=args.seed), indent=1))
        return
    summary = seed(scale=args.scale, words=args.words, rng_seed=args.seed)
    print(json.dumps(summary))
    if args.report:
        args.report.write_text(json.dumps(summary))


if __name__ == "__main__":
    main()
