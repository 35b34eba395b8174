"""tgarchive.merge: several exports of one channel become one archive, nothing dropped."""

from __future__ import annotations

import warnings
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tgarchive

from .conftest import FIXTURES, corpus_dir

ACCOUNT = FIXTURES / "desktop-json" / "account_export.json"


def salaf_json() -> tgarchive.Archive:
    return tgarchive.load(corpus_dir("desktop-json", "salaf") / "result.json")


def snapshots() -> tuple[tgarchive.Archive, tgarchive.Archive]:
    """Two exports of the real channel taken at different times: the old one ends at post
    150; the new one starts at post 40, has post 60 edited and post 70's 50 likes grown to 99."""
    old, new = salaf_json(), salaf_json()
    thumbs = tgarchive.Reaction(kind="emoji", emoji="👍", count=50)
    old.chats[0].posts = [p.model_copy(update={"reactions": (thumbs,)}) if p.id == 70 else p
                          for p in old.chats[0].posts if (p.id or 0) <= 150]  # fmt: skip
    posts = []
    for p in new.chats[0].posts:
        if (p.id or 0) < 40:
            continue
        if p.id == 60:
            when = (p.edited or p.date) + timedelta(days=30)  # type: ignore[operator]
            p = p.model_copy(update={"text": p.text + " (corrected)", "edited": when})
        if p.id == 70:
            p = p.model_copy(update={"reactions": (tgarchive.Reaction(kind="emoji", emoji="👍",
                                                                      count=99),)})  # fmt: skip
        posts.append(p)
    new.chats[0].posts = posts
    return old, new


def test_json_and_html_twins_merge_into_the_json_posts():
    """A Desktop JSON export and its HTML twin merge, in either order, into the JSON posts:
    what the HTML lacks is not a conflict, and the richer version is kept."""
    json_export = salaf_json()
    html_export = tgarchive.load(corpus_dir("desktop-html", "salaf") / "messages.html")
    for merged in (tgarchive.merge(html_export, json_export),
                   tgarchive.merge(json_export, html_export)):  # fmt: skip
        assert merged.posts == json_export.posts
        assert merged.issues == []
        assert merged.chats[0].id == json_export.chats[0].id
        assert merged.format == "merged"


def test_snapshots_keep_every_post_and_record_each_conflict():
    """Every post of both exports is there once; the edited version wins; a conflict at
    equal edit times goes to the archive listed later; both are recorded as issues."""
    old, new = snapshots()
    merged = tgarchive.merge(old, new)
    ids = [p.id or 0 for p in merged.posts]
    assert ids == sorted({p.id or 0 for p in old.posts} | {p.id or 0 for p in new.posts})
    assert len(ids) == len(set(ids)) == 213
    by_id = {p.id: p for p in merged.posts}
    assert by_id[60].text.endswith(" (corrected)")
    assert by_id[70].reactions[0].count == 99
    reasons = [i.reason for i in merged.issues]
    assert len(reasons) == 2
    assert reasons[0].startswith("post 60 of chat 3204528972 differs between archives 1 and 2 "
                                 "(text); kept archive 2's version (edited ")  # fmt: skip
    assert reasons[1] == ("post 70 of chat 3204528972 differs between archives 1 and 2 "
                          "(reactions); kept archive 2's version (edited 2026-01-29 23:29:52+00:00)")  # fmt: skip
    assert [i.location.message_id for i in merged.issues] == [60, 70]
    reverse = tgarchive.merge(new, old)
    by_id = {p.id: p for p in reverse.posts}
    assert by_id[60].text.endswith(" (corrected)")  # still the most recently edited
    assert by_id[70].reactions[0].count == 50  # the later-listed archive
    assert "kept archive 2's version" in reverse.issues[1].reason


def test_different_chats_stay_apart_and_issues_are_kept():
    """Chats are matched by id; other chats are kept as they are, with the inputs' issues."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tgarchive.ParseWarning)
        teleaudio = tgarchive.load(corpus_dir("desktop-html", "teleaudio") / "messages4.html")
    account = tgarchive.load(ACCOUNT)
    merged = tgarchive.merge(account, teleaudio, account)
    assert [c.name for c in merged.chats] == [*[c.name for c in account.chats],
                                              teleaudio.chats[0].name]  # fmt: skip
    assert len(merged.posts) == len(account.posts) + len(teleaudio.posts)
    assert merged.issues == teleaudio.issues
    assert merged.account == account.account


def test_merge_refuses_nonsense():
    """No archive, or something else than archives, is a clear error."""
    with pytest.raises(ValueError, match="at least one"):
        tgarchive.merge()
    with pytest.raises(TypeError, match="argument 2 is a list"):
        tgarchive.merge(salaf_json(), [])  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sets(st.integers(1, 12), max_size=12), min_size=1, max_size=4))
def test_any_split_of_the_sample_merges_back(subsets):
    """However the sample's posts are spread over several exports, merging them gives each
    post present in any of them exactly once, equal to the original, with no issues."""
    archives = []
    for ids in subsets:
        archive = tgarchive.load(tgarchive.sample_path())
        archive.chats[0].posts = [p for p in archive.chats[0].posts if p.id in ids]
        archives.append(archive)
    merged = tgarchive.merge(*archives)
    expected = [p for p in tgarchive.load(tgarchive.sample_path()).posts
                if any(p.id in ids for ids in subsets)]  # fmt: skip
    assert merged.posts == expected
    assert merged.issues == []
    assert merged.format == "desktop-json"
