"""Hypothesis strategies for Telegram Desktop JSON messages, well-formed and odd."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

ENTITY_KINDS = ["bold", "italic", "link", "text_link", "mention", "mention_name", "hashtag",
                "cashtag", "code", "pre", "spoiler", "blockquote", "custom_emoji", "plain",
                "some_future_kind"]  # fmt: skip
SAMPLE_TEXT = st.sampled_from(["GPT-4는", "투자", " ", "\n", "https://lu.ma/x에서", "🚀", "❤‍🔥",
                               "OpenAI가 ", "a\tb", "\x0b", "", "ㅋㅋ"])  # fmt: skip
TEXT = st.one_of(SAMPLE_TEXT, st.text(max_size=12))

scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1),
                    st.floats(allow_nan=False, allow_infinity=False), TEXT)  # fmt: skip
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def entity(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(ENTITY_KINDS))
    obj: dict[str, Any] = {"type": kind, "text": draw(TEXT)}
    extra = {"text_link": "href", "mention_name": "user_id", "pre": "language",
             "custom_emoji": "document_id", "blockquote": "collapsed"}.get(kind)  # fmt: skip
    if extra and draw(st.booleans()):
        obj[extra] = draw(st.one_of(json_values, st.just("https://example.com"), st.just(1)))
    if draw(st.integers(0, 9)) == 0:
        obj[draw(st.text(min_size=1, max_size=6))] = draw(json_values)
    return obj


@st.composite
def text_fields(draw: st.DrawFn) -> dict[str, Any]:
    parts = draw(st.lists(st.one_of(TEXT, entity()), max_size=6))
    out: dict[str, Any] = {}
    shape = draw(st.integers(0, 9))
    if shape == 0:  # old writer: text only
        out["text"] = parts[0] if len(parts) == 1 and isinstance(parts[0], str) else parts
    elif shape == 1:  # anything at all
        out["text"] = draw(json_values)
        out["text_entities"] = draw(st.one_of(json_values, st.lists(st.one_of(TEXT, entity()))))
    else:  # the newest writer, with Telegram's canonical shapes
        if not parts:
            out["text"] = ""
        elif len(parts) == 1 and isinstance(parts[0], str):
            out["text"] = parts[0]
        else:
            out["text"] = parts
        out["text_entities"] = [{"type": "plain", "text": p} if isinstance(p, str) else p
                                for p in parts]  # fmt: skip
    return out


reaction = st.one_of(
    st.fixed_dictionaries(
        {
            "type": st.just("emoji"),
            "count": st.integers(0, 10**6),
            "emoji": st.sampled_from(["👍", "❤️", "❤‍🔥", "👍🏻"]),
        }
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("custom_emoji"),
            "count": st.integers(0, 99),
            "document_id": st.one_of(
                st.just("5368324170671202286"), st.just("stickers/sticker (1).webp")
            ),
        }
    ),
    st.fixed_dictionaries({"type": st.just("paid"), "count": st.integers(0, 99)}),
    st.dictionaries(st.sampled_from(["type", "count", "emoji", "recent", "x"]), json_values),
)

media = st.one_of(
    st.fixed_dictionaries(
        {
            "photo": st.sampled_from(
                ["photos/p.jpg", "(File not included. Change data exporting settings to download.)"]
            ),
            "photo_file_size": st.integers(0, 2**40),
        },
        optional={
            "width": st.integers(1, 4000),
            "height": st.integers(1, 4000),
            "media_spoiler": st.booleans(),
        },
    ),
    st.fixed_dictionaries(
        {"file": st.sampled_from(["files/a b.pdf", "(File unavailable, please try again later)"])},
        optional={
            "file_name": TEXT,
            "file_size": st.integers(0, 2**40),
            "media_type": st.sampled_from(
                ["sticker", "voice_message", "video_file", "new_kind", "audio_file"]
            ),
            "mime_type": TEXT,
            "duration_seconds": json_values,
            "thumbnail": TEXT,
        },
    ),
    st.fixed_dictionaries({"poll": json_values}),
    st.fixed_dictionaries(
        {
            "location_information": st.one_of(
                st.none(),
                st.fixed_dictionaries(
                    {"latitude": st.floats(-90, 90), "longitude": st.floats(-180, 180)}
                ),
            )
        }
    ),
    st.fixed_dictionaries({"contact_information": json_values}),
    st.fixed_dictionaries({"place_name": TEXT, "address": TEXT}),
    st.fixed_dictionaries({"invoice_information": json_values}),
    st.just({}),
)


@st.composite
def message(draw: st.DrawFn, mid: int) -> dict[str, Any]:
    mtype = draw(st.sampled_from(["message", "message", "service", "unsupported", "future"]))
    msg: dict[str, Any] = {"id": mid, "type": mtype}
    if mtype == "unsupported":
        return msg
    unix = draw(st.integers(0, 2**33))
    msg["date"] = "2026-01-01T09:00:00"
    if draw(st.booleans()):
        msg["date_unixtime"] = draw(st.one_of(st.just(str(unix)), st.just(unix)))
    if draw(st.integers(0, 4)) == 0:
        msg["edited"] = "2026-01-01T10:00:00"
        msg["edited_unixtime"] = str(unix + 60)
    if mtype == "service":
        msg["actor"] = draw(st.one_of(st.none(), TEXT))
        msg["actor_id"] = "channel1"
        if draw(st.booleans()):
            msg["action"] = draw(
                st.sampled_from(["pin_message", "create_channel", "future_action"])
            )
        msg.update(draw(st.dictionaries(st.sampled_from(["message_id", "title", "members", "x"]),
                                        json_values, max_size=2)))  # fmt: skip
    else:
        msg["from"] = draw(st.one_of(st.none(), TEXT))
        msg["from_id"] = draw(st.one_of(st.just("user1"), st.integers(1, 10**10)))
        optional: dict[str, Any] = draw(st.dictionaries(
            st.sampled_from(["author", "forwarded_from", "forwarded_from_id", "saved_from",
                             "reply_to_message_id", "reply_to_peer_id", "via_bot"]),
            st.one_of(TEXT, st.none(), st.integers(-5, 10**9)), max_size=3))  # fmt: skip
        msg.update(optional)
        msg.update(draw(media))
    msg.update(draw(text_fields()))
    if mtype != "service" and draw(st.booleans()):
        msg["reactions"] = draw(st.lists(reaction, max_size=4))
    if draw(st.integers(0, 5)) == 0:
        msg["inline_bot_buttons"] = draw(st.one_of(json_values, st.just(
            [[{"type": "url", "text": "x", "data": "https://x"}]])))  # fmt: skip
    unknown: dict[str, Any] = draw(st.dictionaries(st.text(min_size=1, max_size=10), json_values,
                                                   max_size=2))  # fmt: skip
    for key, value in unknown.items():
        msg.setdefault(key, value)  # fields no writer documents
    return msg


@st.composite
def chat_export(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(0, 6))
    messages = [draw(message(mid)) for mid in range(1, count + 1)]
    chat: dict[str, Any] = {"name": draw(st.one_of(st.none(), TEXT)), "type": "public_channel",
                            "id": draw(st.integers(1, 10**12)), "messages": messages}  # fmt: skip
    if draw(st.booleans()):
        chat["later_field"] = draw(json_values)
    return chat
