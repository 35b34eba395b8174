"""Generate realistic synthetic Telegram channel exports for benchmarks (and tests).

The messages look like a bilingual Korean/English startup/AI channel: mixed-script text,
links, hashtags, mentions, bold/italic/code spans, forwards from other channels, replies,
reactions of every kind (emoji, custom emoji, paid), media of several kinds (with Telegram's
"not included" placeholders), edits and service messages. Output is deterministic for a seed
and streamed, so a million-message file costs no memory.

    python benchmarks/generate.py --messages 100000 -o /tmp/export100k.json
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
    """Text parts: plain strings and entity objects, as Telegram writes them."""
    parts: list[Any] = []
    for _ in range(rng.randint(2, 5)):
        pool = KO if rng.random() < 0.65 else EN
        parts.append(rng.choice(pool) + (" " if rng.random() < 0.7 else "\n\n"))
        r = rng.random()
        if r < 0.25:
            parts.append(
                {"type": "bold", "text": rng.choice(["핵심:", "Key point:", "요약", "TL;DR"])}
            )
            parts.append(" ")
        elif r < 0.35:
            parts.append(
                {"type": "italic", "text": rng.choice(["Mixture of Experts", "강화 학습"])}
            )
            parts.append(" ")
        elif r < 0.42:
            parts.append({"type": "code", "text": "pip install transformers"})
            parts.append(" ")
    domain = rng.choice(DOMAINS)
    if rng.random() < 0.6:
        parts.append({"type": "link", "text": f"https://{domain}/{rng.randint(1000, 99999)}"})
    else:
        parts.append({"type": "text_link", "text": rng.choice(["원문", "link", "여기", "Paper"]),
                      "href": f"https://{domain}/p/{rng.randint(1, 10**6)}"})  # fmt: skip
    parts.append("\n")
    for tag in rng.sample(TAGS, rng.randint(1, 3)):
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


def messages(count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """``count`` message objects in Telegram Desktop's key order."""
    rng = random.Random(seed)
    when = datetime(2021, 1, 4, 9, 0, tzinfo=timezone.utc)
    for mid in range(1, count + 1):
        when += timedelta(seconds=rng.randint(60, 3600))
        local = when.astimezone(KST).replace(tzinfo=None).isoformat()
        msg: dict[str, Any] = {"id": mid, "type": "message", "date": local,
                               "date_unixtime": str(int(when.timestamp()))}  # fmt: skip
        if rng.random() < 0.03:
            msg["type"] = "service"
            msg["actor"] = CHANNEL
            msg["actor_id"] = f"channel{CHANNEL_ID}"
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
        msg["from"] = CHANNEL
        msg["from_id"] = f"channel{CHANNEL_ID}"
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
        parts = _text(rng)
        msg["text"] = parts
        msg["text_entities"] = [
            {"type": "plain", "text": p} if isinstance(p, str) else p for p in parts
        ]
        if rng.random() < 0.7:
            msg["reactions"] = _reactions(rng)
        yield msg


def write_export(out: TextIO, count: int, seed: int = 7) -> None:
    """Write a single-chat ``result.json`` in Telegram Desktop's exact layout."""
    out.write('{\n "name": ' + json.dumps(CHANNEL) + ',\n "type": "public_channel",\n')
    out.write(f' "id": {CHANNEL_ID},\n "messages": [')
    for i, msg in enumerate(messages(count, seed)):
        text = json.dumps(msg, ensure_ascii=False, indent=1).replace("\n", "\n  ")
        out.write(("," if i else "") + "\n  " + text)
    out.write("\n ]\n}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args(argv)
    with open(args.output, "w", encoding="utf-8", newline="\n") as fh:
        write_export(fh, args.messages, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
