"""Reading Telegram Desktop HTML exports: the same posts as the JSON export."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

import tgarchive
from tgarchive import MediaFile, Poll, Post

from .conftest import FIXTURES, corpus_dir

EDGE = FIXTURES / "desktop-html" / "edge_cases"
TWIN = FIXTURES / "equivalence" / "generated"


def projection(post: Post) -> dict[str, object]:
    """What the JSON and the HTML export of one post must agree on (docs/formats/desktop-html.md)."""
    service = post.type == "service"
    return {
        "id": post.id,
        "type": post.type,
        "text": "" if service else post.text,
        "entities": [(e.kind, e.offset, e.length, e.text, e.href) for e in post.entities],
        "links": [link.url for link in post.links],
        "author": post.author,
        "forward": post.forward.from_name if post.forward else None,
        "reply_to_id": post.reply_to_id,
        "signature": post.signature,
        "media": post.media.kind if post.media else None,
        "action": post.action,
        "date": None if service else post.date,  # HTML service messages carry no time
        "reactions": [
            (r.kind, r.emoji, r.count) for r in post.reactions if r.kind != "custom_emoji"
        ],
    }


def test_corpus_twin_salaf_agrees_post_by_post():
    """The JSON and HTML exports of one real chat give the same posts, field by field."""
    json_posts = tgarchive.load(corpus_dir("desktop-json", "salaf") / "result.json").posts
    html = tgarchive.load(corpus_dir("desktop-html", "salaf") / "messages.html")
    assert html.format == "desktop-html"
    assert html.issues == []
    assert len(html.posts) == len(json_posts) == 213
    for a, b in zip(json_posts, html.posts, strict=True):
        assert projection(a) == projection(b), a.id
    # custom emoji keep their downloaded image path, as the JSON's document_id
    emoji = [e for e in html.posts[2].entities if e.kind == "custom_emoji"]
    assert emoji[0].document_id == "stickers/sticker.webp"


def test_generated_twin_agrees_post_by_post():
    """Generated JSON and HTML twins (3 pages, joins, forwards, polls, reactions) agree."""
    json_posts = tgarchive.load(TWIN / "result.json").posts
    html = tgarchive.load(TWIN / "messages.html")
    assert html.issues == []
    assert [p.id for p in html.posts] == [p.id for p in json_posts] == list(range(1, 61))
    for a, b in zip(json_posts, html.posts, strict=True):
        assert projection(a) == projection(b), a.id


def test_folder_with_both_loads_json_and_first_page_loads_chain():
    """The folder loads result.json; messages.html loads the whole chain of three pages."""
    assert tgarchive.load(TWIN).format == "desktop-json"
    assert tgarchive.detect_format(TWIN / "messages2.html") == "desktop-html"
    assert len(tgarchive.load(TWIN / "messages.html").posts) == 60


def test_lone_page_reports_the_gap():
    """A later page loaded alone gives its posts and an issue naming the other pages."""
    with pytest.warns(tgarchive.ParseWarning, match="only this page was read"):
        archive = tgarchive.load(TWIN / "messages2.html")
    assert [p.id for p in archive.posts] == list(range(26, 51))
    assert len(archive.issues) == 1


def test_html_to_json_conversion_loads_back(tmp_path):
    """HTML → Desktop JSON (tgarchive.dump and the CLI) reads back as the same posts."""
    from tgarchive.cli import main

    html = tgarchive.load(TWIN / "messages.html")
    out = tmp_path / "result.json"
    assert (
        main(["convert", str(TWIN / "messages.html"), "--to", "desktop-json", "-o", str(out)]) == 0
    )
    back = tgarchive.load(out, strict=True)
    assert back.format == "desktop-json"
    for a, b in zip(html.posts, back.posts, strict=True):
        assert projection(a) == projection(b)
        assert a.forward == b.forward  # the forward's date survives (forwarded_date_unixtime)
        assert a.date_local == b.date_local
    assert json.loads(out.read_text(encoding="utf-8"))["name"] == html.chats[0].name


def test_corpus_civil_two_pages_every_post_accounted_for():
    """A 2024 two-page export: every message element becomes a post (separators aside)."""
    folder = corpus_dir("desktop-html", "civil")
    archive = tgarchive.load(folder)
    assert archive.issues == []
    assert len(archive.posts) == _message_elements(folder) == 1985
    polls = [p for p in archive.posts if isinstance(p.media, Poll)]
    assert len(polls) == 245
    assert all(isinstance(p.media, Poll) and len(p.media.answers) >= 2 for p in polls)
    assert all(
        p.date is not None and p.date.tzinfo is not None for p in archive.posts if not p.is_service
    )
    assert any(e.kind == "spoiler" for p in archive.posts for e in p.entities)


def test_corpus_cybersec_old_writer_and_gaps():
    """A 2022 export (no zone in dates) with pages missing: naive dates, gaps reported."""
    folder = corpus_dir("desktop-html", "cybersec")
    with pytest.warns(tgarchive.ParseWarning):
        archive = tgarchive.load(folder)
    assert len(archive.posts) == _message_elements(folder)
    dates = [p.date for p in archive.posts if p.date is not None]
    assert dates and all(d.tzinfo is None for d in dates)
    reasons = [i.reason for i in archive.issues]
    assert reasons == [
        "pages missing from the chain: messages.html, messages3.html to messages39.html "
        "(messages on them are not in this archive)"
    ]
    # page 40 opens with a date separator: its first message names its sender again
    assert archive.posts[len(archive.posts) - 194].author == "🛡 Cybersecurity & Privacy news 🛡"
    assert archive.chats[0].name == "🛡 Cybersecurity & Privacy news 🛡"


def _message_elements(folder: Path) -> int:
    """Message elements in the raw pages, date separators (negative ids) excluded."""
    count = 0
    for page in folder.glob("messages*.html"):
        count += len(
            re.findall(r'class="message [^"]*" id="message\d+"', page.read_text(encoding="utf-8"))
        )
    return count


def test_edge_cases_page():
    """Entities, joined replies, forwarded polls and photos, buttons, placeholders, services."""
    with pytest.warns(tgarchive.ParseWarning):
        archive = tgarchive.load(EDGE)
    posts = {p.id: p for p in archive.posts}
    chat_name = "스타트업 투자 노트 | Startup Notes"
    assert archive.chats[0].name == chat_name
    p2 = posts[2]
    assert p2.text == ("GPT-4는 진짜 미쳤다. 여기 참고 #AI $NVDA @durov founder@example.co.kr 비밀 🚀"
                       "\n\npip install tgarchive-kit & <done>")  # fmt: skip
    assert [e.kind for e in p2.entities] == ["bold", "text_link", "hashtag", "cashtag", "mention",
                                             "email", "spoiler", "custom_emoji", "code"]  # fmt: skip
    assert p2.date == datetime(2026, 1, 5, 0, 10, tzinfo=timezone.utc)
    assert p2.date_local == "2026-01-05T09:10:00"
    assert p2.signature == "김지훈"
    assert [(r.kind, r.emoji, r.document_id, r.count) for r in p2.reactions] == [
        ("emoji", "👍", None, 1200), ("paid", None, None, 42),
        ("custom_emoji", None, "stickers/emoji_5368324170671202286.webp", 3),
        ("emoji", "🔥", None, 2)]  # fmt: skip
    # the exporting user's own reaction; reactors pictured instead of a count
    assert [r.extra for r in p2.reactions] == [{}, {"active": True}, {}, {}]
    recent = p2.reactions[3].recent
    assert recent is not None and [r.from_name for r in recent] == ["김지훈", "Jane Doe"]
    p3 = posts[3]  # joined: the sender carries over
    assert (p3.author, p3.reply_to_id) == (chat_name, 2)
    p4 = posts[4]
    assert p4.via_bot == "@like" and p4.forward is not None
    assert p4.forward.from_name == "GeekNews"
    assert p4.forward.date == datetime(2026, 1, 4, 14, 0, tzinfo=timezone.utc)
    assert isinstance(p4.media, Poll) and p4.media.closed is True and p4.media.total_voters == 321
    assert (
        p4.inline_bot_buttons is not None
        and p4.inline_bot_buttons[0][0].data == "https://example.com/vote"
    )
    p5 = posts[5]  # a joined forward without its own header keeps the origin
    assert p5.forward == p4.forward and isinstance(p5.media, MediaFile) and p5.media.kind == "photo"
    p6 = posts[6]
    assert p6.author is None  # Deleted Account
    assert isinstance(p6.media, MediaFile) and p6.media.missing_reason == "too_large"
    assert p6.extra == {"reply_to_other_chat": True}
    assert posts[7].media is not None and posts[7].media.kind == "location"
    assert posts[8].action == "pin_message" and posts[8].action_data["message_id"] == 2
    assert posts[9].action is None and posts[9].action_data == {
        "information_text": "Custom server text"
    }
    assert posts[1].author == chat_name and posts[1].action_data["title"] == chat_name
    located = {(i.location.message_id, i.location.line is not None) for i in archive.issues}
    assert (10, True) in located  # the message without a date is kept and reported
    assert any("numeric id" in i.reason for i in archive.issues)


def test_strict_mode_raises_on_the_first_problem():
    """strict=True stops at the first problem with its file, line and message."""
    with pytest.raises(tgarchive.ParseError) as info:
        tgarchive.load(EDGE, strict=True)
    assert info.value.location.message_id == 10
    assert info.value.location.file is not None and info.value.location.file.endswith(
        "messages.html"
    )


def test_old_writer_lone_page():
    """A page without time zones, loaded alone: naive dates and two precise issues."""
    with pytest.warns(tgarchive.ParseWarning):
        archive = tgarchive.load(FIXTURES / "desktop-html" / "old_writer" / "messages3.html")
    assert [(p.id, p.author) for p in archive.posts] == [(2001, None), (2002, "Old Channel")]
    assert archive.posts[1].date == datetime(2022, 3, 16, 15, 20, 32)
    assert [i.reason.split(":")[0] for i in archive.issues] == [
        "messages3.html is page 3", "joined message"]  # fmt: skip


def test_html_never_crashes_on_garbage():
    """Pages that are not Telegram's (anonymised, truncated, random) never raise in lenient mode."""
    import warnings

    page = (EDGE / "messages.html").read_bytes()
    samples = [page[: len(page) // 2], page.replace(b'class="body"', b'class="bodyx"'),
               page.replace(b"title=", b"data-x="), b"<!DOCTYPE html><html><body>hi</body></html>",
               page.replace(b'id="message', b'id="msg')]  # fmt: skip
    for data in samples:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", tgarchive.ParseWarning)
            archive = tgarchive.load(data, format="desktop-html")
        assert archive.format == "desktop-html"


def test_no_network_and_no_entities():
    """The HTML parser never fetches or expands external entities."""
    from tgarchive.parsers.desktop_html import HTML_PARSER

    evil = (b'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><html><body>'
            b'<div class="page_wrap"><div class="history"><div class="message default clearfix" '
            b'id="message1"><div class="body"><div class="text">&xxe;</div></div></div></div></div>'
            b'</body></html>')  # fmt: skip
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tgarchive.ParseWarning)
        archive = tgarchive.load(evil, format="desktop-html")
    assert "root:" not in archive.posts[0].text
    assert HTML_PARSER is not None


def test_html_posts_are_valid_models():
    """Posts the HTML parser builds without re-validation equal their validated dump."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tgarchive.ParseWarning)
        posts = tgarchive.load(EDGE).posts + tgarchive.load(TWIN / "messages.html").posts
    for post in posts:
        assert Post.model_validate(post.model_dump()) == post
        assert Post.model_validate_json(post.model_dump_json()) == post


def test_zip_of_an_html_export_reads_the_whole_chain(tmp_path):
    """A zip holding only HTML pages (in a folder) loads every page, in order."""
    import zipfile

    zpath = tmp_path / "ChatExport.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        for page in sorted(TWIN.glob("messages*.html")):
            zf.write(page, f"ChatExport_2026-11-29/{page.name}")
    archive = tgarchive.load(zpath)
    assert archive.format == "desktop-html"
    assert [p.id for p in archive.posts] == list(range(1, 61))
    assert archive.issues == []
