"""Reading Telegram Desktop JSON exports into the typed model."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

import tgarchive
from tgarchive import Contact, Location, MediaFile, OtherMedia, Poll, Venue

from .conftest import FIXTURES, corpus_dir

FIX = FIXTURES / "desktop-json"


@pytest.fixture(scope="module")
def channel() -> tgarchive.Chat:
    archive = tgarchive.load(FIX / "channel_2026.json")
    assert archive.issues == []
    assert archive.account is None
    (chat,) = archive.chats
    return chat


def by_id(chat: tgarchive.Chat, mid: int) -> tgarchive.Post:
    return next(p for p in chat.posts if p.id == mid)


def test_chat_header(channel):
    """The root of a single-chat export is the chat."""
    assert channel.name == "AI 투자 노트 | AI Investing Notes"
    assert channel.type == "public_channel"
    assert channel.id == 2201001001
    assert [p.id for p in channel.posts] == list(range(1, 15))


def test_dates_are_aware_utc_from_unixtime(channel):
    """date comes from date_unixtime as an aware UTC instant; the local string is kept."""
    post = by_id(channel, 2)
    assert post.date == datetime(2026, 1, 5, 0, 10, tzinfo=timezone.utc)
    assert post.date_local == "2026-01-05T09:10:00"
    assert post.edited == datetime(2026, 1, 5, 1, 0, tzinfo=timezone.utc)
    assert post.edited_local == "2026-01-05T10:00:00"


def test_text_and_entities(channel):
    """text is the concatenation of parts; entities carry code-point offsets and their extras."""
    post = by_id(channel, 2)
    assert post.text == "GPT-4는 진짜 미쳤다. 자세한 내용은 여기 참고 #AI $NVDA"
    kinds = [(e.kind, e.text) for e in post.entities]
    assert kinds == [("bold", "GPT-4는"), ("text_link", "여기"), ("hashtag", "#AI"),
                     ("cashtag", "$NVDA")]  # fmt: skip
    for e in post.entities:
        assert post.text[e.offset : e.end] == e.text
    assert post.entities[1].href == "https://openai.com/research/gpt-4"
    assert post.hashtags == ["#AI"]
    assert post.signature == "김지훈"
    assert post.author == "AI 투자 노트 | AI Investing Notes"
    assert post.author_id == "channel2201001001"
    # Telegram's trailing empty part is not an entity, but is remembered for the writer.
    assert post.text_empty_parts == (7,)


def test_entity_kinds_and_unknown_kinds_kept(channel):
    """Every entity kind is typed; an unknown kind and its unknown keys are kept verbatim."""
    post = by_id(channel, 8)
    kinds = [e.kind for e in post.entities]
    assert kinds == ["spoiler", "future_entity_kind", "underline", "strikethrough", "italic",
                     "code", "bot_command", "mention", "bank_card"]  # fmt: skip
    future = post.entities[1]
    assert future.text == "???"
    assert future.extra == {"payload": 9}
    pre = by_id(channel, 4).entities[1]
    assert (pre.kind, pre.language) == ("pre", "bash")
    quote = by_id(channel, 4).entities[0]
    assert (quote.kind, quote.collapsed) == ("blockquote", True)
    emoji = by_id(channel, 3).entities[0]
    assert emoji.document_id == "stickers/sticker (1).webp"
    mention = by_id(channel, 7).entities[0]
    assert (mention.kind, mention.user_id) == ("mention_name", 12345678)


def test_utf16_span_counts_astral_characters_twice(channel):
    """Entity.utf16_span gives Telegram's offsets: the rocket emoji is two UTF-16 units."""
    post = by_id(channel, 3)
    link = next(e for e in post.entities if e.kind == "link")
    start, length = link.utf16_span(post.text)
    assert start == link.offset + 1
    assert length == len(link.text)


def test_links(channel):
    """links lists bare links and text_link targets with their domain."""
    post = by_id(channel, 3)
    assert [(link.url, link.domain, link.kind) for link in post.links] == [
        ("https://research.yandex.com/blog/petals", "research.yandex.com", "link")
    ]
    assert [link.domain for link in by_id(channel, 2).links] == ["openai.com"]


def test_forward_and_unknown_message_fields(channel):
    """forwarded_from(_id) become a Forward; unknown message fields stay in extra."""
    post = by_id(channel, 3)
    assert post.forward is not None
    assert (post.forward.from_name, post.forward.from_id) == ("GeekNews", "channel1355577536")
    assert post.extra == {"future_field": {"nested": [1, 2, 3]}}
    saved = by_id(channel, 13)
    assert saved.forward is not None
    assert saved.forward.saved_from == "스타트업 위클리"
    hidden = by_id(channel, 14)
    assert hidden.forward is not None
    assert hidden.forward.from_name is None


def test_reactions_of_every_kind(channel):
    """emoji, custom_emoji, paid and unknown reactions keep their counts and ids."""
    reactions = by_id(channel, 2).reactions
    assert [(r.kind, r.emoji, r.document_id, r.count) for r in reactions] == [
        ("emoji", "👍", None, 120),
        ("emoji", "❤‍🔥", None, 7),
        ("custom_emoji", None, "5368324170671202286", 3),
        ("paid", None, None, 42),
    ]
    odd = by_id(channel, 8).reactions
    assert odd[0].kind == "unknown"
    assert odd[0].label == "empty"
    recent = odd[1].recent
    assert recent is not None
    assert [(r.from_name, r.from_id) for r in recent] == [("Alice", "user1"), (None, "user2")]


def test_media_kinds(channel):
    """Media are typed by kind, with placeholders understood and big sizes kept."""
    photo = by_id(channel, 3).media
    assert isinstance(photo, MediaFile)
    assert photo.kind == "photo"
    assert photo.path == "photos/photo_1@05-01-2026_11-00-00.jpg"
    assert photo.spoiler is True
    video = by_id(channel, 4).media
    assert isinstance(video, MediaFile)
    assert video.kind == "video"
    assert video.path is None
    assert video.missing_reason == "too_large"
    assert video.file_size == 2003698620
    assert video.duration == 3600
    assert video.files() == ("video_files/demo day 2026.mp4_thumb.jpg",)
    voice = by_id(channel, 8).media
    assert isinstance(voice, MediaFile)
    assert voice.kind == "voice"
    poll = by_id(channel, 5).media
    assert isinstance(poll, Poll)
    assert poll.total_voters == 321
    assert [(a.text, a.voters, a.chosen) for a in poll.answers] == [
        ("LLM 인프라", 200, True), ("AI investing", 121, False)]  # fmt: skip
    live = by_id(channel, 6).media
    assert isinstance(live, Location)
    assert (live.latitude, live.live_period) == (37.4979, 900)
    contact = by_id(channel, 7).media
    assert isinstance(contact, Contact)
    assert contact.phone_number == "+82 10 1234 5678"
    venue = by_id(channel, 13).media
    assert isinstance(venue, Venue)
    assert venue.title == "D.CAMP 선릉"
    giveaway = by_id(channel, 14).media
    assert isinstance(giveaway, OtherMedia)
    assert giveaway.kind == "giveaway"
    assert giveaway.data["giveaway_information"]["quantity"] == 3


def test_deleted_account_and_bot_buttons(channel):
    """A null sender name is None; via_bot and inline buttons are read."""
    post = by_id(channel, 7)
    assert post.author is None
    assert post.author_id == "user777000"
    bot = by_id(channel, 6)
    assert bot.via_bot == "@like"
    assert bot.inline_bot_buttons is not None
    (row,) = bot.inline_bot_buttons
    assert [(b.kind, b.text) for b in row] == [("url", "지도 보기"), ("callback", "👍")]
    assert row[1].extra == {"dataBase64": "bGlrZQ"}


def test_service_messages(channel):
    """Service posts carry the actor as author, the action and its fields."""
    created, pinned = by_id(channel, 1), by_id(channel, 10)
    assert created.is_service
    assert created.action == "create_channel"
    assert created.action_data == {"title": "AI 투자 노트 | AI Investing Notes"}
    assert pinned.action == "pin_message"
    assert pinned.action_data == {"message_id": 2}
    custom = by_id(channel, 11)
    assert custom.action is None
    assert custom.action_data == {"information_text": "Custom server text"}
    future = by_id(channel, 12)
    assert future.action == "paid_messages_price_change"
    assert future.action_data == {"stars": 10}
    assert by_id(channel, 2).action is None


def test_unsupported_message(channel):
    """An unsupported message has only id and type."""
    post = by_id(channel, 9)
    assert post.type == "unsupported"
    assert post.date is None
    assert post.text == ""


def test_old_writer_2020():
    """2019-2021 exports: no date_unixtime, no text_entities, numeric from_id."""
    archive = tgarchive.load(FIX / "old_writer_2020.json")
    assert archive.issues == []
    posts = archive.chats[0].posts
    assert posts[0].date == datetime(2020, 3, 1, 10, 0)  # naive: the zone is unknown
    assert posts[0].date.tzinfo is None
    assert posts[0].author_id == "12345678"
    assert posts[1].text == "See https://example.com and this"
    assert [e.kind for e in posts[1].entities] == ["link", "bold"]
    assert posts[1].reply_to_id == 1
    sticker = posts[2].media
    assert isinstance(sticker, MediaFile)
    assert sticker.kind == "sticker"
    assert sticker.mime_type is None
    assert posts[3].action_data == {"members": ["Alice", None]}


def test_account_export():
    """A whole-account export gives every chat, left chats flagged, account sections kept."""
    archive = tgarchive.load(FIX / "account_export.json")
    assert archive.issues == []
    assert [(c.name, c.type, c.left, len(c.posts)) for c in archive.chats] == [
        ("Jihoon Kim", "personal_chat", False, 2),
        (None, "saved_messages", False, 0),
        ("Startup Founders KR", "private_supergroup", False, 2),
        ("Old Channel", "public_channel", True, 1),
    ]
    assert archive.account is not None
    assert archive.account["personal_information"]["username"] == "@minji"
    assert archive.chats[2].posts[0].id == -999999998  # migrated basic-group message
    assert archive.chats[2].posts[1].action_data == {"inviter": None}
    assert [p.id for p in archive.posts] == [101, 102, -999999998, 5, 7]


def test_posts_know_their_chat_in_an_account_export():
    """Each post of a whole-account export carries its own chat's id, from both readers and
    both scanners, through load and iter_posts alike."""
    data = (FIX / "account_export.json").read_bytes()
    minified = json.dumps(json.loads(data), ensure_ascii=False).encode()
    for source in (data, minified):
        archive = tgarchive.load(source)
        ids = [[p.chat_id for p in c.posts] for c in archive.chats]
        assert ids == [[12345678] * 2, [], [1600000001] * 2, [1700000002]]
        assert [c.id for c in archive.chats] == [12345678, 55501, 1600000001, 1700000002]
        service = archive.chats[2].posts[1]  # read by the general reader
        assert service.is_service and service.chat_id == 1600000001
        streamed = [(p.chat_id, p.id) for p in tgarchive.iter_posts(source)]
        assert streamed == [(p.chat_id, p.id) for p in archive.posts]
        assert len(set(streamed)) == len(streamed) == 5


def test_single_chat_posts_carry_the_root_id(channel):
    """Every post of a single-chat export carries the chat's id, which the writer leaves out."""
    assert channel.id == 2201001001
    assert {p.chat_id for p in channel.posts} == {2201001001}
    assert {p.chat_id for p in tgarchive.iter_posts(FIX / "channel_2026.json")} == {2201001001}
    out = tgarchive.dumps(tgarchive.load(FIX / "channel_2026.json"))
    assert "chat_id" not in out
    assert out.encode() == (FIX / "channel_2026.json").read_bytes()


def test_chat_id_is_not_written():
    """A post's chat_id, however set, never becomes a key of the written message."""
    from tgarchive.writers.desktop_json import post_to_json_object

    post = tgarchive.Post(id=3, chat_id=77, text="hi")
    assert "chat_id" not in post_to_json_object(post)
    assert post_to_json_object(post) == post_to_json_object(
        post.model_copy(update={"chat_id": None})
    )


def test_telegram_invalid_json_is_read():
    r"""\xHH escapes are decoded and the duplicate "text" of send_webview_data is kept."""
    archive = tgarchive.load(FIX / "telegram_quirks.json", strict=True)
    first, webview = archive.chats[0].posts
    assert first.text == "tab\tvtab\x0b and a backslash-x \\x41 that is not an escape"
    assert webview.action == "send_webview_data"
    assert webview.action_data == {"text": "Open app"}
    assert webview.text == ""
    out = tgarchive.dumps(archive)
    assert out.count('"text": "Open app"') == 1


def test_iter_posts_matches_load():
    """iter_posts yields exactly the posts load() collects, in order."""
    for name in ("channel_2026.json", "account_export.json"):
        loaded = tgarchive.load(FIX / name).posts
        streamed = list(tgarchive.iter_posts(FIX / name))
        assert streamed == loaded


def test_models_built_by_the_parser_are_valid(channel):
    """Posts built without re-validation equal what pydantic makes of their dump."""
    for post in channel.posts:
        again = tgarchive.Post.model_validate(post.model_dump())
        assert again == post
        assert tgarchive.Post.model_validate_json(post.model_dump_json()) == post


def test_corpus_salaf_loads_with_no_issues():
    """The real 2026 export loads cleanly: 213 messages, 5 service, forwards with ids."""
    path = corpus_dir("desktop-json", "salaf") / "result.json"
    archive = tgarchive.load(path)
    assert archive.issues == []
    chat = archive.chats[0]
    assert chat.type == "public_channel"
    assert chat.id == 3204528972
    raw = json.loads(path.read_bytes())
    assert [p.id for p in chat.posts] == [m["id"] for m in raw["messages"]]
    assert sum(p.is_service for p in chat.posts) == 5
    forwards = [p for p in chat.posts if p.forward is not None]
    assert len(forwards) == 27
    assert all(p.forward.from_id for p in forwards if p.forward)
    for post, msg in zip(chat.posts, raw["messages"], strict=True):
        plain = msg["text"] if isinstance(msg["text"], str) else "".join(
            p if isinstance(p, str) else p["text"] for p in msg["text"])  # fmt: skip
        assert post.text == plain
        assert post.date is not None
        assert post.date.timestamp() == int(msg["date_unixtime"])
        for e in post.entities:
            assert post.text[e.offset : e.end] == e.text
