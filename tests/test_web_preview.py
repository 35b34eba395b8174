"""The web-preview parser: saved t.me/s pages and t.me profile pages."""

from __future__ import annotations

import io
import json
import re
import shutil
import warnings
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import tgarchive
from tgarchive.parsers import Registry
from tgarchive.parsers.desktop_html import DesktopHtmlParser
from tgarchive.parsers.desktop_json import DesktopJsonParser
from tgarchive.parsers.web_preview import NOT_SAVED, WebPreviewParser, parse_shown_count
from tgarchive.testing import assert_golden, assert_never_crashes, check_detection

from .conftest import FIXTURES, corpus_dir

WP = FIXTURES / "web-preview"


def _load(source: Any, **kwargs: Any) -> tgarchive.Archive:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tgarchive.ParseWarning)
        return tgarchive.load(source, **kwargs)


# -- an independent reading of the raw HTML, for the real corpus ------------------------------

_SUFFIX = {"K": 1000, "M": 1_000_000, "B": 1_000_000_000}


def _group(pattern: str, text: str) -> str:
    """The first group of the first match (the test fails if there is none)."""
    m = re.search(pattern, text)
    assert m is not None, pattern
    return m.group(1)


def _shown(text: str) -> tuple[int, str | None]:
    """'2.49K' → (2490, '2.49K'); '11 286 994' → (11286994, None). Written for the test."""
    text = text.strip()
    if text[-1] in _SUFFIX:
        return int(Decimal(text[:-1]) * _SUFFIX[text[-1]]), text
    return int(text.replace(" ", "").replace("\xa0", "")), None


def _chunks(html: str, channel: str) -> dict[int, str]:
    """The raw HTML of each post, by the id in its data-post attribute."""
    starts = [
        (m.start(), int(m.group(1))) for m in re.finditer(rf'data-post="{channel}/(\d+)"', html)
    ]
    ends = [s for s, _ in starts[1:]] + [len(html)]
    return {pid: html[s:e] for (s, pid), e in zip(starts, ends, strict=True)}


def _reactions(chunk: str) -> list[tuple[str, int, str | None, str | None]]:
    found = []
    for cls, inner in re.findall(r'<span class="(tgme_reaction[^"]*)">(.*?)</span>', chunk):
        count, rounded = _shown(_group(r"([\d.]+[KMB]?)$", re.sub(r"<[^>]+>", "", inner)))
        custom = re.search(r'emoji-id="(\d+)"', inner)
        kind = "paid" if "paid" in cls else "custom_emoji" if custom else "emoji"
        found.append((kind, count, rounded, custom.group(1) if custom else None))
    return found


def test_every_post_view_and_reaction_of_the_real_durov_page_is_read():
    """Each post of the real t.me/s/durov capture has the id, date, views and reactions the raw HTML shows."""
    path = corpus_dir("web-preview", "durov.html")
    html = path.read_text(encoding="utf-8")
    chunks = _chunks(html, "durov")
    archive = tgarchive.load(path, strict=True)
    assert archive.format == "web-preview" and archive.issues == []
    posts = {p.id or 0: p for p in archive.posts}
    assert sorted(posts) == sorted(chunks) and len(posts) == 20
    assert [p.id for p in archive.posts] == sorted(chunks)  # id order
    reactions_seen = 0
    for pid, chunk in chunks.items():
        post = posts[pid]
        views, rounded = _shown(_group(r'tgme_widget_message_views">([^<]+)<', chunk))
        assert (post.views, post.views_rounded) == (views, rounded), pid
        stamp = _group(r'<time datetime="([^"]+)"', chunk)
        assert post.date == datetime.fromisoformat(stamp) and post.date.utcoffset() is not None
        expected = _reactions(chunk)
        got = [(r.kind, r.count, r.count_rounded, r.document_id) for r in post.reactions]
        assert got == expected, pid
        reactions_seen += len(got)
        assert post.extra.get("edited_mark", False) == ("edited &nbsp;" in chunk), pid
        preview = re.search(r'tgme_widget_message_link_preview" href="([^"]+)"', chunk)
        assert (post.extra.get("link_preview") or {}).get("url") == (preview and preview.group(1))
        signature = _group(r'message_from_author" dir="auto">([^<]+)<', chunk)
        assert post.signature == signature and post.author == "Pavel Durov"
        assert post.chat_id == 1006503122 and post.author_id == "channel1006503122"
        assert post.extra["permalink"] == f"https://t.me/durov/{pid}"
    assert reactions_seen == html.count('class="tgme_reaction')
    media = {p.id: p.media.kind for p in archive.posts if p.media is not None}
    assert sorted(media.values()) == ["photo"] * html.count("tgme_widget_message_photo_wrap ") + [
        "video"
    ] * html.count('class="tgme_widget_message_video_player')


def test_the_real_durov_header_counters_are_typed_and_marked_rounded():
    """The channel header's counters of the real page become typed fields; rounded ones say so."""
    path = corpus_dir("web-preview", "durov.html")
    html = path.read_text(encoding="utf-8")
    shown = re.findall(r'counter_value">([^<]+)</span>\s*<span class="counter_type">([^<]+)<', html)
    chat = tgarchive.load(path).chats[0]
    expected = {kind: _shown(value) for value, kind in shown}
    assert (chat.subscribers, chat.counts_rounded.get("subscribers")) == expected.pop("subscribers")
    assert chat.counters == {kind: value for kind, (value, _r) in expected.items()}
    assert all(kind not in chat.counts_rounded for kind, (_v, r) in expected.items() if r is None)
    assert (chat.name, chat.username, chat.verified, chat.id) == (
        "Pavel Durov",
        "durov",
        True,
        1006503122,
    )
    assert chat.description == "Founder of Telegram." and chat.type == "public_channel"
    assert chat.avatar_url and chat.avatar_url.startswith("https://cdn4.telesco.pe/")


@pytest.mark.parametrize(
    ("name", "expected"),
    [("tme_channel.html", {"subscribers"}), ("tme_group.html", {"members", "online"})],
)
def test_profile_pages_give_exact_counts_and_no_posts(name, expected):
    """t.me/<name> pages give exact counts (space-separated thousands), no posts, no rounding."""
    path = corpus_dir("web-preview", name)
    html = path.read_text(encoding="utf-8")
    extra = _group(r'tgme_page_extra">([^<]+)<', html)
    counts = {
        kind: int(value.replace(" ", "")) for value, kind in re.findall(r"([\d ]+\d) (\w+)", extra)
    }
    archive = tgarchive.load(path, strict=True)
    chat = archive.chats[0]
    assert archive.posts == [] and set(counts) == expected
    assert {k: getattr(chat, k) for k in expected} == counts
    assert chat.counts_rounded == {} and chat.counters == {}
    assert chat.name == _group(r'<span dir="auto">([^<]+)</span>', html)
    assert chat.username == _group(r"tg://resolve\?domain=(\w+)", html)
    assert chat.type == ("public_supergroup" if "members" in expected else "public_channel")


def test_sniffing_tells_web_previews_from_desktop_html_exports_with_certainty():
    """Every real Desktop HTML page scores 0 as a web preview and every real web preview 0 as Desktop HTML."""
    wp, html = WebPreviewParser(), DesktopHtmlParser()
    desktop_pages = sorted(corpus_dir("desktop-html").glob("*/*.html"))
    preview_pages = sorted(corpus_dir("web-preview").glob("*.html"))
    assert desktop_pages and preview_pages
    for page in desktop_pages:
        head = page.read_bytes()[:8192]
        assert wp.detect(head, page.name) == 0.0, page
        assert tgarchive.detect_format(page) == "desktop-html"
    for page in [*preview_pages, *sorted(WP.glob("**/*.html"))]:
        head = page.read_bytes()[:8192]
        assert html.detect(head, page.name) == 0.0, page
        assert wp.detect(head, page.name) == 1.0, page
        assert tgarchive.detect_format(page) == "web-preview"


def test_detection_of_every_builtin_format_is_checked_against_the_others():
    """Each built-in parser wins its own samples and no other format's (tgarchive.testing)."""
    json_samples = [tgarchive.sample_path(), *sorted((FIXTURES / "desktop-json").glob("*.json"))]
    # The JSON parser tries any .json file with a low score, so that load() explains what is wrong.
    check_detection(DesktopJsonParser(), json_samples, foreign_max=0.3)
    check_detection(DesktopHtmlParser(), sorted((FIXTURES / "desktop-html").glob("*/*.html")))
    check_detection(WebPreviewParser(), sorted(WP.glob("**/*.html")))


# -- fixtures of our own: every feature, against goldens --------------------------------------


def test_feature_page_matches_its_golden():
    """The feature page (forwards, replies, albums, polls, media, service posts) parses as its golden says."""
    archive = assert_golden(WP / "features.html", WP / "features.html.posts.json")
    assert [p.id for p in archive.posts] == [1, 2, 3, 4, 5, 6, 7, 8, 9, *range(10, 20)]


def test_overlapping_pages_match_their_golden():
    """A folder of overlapping ?before= pages parses as its golden says."""
    assert_golden(WP / "paged", WP / "paged.posts.json")


def test_overlapping_pages_keep_each_post_once_from_its_newest_capture(tmp_path):
    """Post 3 is on both pages: the newer capture (data-view t) wins, whatever the file order."""
    archive = _load(WP / "paged")
    assert [p.id for p in archive.posts] == [1, 2, 3, 4, 5]
    post3 = archive.posts[2]
    assert (post3.text, post3.views, post3.extra.get("edited_mark")) == (
        "오늘의 핵심 정리",
        513,
        True,
    )
    chat = archive.chats[0]
    assert (chat.subscribers, chat.counts_rounded["subscribers"]) == (2400, "2.4K")  # newest header
    # The same pages renamed so that the older capture sorts last: the result does not change.
    for name, new in (("startupnotes.html", "b.html"), ("startupnotes_before_4.html", "a.html")):
        shutil.copy(WP / "paged" / name, tmp_path / new)
    assert tgarchive.load(tmp_path).posts[2].views == 513
    shutil.copy(WP / "paged" / "startupnotes.html", tmp_path / "a.html")
    shutil.copy(WP / "paged" / "startupnotes_before_4.html", tmp_path / "b.html")
    assert tgarchive.load(tmp_path).posts[2].views == 513


def test_a_zip_of_pages_bytes_and_file_objects_read_like_the_files(tmp_path):
    """A .zip of saved pages reads like the folder; a page's bytes and file object like the page."""
    folder = _load(WP / "paged")
    target = tmp_path / "pages.zip"
    with zipfile.ZipFile(target, "w") as zf:
        for page in sorted((WP / "paged").iterdir()):
            zf.write(page, f"saved/{page.name}")
    zipped = _load(target)
    assert [p.model_dump() for p in zipped.posts] == [p.model_dump() for p in folder.posts]
    page = WP / "features.html"
    one = _load(page)
    data = page.read_bytes()
    assert _load(data).posts == one.posts
    assert _load(io.BytesIO(data)).posts == one.posts


def test_a_folder_with_two_channels_gives_two_chats(tmp_path):
    """Saved pages of two channels in one folder become one chat each."""
    shutil.copy(WP / "features.html", tmp_path / "startupnotes.html")
    shutil.copy(corpus_dir("web-preview", "durov.html"), tmp_path / "durov.html")
    archive = _load(tmp_path)
    assert sorted(c.username or "" for c in archive.chats) == ["durov", "startupnotes"]
    assert {c.username: len(c.posts) for c in archive.chats} == {"durov": 20, "startupnotes": 19}


def test_text_entities_are_as_the_page_shows_them():
    """Formatting, links, mentions, hashtags and custom emoji become entities over the shown text."""
    post = next(p for p in _load(WP / "features.html").posts if p.id == 3)
    kinds = [(e.kind, e.text) for e in post.entities]
    assert kinds == [
        ("bold", "핵심"), ("italic", "italic"), ("underline", "underline"),
        ("strikethrough", "strike"), ("code", "pip install tgarchive"), ("spoiler", "스포일러"),
        ("pre", 'print("hi")'), ("blockquote", "긴 인용문 bold inside"), ("text_link", "the paper"),
        ("link", "https://arxiv.org/abs/2307.06865"), ("mention", "@bzcf"), ("hashtag", "#AI"),
        ("hashtag", "#스타트업"),
    ]  # fmt: skip
    assert post.text.startswith("오늘의 핵심 정리 🚀\n\nitalic") and post.text.endswith(
        "#스타트업!"
    )
    pre = next(e for e in post.entities if e.kind == "pre")
    quote = next(e for e in post.entities if e.kind == "blockquote")
    assert (pre.language, quote.collapsed) == ("python", True)
    assert [link.domain for link in post.links] == ["arxiv.org", "arxiv.org"]
    custom = next(p for p in _load(WP / "features.html").posts if p.id == 15)
    assert [(e.kind, e.document_id) for e in custom.entities] == [
        ("custom_emoji", "5359441070201513074")
    ]


def test_forwards_replies_albums_and_media_are_read():
    """Forward name and link, a reply behind a malformed tag, album items as posts, and each media kind."""
    posts = {p.id or 0: p for p in _load(WP / "features.html").posts}
    media: dict[int, Any] = {i: p.media for i, p in posts.items()}  # each kind checked below
    fwd = posts[4].forward
    assert fwd is not None
    assert (fwd.from_name, fwd.extra["url"]) == ("BZCF | 비즈까페", "https://t.me/bzcf/1234")
    assert posts[4].extra["link_preview"]["title"] == "원칙 10가지"
    assert posts[5].reply_to_id == 3 and posts[5].text == "답장입니다: 링크 모음은 아래에."
    assert [media[i].kind for i in (6, 7, 8)] == ["photo", "video", "photo"]
    assert {posts[i].extra["album"] for i in (6, 7, 8)} == {6}
    assert posts[6].text.startswith("데모데이") and posts[7].text == "" and posts[7].views is None
    assert posts[7].date == posts[6].date and media[7].duration == 15
    assert isinstance(media[9], tgarchive.Poll) and media[9].question.startswith("다음 세션")
    assert media[9].total_voters == 1200
    assert [a.text for a in media[9].answers] == ["LLM 인프라", "Fundraising"]
    assert media[10].file_name == "demo-day-deck.pdf"
    assert (media[11].kind, media[11].duration) == ("voice", 42)
    assert media[12].kind == "sticker"
    assert isinstance(media[13], tgarchive.Location) and media[13].latitude == 37.5665
    assert media[14].missing == "(Media is too big)" and media[14].duration == 3723
    assert media[17].kind == "video_message"
    assert isinstance(media[18], tgarchive.Contact) and media[18].first_name == "Minji"
    assert media[6].missing == NOT_SAVED
    assert posts[6].extra["media_url"].endswith("album-1.jpg")


def test_service_posts_become_actions():
    """Channel created, photo changed and pinned posts are service posts with actions."""
    posts = {p.id: p for p in _load(WP / "features.html").posts}
    assert [(posts[i].type, posts[i].action) for i in (1, 2, 16)] == [
        ("service", "create_channel"), ("service", "edit_group_photo"), ("service", "pin_message"),
    ]  # fmt: skip
    assert posts[2].action_data["photo_url"].endswith("new-photo.jpg")
    assert posts[16].action_data["pinned_text"] == "GPT-4 아키텍처"


def test_rounded_and_exact_counts_are_told_apart():
    """A count shown as 3.12K is stored as 3120 and marked rounded; 513 is exact and unmarked."""
    posts = {p.id: p for p in _load(WP / "features.html").posts}
    assert (posts[3].views, posts[3].views_rounded) == (513, None)
    assert (posts[6].views, posts[6].views_rounded) == (3120, "3.12K")
    fire, paid = posts[6].reactions
    assert (fire.emoji, fire.count, fire.count_rounded) == ("🔥", 2490, "2.49K")
    assert (paid.kind, paid.count, paid.count_rounded) == ("paid", 15, None)
    assert parse_shown_count("1") == (1, None)


def test_markup_it_cannot_read_becomes_a_located_issue_and_strict_raises():
    """An unknown element and an unreadable reaction count are issues with file, line and post id."""
    archive = _load(WP / "features.html")
    where = [(i.location.message_id, i.location.line is not None, i.reason) for i in archive.issues]
    assert where == [
        (15, True, "element the parser does not know: div.tgme_widget_message_giveaway"),
        (19, True, "reaction without a readable count: '??'"),
    ]
    assert [r.emoji for r in next(p for p in archive.posts if p.id == 19).reactions] == ["👏"]
    with pytest.raises(tgarchive.ParseError) as caught:
        tgarchive.load(WP / "features.html", strict=True)
    assert caught.value.location.message_id == 15 and (caught.value.location.line or 0) > 1


def test_a_page_that_is_not_a_channel_page_is_an_issue_not_a_crash():
    """A t.me-looking page with neither header nor posts is reported, and strict mode raises."""
    page = b'<html><head><meta content="tg://resolve?domain=x"></head><body class="tgme_x"></body></html>'
    with pytest.warns(tgarchive.ParseWarning, match=r"not a t\.me channel page"):
        archive = tgarchive.load(page, format="web-preview")
    assert archive.posts == [] and len(archive.issues) == 1
    with pytest.raises(tgarchive.ParseError, match=r"not a t\.me channel page"):
        tgarchive.load(page, format="web-preview", strict=True)


def test_conversion_to_desktop_json_keeps_views_rounding_and_previews(tmp_path):
    """tgarchive convert writes views, rounded counts, link previews and the header as extension keys."""
    from tgarchive.cli import main

    out = tmp_path / "result.json"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tgarchive.ParseWarning)
        assert (
            main(["convert", str(WP / "features.html"), "--to", "desktop-json", "-o", str(out)])
            == 0
        )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert (data["username"], data["subscribers"], data["counts_rounded"]["links"]) == (
        "startupnotes",
        2400,
        "2.72K",
    )
    messages = {m["id"]: m for m in data["messages"]}
    assert (messages[6]["views"], messages[6]["views_rounded"]) == (3120, "3.12K")
    assert messages[6]["reactions"][0]["count_rounded"] == "2.49K"
    assert messages[4]["link_preview"]["url"] == "https://youtu.be/-QI7plFGJOM"
    assert messages[4]["forwarded_from_url"] == "https://t.me/bzcf/1234"
    assert messages[3]["edited_mark"] is True and "edited" not in messages[3]
    again = tgarchive.load(out)
    original = _load(WP / "features.html")
    for before, after in zip(original.posts, again.posts, strict=True):
        assert (after.id, after.text, after.entities, after.date, after.media) == (
            before.id, before.text, before.entities, before.date, before.media,
        )  # fmt: skip
        assert [(r.kind, r.count, r.emoji, r.document_id) for r in after.reactions] == [
            (r.kind, r.count, r.emoji, r.document_id) for r in before.reactions
        ]
        assert (after.reply_to_id, after.action, after.signature) == (
            before.reply_to_id, before.action, before.signature,
        )  # fmt: skip


def test_info_reads_a_saved_page(capsys):
    """tgarchive info summarises a saved page."""
    from tgarchive.cli import main

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tgarchive.ParseWarning)
        assert main(["info", str(WP / "features.html")]) in (0, 1)
    out = capsys.readouterr().out
    assert "web-preview" in out and "스타트업 노트 | Startup Notes" in out


@pytest.mark.property
def test_the_parser_never_crashes_on_damaged_pages():
    """Random bytes and damaged saved pages give issues or posts, never an exception (hypothesis)."""
    seeds = [
        (WP / "features.html").read_bytes()[:20000],
        (WP / "paged" / "startupnotes.html").read_bytes(),
    ]
    assert_never_crashes(WebPreviewParser(), seeds, max_examples=40)


def test_a_registry_without_the_web_preview_parser_does_not_claim_pages():
    """A registry of the Desktop parsers refuses a saved page: web previews are never misread."""
    with pytest.raises(tgarchive.UnknownFormatError):
        tgarchive.load(
            WP / "features.html", registry=Registry([DesktopJsonParser(), DesktopHtmlParser()])
        )


def test_builtin_web_preview_samples_are_loadable():
    """The page and profile samples bundled for plugin authors parse without issues."""
    from tgarchive.testing import builtin_samples

    samples = dict(builtin_samples()["web-preview"])
    for name, data in samples.items():
        archive = tgarchive.load(data, strict=True)
        assert archive.format == "web-preview" and archive.chats[0].username, name
    page = tgarchive.load(samples["preview.html"]).chats[0]
    assert (page.subscribers, page.counters, page.counts_rounded) == (1, {"photos": 2}, {})
    group = tgarchive.load(samples["profile.html"]).chats[0]
    assert (group.members, group.online, group.description) == (
        1204,
        37,
        "Questions welcome.\n질문 환영합니다.",
    )


def test_golden_helper_path_is_not_machine_specific():
    """Goldens name issue files by base name only, so they compare on any checkout."""
    text = Path(WP / "features.html.posts.json").read_text(encoding="utf-8")
    assert "/work/" not in text and '"file": "features.html"' in text


def test_other_html_files_in_a_folder_are_skipped_with_an_issue(tmp_path):
    """An .html file that is not a t.me page is left out of the chat and named in an issue."""
    shutil.copy(WP / "paged" / "startupnotes.html", tmp_path / "a.html")
    (tmp_path / "notes.html").write_text("<html><body><p>meeting notes</p></body></html>")
    archive = _load(tmp_path)
    assert [p.id for p in archive.posts] == [3, 4, 5]
    assert [(i.location.file or "").endswith("notes.html") for i in archive.issues] == [True]


def test_posts_without_a_view_token_have_no_chat_id():
    """Without data-view the page gives no channel id: chat and posts say None, not a guess."""
    page = (WP / "paged" / "startupnotes.html").read_bytes()
    page = re.sub(rb' data-view="[^"]*"', b"", page)
    archive = tgarchive.load(page, strict=True)
    assert archive.chats[0].id is None
    assert [(p.chat_id, p.author_id) for p in archive.posts] == [(None, None)] * 3


def test_issue_lines_are_the_lines_of_the_raw_page():
    """Cutting icons and avatars before parsing keeps every issue on its true line."""
    raw = (WP / "features.html").read_text(encoding="utf-8").splitlines()
    issues = _load(WP / "features.html").issues
    giveaway = next(n for n, line in enumerate(raw, 1) if "tgme_widget_message_giveaway" in line)
    unreadable = next(n for n, line in enumerate(raw, 1) if ">??</span>" in line)
    assert [i.location.line for i in issues] == [giveaway, unreadable]


def test_dead_weight_is_cut_only_where_its_end_is_certain():
    """Balanced blocks and SVG icons are cut with their newlines; an unclosed block is kept."""
    from tgarchive.parsers.web_preview import _without_dead_weight

    page = (
        b'<div class="tgme_widget_message_user"><a><i><img src="x"></i></a></div>\n'
        b'<svg a="1">\n<path/>\n</svg><b>kept</b>'
        b'<div class="media_not_supported_cont"><div>\n<div>x</div></div></div><i>also</i>'
    )
    assert _without_dead_weight(page) == b"\n\n\n<b>kept</b>\n<i>also</i>"
    unclosed = b'<div class="media_not_supported_cont"><div>no end'
    assert _without_dead_weight(unclosed) == unclosed


def test_album_items_without_an_id_stay_on_the_album_post_with_an_issue():
    """An album item whose link gives no post id is listed on the album's post and reported."""
    page = (WP / "features.html").read_bytes()
    page = page.replace(b'href="https://t.me/startupnotes/8?single"', b'href="#"')
    archive = _load(page)
    posts = {p.id: p for p in archive.posts}
    assert 8 not in posts and posts[6].extra["album_unlinked"] == [
        {"kind": "photo", "media_url": "https://cdn4.telesco.pe/file/album-3.jpg"}
    ]
    assert any("album item 3 has no post id" in i.reason for i in archive.issues)
