"""Generate realistic synthetic Telegram channel exports for benchmarks (and tests).

The messages look like a bilingual Korean/English startup/AI channel: mixed-script text,
links, hashtags, mentions, bold/italic/code spans, forwards from other channels, replies,
reactions of every kind (emoji, custom emoji, paid), media of several kinds (with Telegram's
"not included" placeholders), edits and service messages. Output is deterministic for a seed
and streamed, so a million-message file costs no memory.

    python benchmarks/generate.py --messages 100000 -o /tmp/export100k.json
    python benchmarks/generate.py --messages 100000 --dense -o /tmp/dense100k.json
    python benchmarks/generate.py --exports 40 --messages 2500 -o /tmp/corpus40
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any, TextIO

CHANNEL = "Continuous Learning_Startup & Investment"
CHANNEL_ID = 1739574530
KST = timezone(timedelta(hours=9))
START = datetime(2021, 1, 4, 9, 0, tzinfo=timezone.utc)
PLACEHOLDER = "(File not included. Change data exporting settings to download.)"

KO = [
    "오늘 발표된 내용을 정리해 보았습니다.",
    "스타트업이 LLM으로 가치를 만들려면 데이터와 배포 전략이 중요하다고 생각합니다.",
    "투자 시장이 얼어붙었지만 AI 인프라 쪽은 여전히 뜨겁네요.",
    "이번 주 데모데이에서 pitch deck 리뷰를 받았는데 피드백이 좋았습니다.",
    "컴퓨팅 인프라를 관리하기 위해 Kubernetes를 사용했는데, 그냥 가져다 쓸 수 있는 것은 아니었습니다.",
    "한국어 답변 품질은 아직 GPT-4보다 아쉽네요.",
    "시리즈 A 라운드에서 120억 원을 투자받았다고 합니다.",
    "1.2만 명이 신청했다고 하니 관심이 대단하네요.",
    "모델의 크기와 데이터의 크기에 따라 learning rate를 조정해야 합니다.",
    "와.. 이건 뭐.. 배우는 사람 숨 좀 쉽시다;;;",
]
EN = [
    "Meta released open weights today, commercial use allowed.",
    "As startups look to provide value with LLMs, the secret sauce is rarely the prompt.",
    "Scaling laws describe loss as a power law of model and data size.",
    "A great read on real-time machine learning and its challenges.",
    "YC W24 batch: 60% of the companies are building with AI.",
    "The best way to predict the future is to invent it.",
    "Inference costs dropped 10x in a year; margins follow.",
]
DOMAINS = ["arxiv.org", "huyenchip.com", "blog.lablup.com", "research.yandex.com", "ai.meta.com",
           "www.youtube.com", "lu.ma", "techcrunch.com", "news.hada.io", "openai.com"]  # fmt: skip
TAGS = ["#AI", "#LLM", "#startup", "#투자", "#OpenAI", "#weekly", "#스타트업", "#VC"]
SOURCES = [("GeekNews", 1355577536), ("AI Korea Community", 1500032101), ("The Batch", 1204040101),
           ("스타트업 위클리", 1622334455), ("a16z", 1098765432)]  # fmt: skip
EMOJI = ["👍", "🔥", "❤️", "🙏", "🤯", "👏", "😁", "❤‍🔥", "👍🏻", "🎉"]


def _text(rng: random.Random) -> list[Any]:
    """Text parts: plain strings and entity objects, as Telegram writes them.

    Calibrated on the real channel export in ../shared/corpus/desktop-json/salaf (3.35
    entities and 6.95 text parts per message): 3.1 entities, 7.7 parts and 1.85 KB here.
    """
    parts: list[Any] = []
    for _ in range(rng.randint(3, 5)):
        pool = KO if rng.random() < 0.65 else EN
        parts.append(rng.choice(pool) + (" " if rng.random() < 0.7 else "\n\n"))
        r = rng.random()
        if r < 0.12:
            parts.append(
                {"type": "bold", "text": rng.choice(["핵심:", "Key point:", "요약", "TL;DR"])}
            )
            parts.append(" ")
        elif r < 0.17:
            parts.append(
                {"type": "italic", "text": rng.choice(["Mixture of Experts", "강화 학습"])}
            )
            parts.append(" ")
        elif r < 0.20:
            parts.append({"type": "code", "text": "pip install transformers"})
            parts.append(" ")
    domain = rng.choice(DOMAINS)
    if rng.random() < 0.6:
        parts.append({"type": "link", "text": f"https://{domain}/{rng.randint(1000, 99999)}"})
    else:
        parts.append({"type": "text_link", "text": rng.choice(["원문", "link", "여기", "Paper"]),
                      "href": f"https://{domain}/p/{rng.randint(1, 10**6)}"})  # fmt: skip
    parts.append("\n")
    for tag in rng.sample(TAGS, rng.randint(0, 2)):
        parts.append({"type": "hashtag", "text": tag})
        parts.append(" ")
    if rng.random() < 0.2:
        parts.append({"type": "mention", "text": "@continuous_learning"})
    if rng.random() < 0.15:
        parts.append(
            {"type": "custom_emoji", "text": "🚀", "document_id": str(rng.randint(10**18, 10**19))}
        )
    parts.append("")  # Telegram's trailing empty part after non-ASCII text
    # Merge adjacent plain strings, as the writer never emits two in a row.
    merged: list[Any] = []
    for p in parts:
        if isinstance(p, str) and merged and isinstance(merged[-1], str) and p:
            merged[-1] += p
        else:
            merged.append(p)
    return merged


DENSE_KINDS: list[tuple[str, list[str]]] = [
    ("bold", ["핵심", "Key point", "중요", "TL;DR", "요약"]),
    ("italic", ["Mixture of Experts", "강화 학습", "in-context learning"]),
    ("underline", ["마감", "deadline"]),
    ("strikethrough", ["무료", "free"]),
    ("spoiler", ["결과는", "the answer"]),
    ("code", ["pip install transformers", "torch.compile", "kubectl apply"]),
    ("mention", ["@continuous_learning", "@geeknewskr", "@ai_korea"]),
    ("hashtag", TAGS),
    ("cashtag", ["$NVDA", "$MSFT", "$TSLA"]),
    ("bot_command", ["/start", "/help"]),
    ("email", ["hello@lablup.com", "team@example.org"]),
    ("phone", ["+82 10 1234 5678"]),
]
WORDS_KO = ["오늘", "발표", "정리", "투자", "모델", "데이터", "스타트업", "인프라", "추천", "링크"]
WORDS_EN = ["today", "launch", "notes", "model", "data", "startup", "infra", "read", "via", "and"]


def _dense_text(rng: random.Random) -> list[Any]:
    """Text parts with many entities: short plain runs between entities of every kind (7.8
    entities and 16 parts a message, 2.3 KB of JSON with the rest), for ``--dense``."""
    parts: list[Any] = []
    for _ in range(rng.randint(4, 7)):
        words = WORDS_KO if rng.random() < 0.6 else WORDS_EN
        parts.append(" ".join(rng.choices(words, k=rng.randint(1, 3))) + " ")
        kind, texts = rng.choice(DENSE_KINDS)
        parts.append({"type": kind, "text": rng.choice(texts)})
    domain = rng.choice(DOMAINS)
    parts.append("\n")
    parts.append({"type": "text_link", "text": rng.choice(["원문", "link", "여기", "Paper"]),
                  "href": f"https://{domain}/p/{rng.randint(1, 10**6)}"})  # fmt: skip
    parts.append(" ")
    parts.append({"type": "link", "text": f"https://{domain}/{rng.randint(1000, 99999)}"})
    if rng.random() < 0.5:
        parts.append(
            {"type": "custom_emoji", "text": "🚀", "document_id": str(rng.randint(10**18, 10**19))}
        )
    parts.append("")
    return parts


def _reactions(rng: random.Random) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if rng.random() < 0.1:
        out.append({"type": "paid", "count": rng.randint(1, 500)})
    for emoji in rng.sample(EMOJI, rng.randint(1, 4)):
        out.append({"type": "emoji", "count": rng.randint(1, 3000), "emoji": emoji})
    if rng.random() < 0.2:
        out.append({"type": "custom_emoji", "count": rng.randint(1, 99),
                    "document_id": str(rng.randint(10**18, 10**19))})  # fmt: skip
    return out


def _media(rng: random.Random, stamp: str) -> dict[str, Any]:
    r = rng.random()
    if r < 0.5:
        return {"photo": f"photos/photo_{rng.randint(1, 99999)}@{stamp}.jpg",
                "photo_file_size": rng.randint(20_000, 400_000), "width": 1280, "height": 720}  # fmt: skip
    if r < 0.7:
        return {"file": PLACEHOLDER, "file_name": "demo.mp4", "file_size": rng.randint(10**6, 3 * 10**9),
                "thumbnail": f"video_files/video_{rng.randint(1, 9999)}@{stamp}.mp4_thumb.jpg",
                "thumbnail_file_size": 20480, "media_type": "video_file", "mime_type": "video/mp4",
                "duration_seconds": rng.randint(5, 600), "width": 1920, "height": 1080}  # fmt: skip
    if r < 0.85:
        return {"file": f"files/report_{rng.randint(1, 999)}.pdf", "file_name": "LLM_landscape.pdf",
                "file_size": rng.randint(10**5, 10**8), "mime_type": "application/pdf"}  # fmt: skip
    if r < 0.95:
        return {"file": "stickers/sticker.webp", "file_size": 24000, "thumbnail": "stickers/sticker.webp_thumb.jpg",
                "thumbnail_file_size": 4000, "media_type": "sticker", "sticker_emoji": "👍",
                "mime_type": "image/webp", "width": 512, "height": 512}  # fmt: skip
    return {"poll": {"question": "다음 세션 주제는?", "closed": False, "total_voters": rng.randint(10, 900),
                     "answers": [{"text": "LLM 인프라", "voters": 10, "chosen": False},
                                 {"text": "AI 투자", "voters": 7, "chosen": True}]}}  # fmt: skip


def messages(
    count: int,
    seed: int = 7,
    *,
    dense: bool = False,
    channel: str = CHANNEL,
    channel_id: int = CHANNEL_ID,
    start: datetime = START,
) -> Iterator[dict[str, Any]]:
    """``count`` message objects in Telegram Desktop's key order, posted by ``channel``
    (``dense``: with many entities a message, see :func:`_dense_text`)."""
    rng = random.Random(seed)
    when = start
    for mid in range(1, count + 1):
        when += timedelta(seconds=rng.randint(60, 3600))
        local = when.astimezone(KST).replace(tzinfo=None).isoformat()
        msg: dict[str, Any] = {"id": mid, "type": "message", "date": local,
                               "date_unixtime": str(int(when.timestamp()))}  # fmt: skip
        if rng.random() < 0.03:
            msg["type"] = "service"
            msg["actor"] = channel
            msg["actor_id"] = f"channel{channel_id}"
            msg["action"] = "pin_message"
            msg["message_id"] = max(1, mid - rng.randint(1, 20))
            msg["text"] = ""
            msg["text_entities"] = []
            yield msg
            continue
        if rng.random() < 0.3:
            edited = when + timedelta(minutes=rng.randint(1, 600))
            msg["edited"] = edited.astimezone(KST).replace(tzinfo=None).isoformat()
            msg["edited_unixtime"] = str(int(edited.timestamp()))
        msg["from"] = channel
        msg["from_id"] = f"channel{channel_id}"
        if rng.random() < 0.1:
            msg["author"] = rng.choice(["Matthew", "김지훈"])
        if rng.random() < 0.25:
            name, cid = rng.choice(SOURCES)
            msg["forwarded_from"] = name
            msg["forwarded_from_id"] = f"channel{cid}"
        if rng.random() < 0.1 and mid > 1:
            msg["reply_to_message_id"] = mid - rng.randint(1, min(mid - 1, 50))
        if rng.random() < 0.4:
            msg.update(_media(rng, when.strftime("%d-%m-%Y_%H-%M-%S")))
        parts = _dense_text(rng) if dense else _text(rng)
        msg["text"] = parts
        msg["text_entities"] = [
            {"type": "plain", "text": p} if isinstance(p, str) else p for p in parts
        ]
        if rng.random() < 0.7:
            msg["reactions"] = _reactions(rng)
        yield msg


def write_export(
    out: TextIO,
    count: int,
    seed: int = 7,
    *,
    dense: bool = False,
    channel: str = CHANNEL,
    channel_id: int = CHANNEL_ID,
    start: datetime = START,
) -> None:
    """Write a single-chat ``result.json`` in Telegram Desktop's exact layout."""
    out.write(
        '{\n "name": ' + json.dumps(channel, ensure_ascii=False) + ',\n "type": "public_channel",\n'
    )
    out.write(f' "id": {channel_id},\n "messages": [')
    stream = messages(count, seed, dense=dense, channel=channel, channel_id=channel_id, start=start)
    for i, msg in enumerate(stream):
        text = json.dumps(msg, ensure_ascii=False, indent=1).replace("\n", "\n  ")
        out.write(("," if i else "") + "\n  " + text)
    out.write("\n ]\n}")


CORPUS_NAMES = ["AI 뉴스 브리핑", "Startup Digest", "투자 노트", "LLM Papers Daily", "개발자 모임",
                "VC Weekly", "데이터 엔지니어링", "Product Hunt KR"]  # fmt: skip


def corpus_channel(index: int) -> tuple[str, int, datetime]:
    """Name, id and first-post time of the ``index``-th channel of :func:`write_corpus`."""
    name = f"{CORPUS_NAMES[index % len(CORPUS_NAMES)]} #{index + 1}"
    return name, 1_800_000_000 + index * 7919, START + timedelta(days=17 * index)


def write_corpus(folder: str, exports: int, count: int, seed: int = 7) -> list[str]:
    """Write ``exports`` channel exports of ``count`` messages each under ``folder``, one
    ``ChatExport_<n>/result.json`` per channel (distinct names, ids, seeds and start dates, so
    that their months differ); returns the export folders."""
    import os

    made = []
    for index in range(exports):
        name, chat_id, start = corpus_channel(index)
        export = os.path.join(folder, f"ChatExport_{index + 1:05d}")
        os.makedirs(export, exist_ok=True)
        with open(os.path.join(export, "result.json"), "w", encoding="utf-8", newline="\n") as fh:
            write_export(fh, count, seed + index, channel=name, channel_id=chat_id, start=start)
        made.append(export)
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dense", action="store_true", help="many entities a message")
    parser.add_argument(
        "--exports", type=int, help="write this many channel exports into the folder -o names"
    )
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args(argv)
    if args.exports is not None:
        write_corpus(args.output, args.exports, args.messages, args.seed)
        return 0
    with open(args.output, "w", encoding="utf-8", newline="\n") as fh:
        write_export(fh, args.messages, args.seed, dense=args.dense)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


# -- the HTML twin -------------------------------------------------------------------------

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"})


def _esc(text: str) -> str:
    return text.translate(_ESCAPES).replace("\n", "<br>")


def _html_part(part: Any) -> str:
    if isinstance(part, str):
        return _esc(part)
    kind, text = part["type"], part["text"]
    tags = {"bold": "strong", "italic": "em", "code": "code", "pre": "pre", "underline": "u",
            "strikethrough": "s", "blockquote": "blockquote"}  # fmt: skip
    if kind in tags:
        return f"<{tags[kind]}>{_esc(text)}</{tags[kind]}>"
    if kind == "link":
        return f'<a href="{_esc(text)}">{_esc(text)}</a>'
    if kind == "text_link":
        return f'<a href="{_esc(part["href"])}">{_esc(text)}</a>'
    if kind == "hashtag":
        return f'<a href="" onclick="return ShowHashtag(&quot;{_esc(text[1:])}&quot;)">{_esc(text)}</a>'
    if kind == "mention":
        return f'<a href="https://t.me/{_esc(text[1:])}">{_esc(text)}</a>'
    if kind == "custom_emoji":
        return f'<a href="" onclick="return ShowNotLoadedEmoji();">{_esc(text)}</a>'
    return _esc(text)


def _title(when: datetime) -> str:
    local = when.astimezone(KST)
    return local.strftime("%d.%m.%Y %H:%M:%S") + " UTC+09:00"


class _Html:
    """Writes blocks the way Telegram Desktop does: one tag a line, one space a level."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 0

    def open(self, tag: str, attrs: str = "") -> None:
        self.lines.append(" " * self.depth + f"<{tag}{' ' + attrs if attrs else ''}>\n")
        self.depth += 1

    def close(self, tag: str) -> None:
        self.depth -= 1
        self.lines.append(" " * self.depth + f"</{tag}>\n\n")

    def inline(self, tag: str, attrs: str, content: str) -> None:
        self.open(tag, attrs)
        self.lines.append(content + "\n")
        self.close(tag)


def _html_media(out: _Html, msg: dict[str, Any]) -> None:
    if "photo" in msg:
        out.open("a", f'class="photo_wrap clearfix pull_left" href="{msg["photo"]}"')
        out.lines.append(" " * out.depth + f'<img class="photo" src="{msg["photo"]}_thumb.jpg" '
                         'style="width: 260px; height: 146px"/>\n')  # fmt: skip
        out.close("a")
        return
    if "poll" in msg:
        poll = msg["poll"]
        out.open("div", 'class="media_poll"')
        out.inline("div", 'class="question bold"', _esc(poll["question"]))
        out.inline("div", 'class="details"', "Anonymous poll")
        for answer in poll["answers"]:
            chosen = ", chosen vote" if answer["chosen"] else ""
            out.inline("div", 'class="answer"', f'- {_esc(answer["text"])} '
                       f'<span class="details">{answer["voters"]} votes{chosen}</span>')  # fmt: skip
        out.inline("div", 'class="total details&#x09;"', f"{poll['total_voters']} votes")
        out.close("div")
        return
    media_type = msg.get("media_type")
    if media_type == "sticker" and not msg["file"].startswith("("):
        out.open("a", f'class="sticker_wrap clearfix pull_left" href="{msg["file"]}"')
        out.lines.append(" " * out.depth + f'<img class="sticker" src="{msg["thumbnail"]}" '
                         'style="width: 256px; height: 256px"/>\n')  # fmt: skip
        out.close("a")
        return
    kind, title = {"video_file": ("media_video", "Video file"), "sticker": ("media_photo", "Sticker")}.get(
        media_type or "", ("media_file", msg.get("file_name", "File")))  # fmt: skip
    included = not msg["file"].startswith("(")
    if included:
        out.open("a", f'class="media clearfix pull_left block_link {kind}" href="{msg["file"]}"')
    else:
        out.open("div", f'class="media clearfix pull_left {kind}"')
    out.open("div", 'class="fill pull_left"')
    out.close("div")
    out.open("div", 'class="body"')
    out.inline("div", 'class="title bold"', _esc(title))
    if not included:
        out.inline(
            "div",
            'class="description"',
            "Not included, change data exporting settings to download.",
        )
    out.inline("div", 'class="status details"', f"{msg.get('file_size', 0) / 1024:.1f} KB")
    out.close("div")
    out.close("a" if included else "div")


def _html_message(out: _Html, msg: dict[str, Any], joined: bool) -> None:
    mid = msg["id"]
    when = datetime.fromtimestamp(int(msg["date_unixtime"]), timezone.utc)
    if msg["type"] == "service":
        out.open("div", f'class="message service" id="message{mid}"')
        out.inline("div", 'class="body details"', f'{_esc(msg["actor"])} pinned <a href="#go_to_message'
                   f'{msg["message_id"]}" onclick="return GoToMessage({msg["message_id"]})">this message</a>')  # fmt: skip
        out.close("div")
        return
    out.open(
        "div", f'class="message default clearfix{" joined" if joined else ""}" id="message{mid}"'
    )
    if not joined:
        out.open("div", 'class="pull_left userpic_wrap"')
        out.open("div", 'class="userpic userpic4" style="width: 42px; height: 42px"')
        out.inline("div", 'class="initials" style="line-height: 42px"', "C")
        out.close("div")
        out.close("div")
    out.open("div", 'class="body"')
    out.inline(
        "div",
        f'class="pull_right date details" title="{_title(when)}"',
        when.astimezone(KST).strftime("%H:%M"),
    )
    if not joined:
        out.inline("div", 'class="from_name"', _esc(msg["from"]) + " ")
    forwarded = "forwarded_from" in msg
    if forwarded:
        out.open("div", 'class="forwarded body"')
        origin = when - timedelta(hours=3)
        out.inline("div", 'class="from_name"', f'{_esc(msg["forwarded_from"])} <span class="date details" '
                   f'title="{_title(origin)}"> {origin.astimezone(KST).strftime("%d.%m.%Y %H:%M:%S")}</span>')  # fmt: skip
    if "reply_to_message_id" in msg:
        target = msg["reply_to_message_id"]
        out.inline("div", 'class="reply_to details"', f'In reply to <a href="#go_to_message{target}" '
                   f'onclick="return GoToMessage({target})">this message</a>')  # fmt: skip
    if any(k in msg for k in ("photo", "file", "poll")):
        out.open("div", 'class="media_wrap clearfix"')
        _html_media(out, msg)
        out.close("div")
    text = "".join(
        _html_part(p) for p in (msg["text"] if isinstance(msg["text"], list) else [msg["text"]])
    )
    if text:
        out.inline("div", 'class="text"', text)
    if "author" in msg:
        out.inline("div", 'class="signature details"', _esc(msg["author"]))
    if forwarded:
        out.close("div")
    # The 2024+ writer's layout (FORMAT.md §2.8, seen in real exports): a span container, the
    # emoji and the count each on lines of their own. Custom-emoji reactions are left out: no
    # real HTML export has shown how the writer renders them.
    shown = [r for r in msg.get("reactions", ()) if r["type"] != "custom_emoji"]
    if shown:
        out.open("span", 'class="reactions"')
        for i, r in enumerate(shown):
            paid = " paid" if r["type"] == "paid" else ""
            active = " active" if i == 0 and mid % 7 == 0 else ""  # the exporter reacted too
            out.open("span", f'class="reaction{active}{paid}"')
            out.inline("span", 'class="emoji"', "⭐" if paid else r["emoji"])
            out.inline("span", 'class="count"', str(r["count"]))
            out.close("span")
        out.close("span")
    out.close("div")
    out.close("div")


_HEAD = """<!DOCTYPE html>
<html>

 <head>

  <meta charset="utf-8"/>
<title>Exported Data</title>
  <meta content="width=device-width, initial-scale=1.0" name="viewport"/>

  <link href="css/style.css" rel="stylesheet"/>

  <script src="js/script.js" type="text/javascript">

  </script>

 </head>

 <body onload="CheckLocation();">

  <div class="page_wrap">

   <div class="page_header">

    <div class="content">

     <div class="text bold">
{name}
     </div>

    </div>

   </div>

   <div class="page_body chat_page">

    <div class="history">

"""
_TAIL = """    </div>

   </div>

  </div>

 </body>

</html>
"""


def write_html_export(
    folder: str, count: int, seed: int = 7, per_page: int = 1000, *, dense: bool = False
) -> None:
    """Write the HTML twin of :func:`write_export`'s messages: ``messages.html``,
    ``messages2.html``... with ``per_page`` messages each, date separators, joined messages,
    forwarded bodies, replies, media blocks, polls and reactions (the newest writer's shape)."""
    import os

    os.makedirs(folder, exist_ok=True)
    page = 1
    out: _Html | None = None
    in_page = 0
    separator = 0
    prev: dict[str, Any] | None = None

    def flush(last: bool) -> None:
        assert out is not None
        name = "messages.html" if page == 1 else f"messages{page}.html"
        body = "".join(out.lines)
        if not last:
            body += f'     <a class="pagination block_link" href="messages{page + 1}.html">\nNext messages\n     </a>\n\n'
        with open(os.path.join(folder, name), "w", encoding="utf-8") as fh:
            fh.write(_HEAD.replace("{name}", _esc(CHANNEL) + " ") + body + _TAIL)

    for msg in messages(count, seed, dense=dense):
        if out is None:
            out = _Html()
            out.depth = 5
            if page > 1:
                prev_name = "messages.html" if page == 2 else f"messages{page - 1}.html"
                out.lines.append(
                    f'     <a class="pagination block_link" href="{prev_name}">\nPrevious messages\n     </a>\n\n'
                )
        when = datetime.fromtimestamp(int(msg["date_unixtime"]), timezone.utc).astimezone(KST)
        day = when.date()
        joined = False
        if (
            prev is None
            or datetime.fromtimestamp(int(prev["date_unixtime"]), timezone.utc)
            .astimezone(KST)
            .date()
            != day
        ):
            separator += 1
            out.open("div", f'class="message service" id="message-{separator}"')
            out.inline("div", 'class="body details"', f"{day.day} {when:%B %Y}")
            out.close("div")
        elif prev["type"] == "message" and msg["type"] == "message":
            gap = int(msg["date_unixtime"]) - int(prev["date_unixtime"])
            joined = gap <= 900 and "forwarded_from" not in msg and "forwarded_from" not in prev
        _html_message(out, msg, joined)
        prev = msg
        in_page += 1
        if in_page == per_page:
            flush(last=False)
            page += 1
            out = None
            in_page = 0
    if out is not None:
        flush(last=True)
