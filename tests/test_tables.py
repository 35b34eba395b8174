"""The flat post table, the long tables, and the DataFrames built from them."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tgarchive
from tgarchive import tables

from .conftest import FIXTURES, corpus_dir

DOCS = Path(__file__).parents[1] / "docs"
ACCOUNT = FIXTURES / "desktop-json" / "account_export.json"


def teleaudio() -> tgarchive.Archive:
    """The last page of a real HTML chain, whose other pages are absent (a recorded issue)."""
    with pytest.warns(tgarchive.ParseWarning, match="pages 1 to 3 are not here"):
        return tgarchive.load(corpus_dir("desktop-html", "teleaudio") / "messages4.html")


def corpus_archives() -> list[tgarchive.Archive]:
    return [
        tgarchive.load(corpus_dir("desktop-json", "salaf") / "result.json"),
        teleaudio(),
        tgarchive.load(corpus_dir("desktop-html", "salaf") / "messages.html"),
    ]


def check_rows_against_posts(archive: tgarchive.Archive) -> int:
    """Every posts row says what the model says; returns the number of rows checked."""
    rows = list(tables.iter_rows(archive))
    posts = [(chat, post) for chat in archive.chats for post in chat.posts]
    assert len(rows) == len(posts)
    for row, (chat, post) in zip(rows, posts, strict=True):
        assert list(row) == tables.column_names("posts")
        assert row["chat_id"] == (post.chat_id if post.chat_id is not None else chat.id)
        assert row["chat_name"] == chat.name
        assert row["post_id"] == post.id
        assert row["text"] == post.text
        assert row["type"] == post.type and row["action"] == post.action
        assert row["author"] == post.author and row["author_id"] == post.author_id
        if post.date is not None:
            assert row["date"].tzinfo is timezone.utc
            if post.date.tzinfo is not None:
                assert row["date"] == post.date
            else:
                assert row["date"].replace(tzinfo=None) == post.date
        else:
            assert row["date"] is None
        assert row["reactions_total"] == sum(r.count for r in post.reactions)
        if post.reactions:
            assert sum(row["reactions"].values()) == row["reactions_total"]
            assert set(row["reactions"]) == {r.label for r in post.reactions}
        else:
            assert row["reactions"] is None
        assert row["link_count"] == len(post.links)
        domains = [link.domain for link in post.links if link.domain]
        assert (row["domains"] or []) == list(dict.fromkeys(domains))
        assert (row["hashtags"] or []) == list(dict.fromkeys(post.hashtags))
        assert row["media_kind"] == (post.media.kind if post.media else None)
        assert row["lang"] == post.lang.lang
        assert row["forward_from_name"] == (post.forward.from_name if post.forward else None)
    return len(rows)


def test_sample_rows_match_the_model():
    """On the bundled sample, each row's values are the post's own."""
    assert check_rows_against_posts(tgarchive.load(tgarchive.sample_path())) == 12


def test_corpus_rows_match_the_model():
    """On real JSON and HTML exports (Arabic, RTL, reactions), rows match the posts."""
    total = sum(check_rows_against_posts(archive) for archive in corpus_archives())
    assert total > 800


def test_account_export_rows_name_their_chat():
    """In a whole-account export every row carries the chat it came from."""
    archive = tgarchive.load(ACCOUNT)
    rows = list(tables.iter_rows(archive))
    assert {r["chat_name"] for r in rows} == {c.name for c in archive.chats if c.posts}
    assert check_rows_against_posts(archive) == len(archive.posts)


def test_long_tables_join_on_chat_and_post():
    """Reactions, links and entities rows point at their post and repeat its items."""
    archive = tgarchive.load(corpus_dir("desktop-json", "salaf") / "result.json")
    by_key = {(p.chat_id or archive.chats[0].id, p.id): p for p in archive.posts}
    entities = list(tables.iter_rows(archive, "entities"))
    assert len(entities) == sum(len(p.entities) for p in archive.posts) > 100
    for row in entities:
        post = by_key[row["chat_id"], row["post_id"]]
        assert post.text[row["offset"] : row["offset"] + row["length"]] == row["text"]
    links = list(tables.iter_rows(archive, "links"))
    assert [(r["url"], r["domain"]) for r in links] == [
        (link.url, link.domain) for p in archive.posts for link in p.links
    ]
    sample = tgarchive.load(tgarchive.sample_path())
    reactions = list(tables.iter_rows(sample, "reactions"))
    assert [(r["post_id"], r["kind"], r["reaction"], r["count"]) for r in reactions] == [
        (p.id, r.kind, r.label, r.count) for p in sample.posts for r in p.reactions
    ]


def test_source_stream_and_archive_give_the_same_rows():
    """A path, a stream of chats and posts, and the loaded archive give equal rows."""
    archive = tgarchive.load(ACCOUNT)
    from_archive = list(tables.iter_rows(archive))
    assert list(tables.iter_rows(ACCOUNT)) == from_archive
    assert list(tables.iter_rows(tgarchive.stream(ACCOUNT))) == from_archive
    assert list(tables.iter_rows(ACCOUNT.read_bytes())) == from_archive


def test_posts_without_a_chat_use_their_own_chat_id():
    """A bare stream of posts takes chat_id from the post; a chat's id fills in for None."""
    post = tgarchive.Post(id=5, chat_id=77, text="x")
    [row] = tables.iter_rows([post])
    assert (row["chat_id"], row["chat_name"]) == (77, None)
    chat = tgarchive.Chat(id=9, name="채널")
    rows = list(tables.iter_rows([chat, tgarchive.Post(id=1), post]))
    assert [(r["chat_id"], r["chat_name"]) for r in rows] == [(9, "채널"), (77, "채널")]


def test_times_are_utc():
    """An aware time is converted to UTC; a time without a zone is taken as UTC."""
    kst = timezone(timedelta(hours=9))
    aware = tgarchive.Post(id=1, date=datetime(2024, 1, 1, 9, 0, tzinfo=kst))
    naive = tgarchive.Post(id=2, date=datetime(2024, 1, 1, 9, 0), edited=datetime(2024, 1, 2))
    a, n = tables.iter_rows([aware, naive])
    assert a["date"] == datetime(2024, 1, 1, 0, 0, tzinfo=timezone.utc)
    assert a["date"].tzinfo is timezone.utc
    assert n["date"] == datetime(2024, 1, 1, 9, 0, tzinfo=timezone.utc)
    assert n["edited"] == datetime(2024, 1, 2, tzinfo=timezone.utc)


def test_lang_can_be_skipped():
    """lang=False leaves the lang column null and every other column as it was."""
    with_lang = list(tables.iter_rows(tgarchive.sample_path()))
    without = list(tables.iter_rows(tgarchive.sample_path(), lang=False))
    assert all(r["lang"] is None for r in without)
    assert [{**r, "lang": None} for r in with_lang] == without
    assert {r["lang"] for r in with_lang} >= {"ko", "en"}


def test_unknown_table_is_refused():
    """Asking for a table that does not exist names the ones that do."""
    with pytest.raises(ValueError, match="posts, reactions, links, entities"):
        list(tables.iter_rows(tgarchive.sample_path(), "users"))  # type: ignore[arg-type]


def test_bad_items_are_refused():
    """Something that is neither a chat nor a post is a TypeError naming it."""
    with pytest.raises(TypeError, match="got a dict"):
        list(tables.iter_rows([{"id": 1}]))  # type: ignore[list-item]


URL_PARTS = st.sampled_from(["https://", "http://", "//", "", "HTTP://", "ftp://", " ", "1x://"])
HOSTS = st.sampled_from(["www.Example.com", "lu.ma", "user:pw@host.io:8080", "[::1]", "[bad",
                         "예시.한국", "EXAMPLE.org.", "", "a b.com", "www.", "x\ty.com"])  # fmt: skip
TAILS = st.sampled_from(["", "/p/1", "?q=1", "#frag", "/a?b#c", "\\x", ":99/z", " "])


@given(URL_PARTS, HOSTS, TAILS, st.text(max_size=8))
def test_link_domain_is_link_domain(scheme, host, tail, noise):
    """The cached domain of a URL equals tgarchive.Link.domain for any URL-like text."""
    for url in (scheme + host + tail, scheme + host + tail + noise, noise + host + tail):
        expected = tgarchive.Link(url=url, text=url, kind="link").domain
        assert tables.link_domain(url) == expected, url


@given(st.text())
def test_link_domain_never_differs_on_any_text(url):
    """Even on arbitrary text the shortcut agrees with Link.domain."""
    assert tables.link_domain(url) == tgarchive.Link(url=url, text=url, kind="link").domain


# --- DataFrames -------------------------------------------------------------------------------

PANDAS_DTYPES = {"int": "Int64", "name": "category", "text": "string",
                 "time": "datetime64[us, UTC]", "map": "object", "list": "object"}  # fmt: skip
POLARS_DTYPES = {"int": "Int64", "name": "Categorical", "text": "String",
                 "time": "Datetime(time_unit='us', time_zone='UTC')",
                 "map": "Map(String, Int64)", "list": "List(String)"}  # fmt: skip


@pytest.mark.parametrize("table", tables.TABLES)
def test_pandas_dtypes_follow_the_schema(table):
    """Every column of every table has the documented pandas dtype, even when empty."""
    pytest.importorskip("pandas")
    empty: list[tgarchive.Post] = []
    for data in (tgarchive.sample_path(), empty):
        frame = tables.to_pandas(data, table)
        assert list(frame.columns) == tables.column_names(table)
        for column in tables.COLUMNS[table]:
            assert str(frame[column.name].dtype) == PANDAS_DTYPES[column.kind], column.name


@pytest.mark.parametrize("table", tables.TABLES)
def test_polars_dtypes_follow_the_schema(table):
    """Every column of every table has the documented polars dtype, even when empty."""
    pytest.importorskip("polars")
    empty: list[tgarchive.Post] = []
    for data in (tgarchive.sample_path(), empty):
        frame = tables.to_polars(data, table)
        assert frame.columns == tables.column_names(table)
        for column in tables.COLUMNS[table]:
            assert str(frame.schema[column.name]) == POLARS_DTYPES[column.kind], column.name


def _plain(value: Any) -> Any:
    """A DataFrame cell as the Python value iter_rows gives."""
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, list) and value and isinstance(value[0], tuple):
        return dict(value)
    return value


@pytest.mark.parametrize("table", tables.TABLES)
def test_dataframes_hold_the_rows(table):
    """pandas and polars frames of the real export hold exactly the rows iter_rows gives."""
    pytest.importorskip("pandas")
    pytest.importorskip("polars")
    path = corpus_dir("desktop-json", "salaf") / "result.json"
    archive = tgarchive.load(path)
    rows = [list(r.values()) for r in tables.iter_rows(archive, table)]
    frame = archive.to_pandas(table)
    got = [[_plain(v) for v in record] for record in frame.astype(object).values.tolist()]
    assert got == rows
    pl_frame = archive.to_polars(table)
    got = [[_plain(v) for v in record] for record in pl_frame.rows()]
    assert got == rows
    assert tables.to_pandas(path, table).equals(frame)


def test_frames_from_a_source_need_no_archive():
    """to_pandas on a path equals the archive method; the arrow table has the schema."""
    pytest.importorskip("pandas")
    frame = tables.to_pandas(ACCOUNT)
    assert frame.equals(tgarchive.load(ACCOUNT).to_pandas())
    assert tables.to_arrow(ACCOUNT).schema == tables.arrow_schema("posts")
    assert frame["chat_name"].cat.categories.tolist() == [
        "Jihoon Kim",
        "Startup Founders KR",
        "Old Channel",
    ]


def test_documented_schema_matches_the_code():
    """The column table in docs/outputs/dataframes.md lists exactly the columns and kinds."""
    doc = (DOCS / "outputs" / "dataframes.md").read_text(encoding="utf-8")
    for table, columns in tables.COLUMNS.items():
        section = doc.split(f"<!-- table:{table} -->", 1)[1].split("<!-- end -->", 1)[0]
        found = re.findall(r"^\| `(\w+)` \| (\w+) \|", section, flags=re.M)
        assert found == [(c.name, c.kind) for c in columns], table
