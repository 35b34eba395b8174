"""tgarchive.search finds exactly the posts a plain substring scan finds, newest first."""

from __future__ import annotations

import random
import re
import warnings
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tgarchive

from .conftest import FIXTURES, corpus_dir

CHINESE = FIXTURES / "search" / "chinese_channel.json"


def korean_posts() -> list[tgarchive.Post]:
    """The real Korean/English channel text, one post per paragraph, a day apart (with a
    few posts sharing a time, to pin down the order of ties)."""
    path = corpus_dir().parent / "samples" / "continuous-learning-channel.txt"
    paragraphs = [p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    start = datetime(2023, 7, 1, tzinfo=timezone.utc)
    return [
        tgarchive.Post(
            id=i, chat_id=1739574530, text=text, date=start + timedelta(days=i - (i % 7 == 0))
        )
        for i, text in enumerate(paragraphs, start=1)
    ]


def real_posts() -> list[tgarchive.Post]:
    """Korean (sample page), Chinese (fixture), Arabic (two real exports) posts in one list."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tgarchive.ParseWarning)
        arabic = [
            *tgarchive.load(corpus_dir("desktop-json", "salaf") / "result.json").posts,
            *tgarchive.load(corpus_dir("desktop-html", "teleaudio") / "messages4.html").posts,
        ]
    chinese = tgarchive.load(CHINESE, strict=True).posts
    return [*korean_posts(), *chinese, *arabic]


def reference(posts: Sequence[tgarchive.Post], query: str) -> list[tuple[int | None, int | None]]:
    """The plain scan: a regular expression, ASCII letters compared without case, sorted by
    time (then reverse position), newest first, undated last."""
    pattern = re.compile(re.escape(query), re.IGNORECASE | re.ASCII)
    hits = [(i, p) for i, p in enumerate(posts) if pattern.search(p.text)]

    def key(item: tuple[int, tgarchive.Post]) -> tuple[bool, datetime, int]:
        i, p = item
        when = p.date
        if when is not None and when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return (when is not None, when or datetime.min.replace(tzinfo=timezone.utc), i)

    return [(p.chat_id, p.id) for _, p in sorted(hits, key=key, reverse=True)]


def keys(posts: Sequence[tgarchive.Post]) -> list[tuple[int | None, int | None]]:
    return [(p.chat_id, p.id) for p in posts]


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    """The real posts, each stamped with a chat id, written to an SQLite archive."""
    posts = []
    for p in real_posts():
        posts.append(p if p.chat_id is not None else p.model_copy(update={"chat_id": 0}))
    # The real exports' post ids repeat across chats: give each source its own chat id.
    seen: set[tuple[int | None, int | None]] = set()
    unique = []
    for p in posts:
        chat_id = p.chat_id
        while (chat_id, p.id) in seen:
            chat_id = (chat_id or 0) + 1
        seen.add((chat_id, p.id))
        unique.append(p.model_copy(update={"chat_id": chat_id}))
    path = tmp_path_factory.mktemp("search") / "real.sqlite"
    tgarchive.dump(unique, path)
    return unique, path


def substrings(posts: list[tgarchive.Post], lengths: tuple[int, ...], count: int) -> list[str]:
    rng = random.Random(20261201)
    texts = [p.text for p in posts if len(p.text) >= 4]
    out = []
    for _ in range(count):
        text = rng.choice(texts)
        n = rng.choice(lengths)
        start = rng.randrange(0, len(text) - n + 1)
        out.append(text[start : start + n])
    return out


QUERIES = ["투자", "투", "자", "스타트업", "모델", "AI", "ai", "Ai", "openai", "OPENAI", "llm",
           "投资", "投資", "人工智能", "智", "模型", "gpt-4", "GPT-4o", "الله", "ال", "ﷺ",
           "صلى الله عليه وسلم", "\n", "\n\n", " ", "...", "%", "_", '"', "'", "a''b", "x\"y",
           "https://", "é", "É", "🚀", "👉", "NOT", "AND", "*", "^", "-", "(", ")", "NEAR"]  # fmt: skip


def test_fixed_queries_match_a_plain_scan(indexed):
    """Korean one- and two-syllable words, Han, Arabic, punctuation, FTS operators, quotes
    and case variants: the index gives exactly the scan's posts, in the scan's order."""
    posts, path = indexed
    assert len(posts) > 1000
    nonempty = 0
    for query in QUERIES:
        expected = reference(posts, query)
        assert keys(tgarchive.search(path, query)) == expected, query
        nonempty += bool(expected)
    assert nonempty >= len(QUERIES) - 6


@pytest.mark.parametrize(
    "lengths", [(1, 2), (3, 4, 5), (6, 12, 30)], ids=["short", "trigram", "long"]
)
def test_substrings_of_real_text_match_a_plain_scan(indexed, lengths):
    """Substrings cut at random from the real Korean, Chinese and Arabic texts (so they match
    at least once) are found exactly, through the scan and through the trigram index."""
    posts, path = indexed
    for query in substrings(posts, lengths, 60):
        expected = reference(posts, query)
        assert expected, query
        assert keys(tgarchive.search(path, query)) == expected, query


def test_export_scan_matches_the_index(indexed):
    """Searching an export directly (no index) gives what the SQLite archive gives."""
    _posts, _path = indexed
    archive = tgarchive.load(CHINESE)
    db = Path(_path).with_name("chinese.sqlite")
    tgarchive.dump(archive, db)
    for query in ["投资", "投", "模型", "gpt", "GPT-4", "智", "人工智能", "\n-", "zzz"]:
        direct = tgarchive.search(CHINESE, query)
        assert keys(direct) == keys(tgarchive.search(db, query)) == reference(archive.posts, query)
    assert [p.id for p in tgarchive.search(CHINESE, "人工智能")] == [15, 13]
    # posts 13 and 14 share a time: the later one in the export comes first
    assert [p.id for p in tgarchive.search(CHINESE, "智")] == [15, 14, 13]


def test_limit_keeps_the_newest(indexed):
    """limit= returns the first posts of the full answer; limit=0 none."""
    _posts, path = indexed
    full = tgarchive.search(path, "الله")
    assert len(full) > 20
    assert tgarchive.search(path, "الله", limit=5) == full[:5]
    assert tgarchive.search(path, "투자", limit=2) == tgarchive.search(path, "투자")[:2]
    assert tgarchive.search(path, "الله", limit=0) == []
    with pytest.raises(ValueError, match="limit"):
        tgarchive.search(path, "x", limit=-1)


def test_results_are_whole_posts(indexed):
    """What search returns are the posts as written, equal to the originals."""
    posts, path = indexed
    by_key = {(p.chat_id, p.id): p for p in posts}
    for post in tgarchive.search(path, "스타트업"):
        assert post == by_key[post.chat_id, post.id]


def test_empty_query_matches_everything():
    """Every text contains the empty string."""
    assert len(tgarchive.search(tgarchive.sample_path(), "")) == 12


def test_foreign_sqlite_is_refused(tmp_path):
    """An SQLite file that tgarchive did not write is refused with a clear error."""
    import sqlite3

    path = tmp_path / "x.db"
    sqlite3.connect(path).execute("CREATE TABLE posts (text)").connection.commit()
    with pytest.raises(tgarchive.TgArchiveError, match="not a tgarchive archive"):
        tgarchive.search(path, "투자")


TEXT_ALPHABET = st.sampled_from(list("투자스타트업모델 인공智能投资資ALIalì\"'%_*()-\nالله🚀ÉéAa"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    texts=st.lists(st.text(TEXT_ALPHABET, max_size=20), min_size=1, max_size=12),
    query=st.text(TEXT_ALPHABET, min_size=1, max_size=5),
)
def test_random_queries_on_random_posts(tmp_path_factory, texts, query):
    """On generated texts (Hangul, Han, Arabic, Latin with case, FTS syntax characters),
    the index, the export scan and the reference agree for any query."""
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    posts = [tgarchive.Post(id=i, chat_id=1, text=t, date=start + timedelta(hours=i % 4))
             for i, t in enumerate(texts)]  # fmt: skip
    path = tmp_path_factory.mktemp("prop") / "p.sqlite"
    tgarchive.dump(posts, path)
    expected = reference(posts, query)
    assert keys(tgarchive.search(path, query)) == expected
    jsonl = path.with_suffix(".jsonl")
    tgarchive.dump(posts, jsonl)
    assert keys(tgarchive.search(jsonl, query)) == expected


@given(st.text(TEXT_ALPHABET, max_size=30), st.text(TEXT_ALPHABET, min_size=1, max_size=4))
def test_fold_matches_the_regex_rule(text, query):
    """fold-and-contain is the same rule as an ASCII-only case-insensitive regex."""
    from tgarchive._search import fold

    assert (fold(query) in fold(text)) == bool(
        re.search(re.escape(query), text, re.IGNORECASE | re.ASCII)
    )
