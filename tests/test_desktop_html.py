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


_RAW_REACTION = re.compile(
    r'<span class="(reaction[^"]*)">\s*<span class="emoji">\s*(.*?)\s*</span>'
    r'(?:\s*<span class="userpics">(.*?)</span>)?(?:\s*<span class="count">\s*(\d+)\s*</span>)?',
    re.S,
)


def _raw_reactions(page: str) -> dict[int, list[tuple[str, str | None, int]]]:
    """Reactions per message id, read from the raw page with regular expressions only."""
    found: dict[int, list[tuple[str, str | None, int]]] = {}
    for chunk in re.split(r'(?=<div class="message [^"]*" id="message)', page)[1:]:
        head = re.match(r'<div class="message [^"]*" id="message(-?\d+)"', chunk)
        assert head is not None
        mid = int(head.group(1))
        block = re.search(r'<span class="reactions">(.*)', chunk, re.S)
        if block is None:
            continue
        items = []
        for classes, emoji, pics, count in _RAW_REACTION.findall(block.group(1)):
            paid = "paid" in classes.split()
            number = int(count) if count else len(re.findall(r'class="userpic ', pics))
            items.append(("paid" if paid else "emoji", None if paid else emoji, number))
        found[mid] = items
    return found


def test_corpus_teleaudio_reactions_match_the_raw_page():
    """A 2024+ channel page: every span.reactions block is read, reaction for reaction."""
    page = corpus_dir("desktop-html", "teleaudio") / "messages4.html"
    with pytest.warns(tgarchive.ParseWarning, match="page 4"):
        archive = tgarchive.load(page)
    raw = _raw_reactions(page.read_text(encoding="utf-8"))
    read = {p.id: [(r.kind, r.emoji, r.count) for r in p.reactions] for p in archive.posts}
    assert {mid: items for mid, items in read.items() if items} == raw
    assert len(raw) == 121 and sum(len(items) for items in raw.values()) == 149
    assert [i.reason.split(":")[0] for i in archive.issues] == ["messages4.html is page 4"]
    assert all(p.chat_id is None for p in archive.posts)  # HTML pages never show the chat id


def test_corpus_civil_names_sent_via_a_bot_have_no_trailing_space():
    """`Name via @QuizBot` gives the name without the writer's trailing space, and the bot."""
    archive = tgarchive.load(corpus_dir("desktop-html", "civil"))
    via = [p for p in archive.posts if p.via_bot]
    assert len(via) == 319 + 236  # the raw pages hold that many "via @QuizBot"
    assert {(p.author, p.via_bot) for p in via} == {("OnlineVerdan Civil Aspirants", "@QuizBot")}
    assert not [p.author for p in archive.posts if p.author and p.author != p.author.strip()]


def test_flattened_service_messages_of_a_real_page_are_read():
    """A real 1,000-message page whose services lost their div.body gives the same posts."""
    page = (corpus_dir("desktop-html", "civil") / "messages.html").read_text(encoding="utf-8")
    flat, n = re.subn(
        r'(<div class="message service" id="message\d+">)\s*<div class="body details">(.*?)</div>',
        r"\1\2",
        page,
        flags=re.S,
    )
    assert n > 0
    before = tgarchive.load(page.encode(), format="desktop-html")
    after = tgarchive.load(flat.encode(), format="desktop-html")
    assert after.issues == before.issues == []
    assert len(after.posts) == len(before.posts) == 1000
    for a, b in zip(before.posts, after.posts, strict=True):
        assert (a.id, a.type, a.action, a.action_data, a.author) == (
            b.id, b.type, b.action, b.action_data, b.author)  # fmt: skip


def test_flattened_service_in_a_group_page_is_a_service_post():
    """`<div class="message service" id="message1050">A invited B</div>` is read, with its text."""
    head, _, _tail = (
        (EDGE / "messages.html").read_text(encoding="utf-8").partition('<div class="history">')
    )
    page = (f'{head}<div class="history">\n<div class="message service" id="message1050">'
            f"Kim Jihoon invited Jane Doe</div>\n</div></div></div></body></html>")  # fmt: skip
    archive = tgarchive.load(page.encode(), format="desktop-html", strict=True)
    (post,) = archive.posts
    assert (post.id, post.type, post.action, post.author) == (
        1050, "service", "invite_members", "Kim Jihoon")  # fmt: skip
    assert post.action_data["service_text"] == "Kim Jihoon invited Jane Doe"


def _page_with(*messages: str) -> bytes:
    """The edge-case page's skeleton around the given message elements."""
    head, _, _ = (
        (EDGE / "messages.html").read_text(encoding="utf-8").partition('<div class="history">')
    )
    return (f'{head}<div class="history">\n' + "\n".join(messages)
            + "\n</div></div></div></body></html>").encode()  # fmt: skip


def _message(mid: int, inner: str) -> str:
    return (f'<div class="message default clearfix" id="message{mid}"><div class="body">'
            f'<div class="pull_right date details" title="05.01.2026 09:10:00 UTC+09:00">09:10</div>'
            f'<div class="from_name">Kim </div><div class="text">post {mid}</div>{inner}</div></div>')  # fmt: skip


def test_unknown_reaction_layout_is_reported_once_with_the_first_message():
    """Reactions in a layout the parser does not know: one issue a page, naming the first."""
    odd = '<span class="reactions"><span class="reaction"><b>?</b><span class="count">3</span></span></span>'
    good = ('<span class="reactions"><span class="reaction"><span class="emoji">👍</span>'
            '<span class="count">2</span></span></span>')  # fmt: skip
    data = _page_with(_message(1, good), _message(2, odd), _message(3, odd), _message(4, odd))
    with pytest.warns(tgarchive.ParseWarning, match="reactions in a layout"):
        archive = tgarchive.load(data, format="desktop-html")
    assert [len(p.reactions) for p in archive.posts] == [1, 0, 0, 0]
    (issue,) = archive.issues
    assert issue.location.message_id == 2 and "3 messages" in issue.reason
    with pytest.raises(tgarchive.ParseError, match="reactions in a layout"):
        tgarchive.load(data, format="desktop-html", strict=True)


def test_unknown_media_block_and_unknown_blocks_are_reported_not_dropped():
    """A media block of a new kind is kept as OtherMedia and reported; so is an unknown block."""
    giveaway = ('<div class="media_wrap clearfix"><div class="media clearfix pull_left media_giveaway">'
                '<div class="body"><div class="title bold">Giveaway</div>'
                '<div class="description">3 winners</div></div></div></div>')  # fmt: skip
    unreadable = '<div class="media_wrap clearfix"><div class="story_wrap">a story</div></div>'
    block = '<div class="paid_media_info">10 stars</div>'
    data = _page_with(_message(1, giveaway), _message(2, giveaway), _message(3, unreadable),
                      _message(4, block))  # fmt: skip
    with pytest.warns(tgarchive.ParseWarning):
        archive = tgarchive.load(data, format="desktop-html")
    media = archive.posts[0].media
    assert isinstance(media, tgarchive.OtherMedia)
    assert media.data == {"html_class": "media_giveaway", "title": "Giveaway",
                          "description": "3 winners"}  # fmt: skip
    assert archive.posts[2].media is None
    reasons = {i.location.message_id: i.reason for i in archive.issues}
    assert set(reasons) == {1, 3, 4}
    assert "media_giveaway" in reasons[1] and "2 messages" in reasons[1]
    assert "story_wrap" in reasons[3] and "paid_media_info" in reasons[4]


def test_every_element_that_looks_like_a_message_is_read_or_reported():
    """Wrapped messages are read; a message-like element that cannot be read is an issue."""
    wrapped = f'<div class="day">{_message(1, "")}{_message(2, "")}</div>'
    classless = '<div id="message3"><div class="body"><div class="text">bare</div></div></div>'
    broken = '<div class="message default clearfix" id="message4">no body at all</div>'
    bad_id = '<div class="message default clearfix" id="message٣"><div class="body"></div></div>'
    stray = "<p>a note added by hand</p>"
    data = _page_with(wrapped, classless, broken, bad_id, stray)
    with pytest.warns(tgarchive.ParseWarning):
        archive = tgarchive.load(data, format="desktop-html")
    assert [(p.id, p.text) for p in archive.posts] == [(1, "post 1"), (2, "post 2"), (3, "bare")]
    reasons = [i.reason for i in archive.issues]
    assert any("unreadable message" in r and "no div.body" in r for r in reasons)
    assert any("without a numeric id" in r for r in reasons)
    assert any("not messages (<p" in r for r in reasons)
    located = [i.location.message_id for i in archive.issues if "unreadable" in i.reason]
    assert located == [4]
