"""The model as a user meets it: reprs, hashing, derived values, types, archive.posts."""

from __future__ import annotations

import copy
import pickle
import typing
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tgarchive
from tgarchive import Archive, Chat, Entity, Post

from .conftest import FIXTURES, corpus_dir, json_fixtures
from .property.strategies import chat_export


def _parsed_posts() -> list[Post]:
    posts: list[Post] = []
    for path in json_fixtures():
        posts.extend(tgarchive.load(path).posts)
    with pytest.warns(tgarchive.ParseWarning, match="problems reading"):
        posts.extend(tgarchive.load(FIXTURES / "desktop-html" / "edge_cases").posts)
    posts.extend(tgarchive.load(tgarchive.sample_path()).posts)
    return posts


def _remade(model: typing.Any) -> typing.Any:
    """The same model made by hand from the fields it reports as set."""
    return type(model)(**{name: getattr(model, name) for name in model.model_fields_set})


# --- reprs ---------------------------------------------------------------------------------


def test_post_repr_is_short_and_says_what_matters():
    """A real post's repr stays well under 800 characters and names id, date, author, text."""
    folder = corpus_dir("desktop-json", "salaf")
    archive = tgarchive.load(folder / "result.json")
    longest = max(archive.posts, key=lambda p: len(p.text) + len(p.entities))
    text = repr(longest)
    assert len(text) < 500, text
    assert text.startswith(f"Post(id={longest.id}, ")
    assert longest.date is not None and f"date={longest.date.isoformat()}" in text
    assert repr(longest.text[:20])[:-1] in text  # the start of the text, quoted
    assert f"entities={len(longest.entities)}" in text
    assert f"text_len={len(longest.text)}" in text
    assert all(len(repr(p)) < 800 for p in archive.posts)
    assert str(longest).startswith(f"id={longest.id} ")


def test_post_repr_shows_chat_counts_and_media():
    """chat_id, reactions, media kind and forward source appear in the repr when present."""
    post = Post(
        id=7,
        chat_id=42,
        text="hello",
        reactions=(tgarchive.Reaction(kind="emoji", emoji="👍", count=3),),
        media=tgarchive.MediaFile(kind="photo"),
        forward=tgarchive.Forward(from_name="Other channel"),
    )
    assert repr(post) == (
        "Post(id=7, chat_id=42, text='hello', media='photo', forward='Other channel', reactions=3)"
    )


def test_archive_repr_is_one_line_per_chat():
    """An account export's repr is a header line then one short line per chat."""
    archive = tgarchive.load(FIXTURES / "desktop-json" / "account_export.json")
    lines = repr(archive).splitlines()
    assert len(lines) == 1 + len(archive.chats)
    assert lines[0] == (
        f"Archive(format='desktop-json', chats={len(archive.chats)}, "
        f"posts={len(archive.posts)}, issues=0)"
    )
    for line, chat in zip(lines[1:], archive.chats, strict=True):
        assert line == f"  {chat!r}"
        assert f"posts={len(chat.posts)}" in line and len(line) < 200
    assert str(archive) == repr(archive)


def test_archive_repr_stays_short_for_many_chats():
    """With hundreds of chats the repr lists the first ones and counts the rest."""
    archive = Archive(format="x", chats=[Chat(id=i, name=f"c{i}") for i in range(500)])
    lines = repr(archive).splitlines()
    assert len(lines) == 32
    assert lines[-1] == "  … 470 more chats"


def test_real_archive_repr_is_small():
    """A 1,985-post HTML export prints in a few hundred characters, not megabytes."""
    archive = tgarchive.load(corpus_dir("desktop-html", "civil"))
    assert len(repr(archive)) < 300


# --- hashing -------------------------------------------------------------------------------


def test_posts_are_hashable_and_equal_posts_hash_equal():
    """set(archive.posts) works, and a post remade by hand is the same set member."""
    posts = _parsed_posts()
    assert len(set(posts)) <= len(posts)
    for post in posts:
        twin = _remade(post)
        assert twin == post and hash(twin) == hash(post)
        assert twin in {post}
        for entity in post.entities:
            assert hash(_remade(entity)) == hash(entity)
        if post.media is not None:
            assert hash(post.media) == hash(_remade(post.media))


def test_hash_tells_apart_posts_of_different_chats():
    """Same id in two chats: two different set members."""
    a, b = Post(id=1, chat_id=1, text="x"), Post(id=1, chat_id=2, text="x")
    assert a != b and len({a, b}) == 2


def test_models_with_nested_extra_hash():
    """Models whose extra holds lists and dicts (JSON values) hash, consistently with ==."""
    a = Entity(kind="bold", offset=0, length=1, text="x", extra={"k": [1, {"n": [2]}]})
    b = Entity(kind="bold", offset=0, length=1, text="x", extra={"k": [1, {"n": [2]}]})
    assert a == b and hash(a) == hash(b)
    post = Post(id=1, action_data={"members": ["a", "b"]}, extra={"x": {"y": 1}})
    assert hash(post) == hash(post.model_copy())


@given(
    st.dictionaries(
        st.text(max_size=5),
        st.recursive(
            st.none() | st.integers() | st.text(max_size=5),
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
            max_leaves=8,
        ),
        max_size=4,
    )
)
def test_equal_extras_hash_equal(extra):
    """Any JSON-like extra: two equal entities hash equal."""
    a = Entity(kind="x", offset=0, length=0, text="", extra=extra)
    b = Entity(kind="x", offset=0, length=0, text="", extra=copy.deepcopy(extra))
    assert a == b and hash(a) == hash(b)


# --- a parsed post is an ordinary post -----------------------------------------------------


def test_parsed_post_fields_set_is_what_the_source_gave():
    """model_fields_set lists the fields with a non-default value, not every field."""
    post = tgarchive.load(tgarchive.sample_path()).chats[0].posts[2]
    assert post.views is None and "views" not in post.model_fields_set
    assert "extra" not in post.model_fields_set and "type" not in post.model_fields_set
    assert {"id", "date", "text", "entities", "reactions"} <= post.model_fields_set
    assert post.model_fields_set != set(Post.model_fields)
    assert post.model_dump(exclude_unset=True) == post.model_dump(exclude_defaults=True)


def test_parsed_posts_behave_like_hand_made_ones():
    """Post(**fields) of a parsed post matches it in fields set, extra, copies, ==, hash."""
    for post in _parsed_posts():
        twin = _remade(post)
        assert twin.model_fields_set == post.model_fields_set
        assert twin.model_dump(exclude_unset=True) == post.model_dump(exclude_unset=True)
        assert type(twin.extra) is type(post.extra)
        assert type(twin.action_data) is type(post.action_data)
        for a, b in ((post, twin), (copy.copy(post), copy.copy(twin))):
            assert a == b
        deep = copy.deepcopy(post), copy.deepcopy(twin)
        assert deep[0] == deep[1] == post
        assert type(deep[0].extra) is type(deep[1].extra)
        changed = post.model_copy(update={"views": 5}), twin.model_copy(update={"views": 5})
        assert changed[0] == changed[1]
        assert changed[0].model_fields_set == changed[1].model_fields_set
        assert pickle.loads(pickle.dumps(post)).model_fields_set == post.model_fields_set


def test_empty_mappings_are_read_only_on_every_path():
    """An empty extra refuses mutation whether the post was parsed or hand-made."""
    parsed = tgarchive.load(tgarchive.sample_path()).posts[0]
    for post in (parsed, Post(id=1), Post(id=1, extra={}), copy.deepcopy(parsed)):
        with pytest.raises(TypeError, match="frozen model"):
            post.extra["k"] = 1
        extra = post.extra
        with pytest.raises(TypeError):
            extra |= {"k": 1}
    assert pickle.loads(pickle.dumps(parsed.extra)) is parsed.extra


def test_media_kind_always_counts_as_set():
    """A media's kind (its union tag) is in model_fields_set, so unset-free dumps load back."""
    post = Post(id=1, media=tgarchive.Poll(question="q"))
    assert "kind" in post.media.model_fields_set  # type: ignore[union-attr]
    assert Post.model_validate(post.model_dump(exclude_unset=True)) == post


def test_button_data_is_not_taken_for_a_mapping():
    """A str field named data keeps its empty string (only dict fields share the empty {})."""
    assert tgarchive.Button(kind="callback", data="").data == ""


# --- derived values follow the data --------------------------------------------------------


def test_lang_follows_model_copy():
    """model_copy(update={'text': ...}) gets the language of its own text."""
    post = tgarchive.load(tgarchive.sample_path()).posts[2]
    assert post.lang.lang == "en"
    korean = post.model_copy(update={"text": "오늘 발표 자료를 공유합니다", "entities": ()})
    assert korean.lang.lang == "ko"
    assert post.lang.lang == "en"
    assert post.lang is post.lang
    same = post.model_copy(update={"views": 3})
    assert same.lang == post.lang


def test_lang_cache_does_not_change_equality_or_dump():
    """Asking for lang leaves ==, hash and the dump as they were."""
    a = tgarchive.load(tgarchive.sample_path()).posts[2]
    b = tgarchive.load(tgarchive.sample_path()).posts[2]
    dump = b.model_dump()
    _ = a.lang
    assert a == b and hash(a) == hash(b)
    assert a.model_dump() == dump


# --- types ---------------------------------------------------------------------------------


def test_entity_kind_is_typed_and_keeps_unknown_kinds():
    """Entity.kind is EntityKind | str: known kinds validate, an unknown one is kept as is."""
    hints = typing.get_type_hints(Entity, include_extras=False)
    assert hints["kind"] == tgarchive.EntityKind | str
    assert Entity(kind="bold", offset=0, length=0, text="").kind == "bold"
    assert Entity(kind="future_kind", offset=0, length=0, text="").kind == "future_kind"
    assert "bold" in typing.get_args(tgarchive.EntityKind)


def test_post_type_is_typed_and_keeps_unknown_types():
    """Post.type is PostType | str."""
    hints = typing.get_type_hints(Post)
    assert hints["type"] == tgarchive.PostType | str
    assert set(typing.get_args(tgarchive.PostType)) == {"message", "service", "unsupported"}
    assert Post(id=1, type="brand_new").type == "brand_new"


def test_resolve_is_typed(tmp_path):
    """Archive.resolve is annotated Path | zipfile.Path and returns one."""
    hints = typing.get_type_hints(Archive.resolve)
    assert hints["return"] == Path | zipfile.Path
    archive = tgarchive.load(tgarchive.sample_path())
    assert isinstance(archive.resolve("photos/x.jpg"), Path)


def test_annotation_names_are_exported_where_users_look():
    """LangGuess shows under tgarchive.text and the top level; EntityKind is exported."""
    from tgarchive.text import LangGuess

    assert LangGuess.__module__ == "tgarchive.text"
    assert tgarchive.LangGuess is LangGuess
    assert repr(LangGuess) == "<class 'tgarchive.text.LangGuess'>"
    for name in ("EntityKind", "PostType", "LangGuess", "ArchivePosts"):
        assert name in tgarchive.__all__


# --- archive.posts -------------------------------------------------------------------------


def test_archive_posts_refuses_mutation_instead_of_ignoring_it():
    """append and friends raise, saying where posts go; chats' lists still take them."""
    archive = tgarchive.load(tgarchive.sample_path())
    post = archive.posts[0]
    calls: list[Callable[[], object]] = [
        lambda: archive.posts.append(post),
        lambda: archive.posts.extend([post]),
        lambda: archive.posts.insert(0, post),
        lambda: archive.posts.__setitem__(0, post),
        lambda: archive.posts.__delitem__(0),
    ]
    for call in calls:
        with pytest.raises(TypeError, match=r"archive\.chats"):
            call()
    archive.chats[0].posts.append(post)
    assert len(archive.posts) == 13 and archive.posts[-1] is post


class _NoIteration(list[Post]):
    def __iter__(self) -> Iterator[Post]:
        raise AssertionError("indexing must not iterate the posts")


def test_archive_posts_indexes_without_copying():
    """Indexing walks chats, never posts: it works on lists that refuse to be iterated."""
    posts = [Post(id=i) for i in range(1000)]
    archive = Archive(format="x", chats=[Chat(id=1), Chat(id=2)])
    archive.chats[0].posts = _NoIteration(posts[:600])
    archive.chats[1].posts = _NoIteration(posts[600:])
    view = archive.posts
    assert view[0] is posts[0] and view[600] is posts[600] and view[-1] is posts[-1]
    assert view[599] is posts[599] and view[-400] is posts[600]
    assert len(view) == 1000
    with pytest.raises(IndexError):
        view[1000]
    with pytest.raises(IndexError):
        view[-1001]


def test_archive_posts_is_a_sequence():
    """The view supports what code did with the old list: len, slices, +, ==, in, reversed."""
    archive = tgarchive.load(FIXTURES / "desktop-json" / "account_export.json")
    view = archive.posts
    flat = [p for chat in archive.chats for p in chat.posts]
    assert isinstance(view, tgarchive.ArchivePosts) and isinstance(view, typing.Sequence)
    assert list(view) == flat and view == flat and view == tuple(flat)
    assert view[1:3] == flat[1:3] and view[::-1] == flat[::-1]
    assert list(reversed(view)) == flat[::-1]
    assert view + flat[:1] == flat + flat[:1] and flat[:1] + view == flat[:1] + flat
    assert flat[2] in view and Post(id=123456789) not in view
    assert [view[i] for i in range(len(view))] == flat
    assert view.index(flat[3]) == 3 and view.count(flat[0]) == 1
    assert repr(view).startswith("ArchivePosts([Post(") and repr(view).endswith(" more])")


# --- the same on generated exports ---------------------------------------------------------


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
@given(chat_export())
def test_generated_posts_behave_like_hand_made_ones(export):
    """Any generated message, odd fields included: remade by hand it is ==, hashes the same
    and reports the same fields set; model_validate of its dump agrees too."""
    import json
    import warnings

    data = json.dumps(export, ensure_ascii=False, indent=1).encode()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tgarchive.ParseWarning)
        posts = tgarchive.load(data).posts
    for post in posts:
        twin = _remade(post)
        assert twin == post and hash(twin) == hash(post)
        assert twin.model_fields_set == post.model_fields_set
        again = Post.model_validate(post.model_dump(exclude_unset=True))
        assert again == post and hash(again) == hash(post)
        assert again.model_fields_set == post.model_fields_set
        assert len(repr(post)) < 800
