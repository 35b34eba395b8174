"""Speed and memory of the web-preview parser, against the Desktop HTML parser, in one run.

Generates a saved channel of 100 t.me/s pages × 20 posts (``--pages``, ``--per-page``) from
the same synthetic messages as ``generate.py`` (bilingual text with entities, forwards,
replies, photos, videos, documents, stickers, polls, reactions of every kind, service posts),
written in t.me's markup with the per-post weight of a real 2026 capture (the bubble's SVG
tail, avatar, footer: about 7 KB a post), and the Desktop HTML export of the same messages
(1000 a page, as Telegram Desktop writes them). Each parse runs in a fresh child process,
``--repeat`` times interleaved, and reports posts per second and its own peak RSS; the table
shows medians with their range and the ratio of the two parsers' medians.

    python benchmarks/bench_web_preview.py
    python benchmarks/bench_web_preview.py --pages 500 --repeat 5
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import random
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import CHANNEL, CHANNEL_ID, messages, write_html_export  # noqa: E402

USERNAME = "continuouslearning"

CHILD = r"""
import json, resource, sys, time, warnings
path = sys.argv[1]
import tgarchive
warnings.simplefilter("ignore")
start = time.perf_counter()
count = sum(1 for post in tgarchive.iter_posts(path))
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"posts": count, "seconds": elapsed, "peak_rss": peak}))
"""

# The bubble tail every post carries on t.me/s (its SVG paths are most of a post's weight).
_TAIL = """<i class="tgme_widget_message_bubble_tail">
      <svg class="bubble_icon" width="9px" height="20px" viewBox="0 0 9 20">
        <g fill="none">
          <path class="background" fill="#ffffff" d="M8,1 L9,1 L9,20 L8,20 L8,18 C7.807,15.161 7.124,12.233 5.950,9.218 C5.046,6.893 3.504,4.733 1.325,2.738 L1.325,2.738 C0.917,2.365 0.89,1.732 1.263,1.325 C1.452,1.118 1.72,1 2,1 L8,1 Z"></path>
          <path class="border_1x" fill="#d7e3ec" d="M9,1 L2,1 C1.72,1 1.452,1.118 1.263,1.325 C0.89,1.732 0.917,2.365 1.325,2.738 C3.504,4.733 5.046,6.893 5.95,9.218 C7.124,12.233 7.807,15.161 8,18 L8,20 L9,20 L9,1 Z M2,0 L9,0 L9,20 L7,20 L7,20 L7.002,18.068 C6.816,15.333 6.156,12.504 5.018,9.58 C4.172,7.406 2.72,5.371 0.649,3.475 C-0.165,2.729 -0.221,1.464 0.525,0.649 C0.904,0.236 1.439,0 2,0 Z"></path>
          <path class="border_2x" d="M9,1 L2,1 C1.72,1 1.452,1.118 1.263,1.325 C0.89,1.732 0.917,2.365 1.325,2.738 C3.504,4.733 5.046,6.893 5.95,9.218 C7.124,12.233 7.807,15.161 8,18 L8,20 L9,20 L9,1 Z M2,0.5 L9,0.5 L9,20 L7.5,20 L7.5,20 L7.501,18.034 C7.312,15.247 6.64,12.369 5.484,9.399 C4.609,7.15 3.112,5.052 0.987,3.106 C0.376,2.547 0.334,1.598 0.894,0.987 C1.178,0.677 1.579,0.5 2,0.5 Z"></path>
          <path class="border_3x" d="M9,1 L2,1 C1.72,1 1.452,1.118 1.263,1.325 C0.89,1.732 0.917,2.365 1.325,2.738 C3.504,4.733 5.046,6.893 5.95,9.218 C7.124,12.233 7.807,15.161 8,18 L8,20 L9,20 L9,1 Z M2,0.667 L9,0.667 L9,20 L7.667,20 L7.667,20 L7.668,18.023 C7.477,15.218 6.802,12.324 5.64,9.338 C4.755,7.064 3.243,4.946 1.1,2.983 C0.557,2.486 0.52,1.643 1.017,1.1 C1.269,0.824 1.626,0.667 2,0.667 Z"></path>
        </g>
      </svg>
    </i>"""
_AVATAR = "https://cdn4.telesco.pe/file/" + "mgt7sgV1VWpTpiLNl4nmJ5ym8KgwNaFn8e4m81Rh" * 8 + ".jpg"
_NOT_SUPPORTED = (
    '<div class="media_not_supported_cont"><div class="message_media_not_supported_wrap">\n'
    '  <div class="message_media_not_supported">\n'
    '    <div class="message_media_not_supported_label">Please open Telegram to view this post</div>\n'
    '    <a href="https://t.me/{u}/{id}" class="message_media_view_in_telegram">VIEW IN TELEGRAM</a>\n'
    "  </div>\n</div></div>"
)


def _shown(n: int) -> str:
    """A count the way t.me shows it: 513, 2.4K, 4.85K, 30.7K, 11.4M."""
    if n < 1000:
        return str(n)
    for div, suffix in ((10**6, "M"), (10**3, "K")):
        if n >= div:
            value = n / div
            text = (
                f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:.0f}"
            )
            return text.rstrip("0").rstrip(".") + suffix
    return str(n)


def _text_html(parts: list[Any]) -> str:
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(html.escape(part).replace("\n", "<br/>"))
            continue
        kind, text = part["type"], html.escape(part["text"]).replace("\n", "<br/>")
        if kind == "bold":
            out.append(f"<b>{text}</b>")
        elif kind == "italic":
            out.append(f"<i>{text}</i>")
        elif kind == "code":
            out.append(f"<code>{text}</code>")
        elif kind == "pre":
            out.append(f"<pre>{text}</pre>")
        elif kind == "link":
            href = part["text"] if "://" in part["text"] else "http://" + part["text"]
            out.append(f'<a href="{html.escape(href)}" target="_blank" rel="noopener">{text}</a>')
        elif kind == "text_link":
            out.append(
                f'<a href="{html.escape(part["href"])}" target="_blank" rel="noopener" '
                "onclick=\"return confirm('Open this link?\\n\\n'+this.href);\">" + text + "</a>"
            )
        elif kind == "hashtag":
            out.append(f'<a href="?q=%23{html.escape(part["text"][1:])}">{text}</a>')
        elif kind == "mention":
            out.append(f'<a href="https://t.me/{html.escape(part["text"][1:])}">{text}</a>')
        else:
            out.append(text)
    return "".join(out)


def _media_html(msg: dict[str, Any], rng: random.Random) -> str:
    mid = msg["id"]
    if "photo" in msg:
        return (
            f'<a class="tgme_widget_message_photo_wrap {rng.randint(10**18, 10**19)} '
            f'1266753983_{mid}" href="https://t.me/{USERNAME}/{mid}" style="width:800px;'
            f"background-image:url('https://cdn4.telesco.pe/file/{'Q' * 300}.jpg')\">\n"
            '  <div class="tgme_widget_message_photo" style="padding-top:62.5%"></div>\n</a>'
        )
    if msg.get("media_type") == "video_file":
        d = msg.get("duration_seconds", 9)
        return (
            f'<a class="tgme_widget_message_video_player js-message_video_player" href="https://t.me/{USERNAME}/{mid}">'
            f'<i class="tgme_widget_message_video_thumb" style="background-image:url(\'https://cdn4.telesco.pe/file/{"T" * 300}\')"></i>\n'
            f'<div class="tgme_widget_message_video_wrap" style="width:1280px;padding-top:56.25%">\n'
            f'  <video src="https://cdn4.telesco.pe/file/{"v" * 10}.mp4?token={"t" * 300}" class="tgme_widget_message_video js-message_video" width="100%" height="100%"></video>\n'
            '</div>\n<div class="message_video_play js-message_video_play"></div>\n'
            f'<time class="message_video_duration js-message_video_duration">{d // 60}:{d % 60:02d}</time>\n'
            '<div class="message_media_not_supported_wrap">\n  <div class="message_media_not_supported">\n'
            '    <div class="message_media_not_supported_label">This media is not supported in your browser</div>\n'
            '    <span class="message_media_view_in_telegram">VIEW IN TELEGRAM</span>\n  </div>\n</div></a>'
        )
    if msg.get("media_type") == "sticker":
        return (
            '<div class="tgme_widget_message_sticker_wrap media_supported_cont" style="width:256px;">'
            '<i class="tgme_widget_message_sticker js-sticker_thumb" '
            'data-webp="https://cdn4.telesco.pe/file/sticker.webp"></i></div>'
        )
    if "poll" in msg:
        poll = msg["poll"]
        options = "".join(
            '<div class="tgme_widget_message_poll_option"><div class="tgme_widget_message_poll_option_percent">50%</div>'
            '<div class="tgme_widget_message_poll_option_value"><div class="tgme_widget_message_poll_option_text">'
            f"{html.escape(a['text'])}</div></div></div>"
            for a in poll["answers"]
        )
        return (
            f'<div class="tgme_widget_message_poll"><div class="tgme_widget_message_poll_question">{html.escape(poll["question"])}</div>'
            f'<div class="tgme_widget_message_poll_type">Anonymous poll</div><div class="tgme_widget_message_poll_options">{options}</div></div>'
        )
    if "file" in msg:
        return (
            f'<a class="tgme_widget_message_document_wrap" href="https://t.me/{USERNAME}/{mid}"><div class="tgme_widget_message_document">'
            f'<div class="tgme_widget_message_document_title accent_color" dir="auto">{html.escape(msg.get("file_name", "file"))}</div>'
            '<div class="tgme_widget_message_document_extra" dir="auto">1.2 MB</div></div></a>'
        )
    return ""


def _reactions_html(reactions: list[dict[str, Any]]) -> str:
    spans = []
    for r in reactions:
        count = _shown(r["count"] * 7)
        if r["type"] == "paid":
            spans.append(
                f'<span class="tgme_reaction tgme_reaction_paid"><i class="icon icon-telegram-stars"></i>{count}</span>'
            )
        elif r["type"] == "custom_emoji":
            spans.append(
                f'<span class="tgme_reaction"><tg-emoji emoji-id="{r["document_id"]}"></tg-emoji>{count}</span>'
            )
        else:
            spans.append(
                '<span class="tgme_reaction"><i class="emoji" style="background-image:'
                f"url('//telegram.org/img/emoji/40/F09F918D.png')\"><b>{r['emoji']}</b></i>{count}</span>"
            )
    return (
        '<div class="tgme_widget_message_reactions js-message_reactions">'
        + "".join(spans)
        + "</div>"
    )


def _post_html(msg: dict[str, Any], rng: random.Random, captured: int) -> str:
    mid = msg["id"]
    token = {"c": -CHANNEL_ID, "p": mid, "t": captured, "h": "81476615824bdce8b6"}
    raw = json.dumps(token, separators=(",", ":")).encode()
    view = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    when = datetime.fromtimestamp(int(msg["date_unixtime"]), timezone.utc)
    stamp = when.isoformat()
    service = msg["type"] == "service"
    cls = "service_message" if service else "text_not_supported_wrap user-color-12"
    body = []
    if not service:
        body.append(
            '<div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" '
            f'href="https://t.me/{USERNAME}"><span dir="auto">{html.escape(CHANNEL)}</span></a></div>'
        )
        if "forwarded_from" in msg:
            body.append(
                '<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from&nbsp;'
                f'<a class="tgme_widget_message_forwarded_from_name" href="https://t.me/source{mid % 7}/{mid}">'
                f'<span dir="auto">{html.escape(msg["forwarded_from"])}</span></a></div>'
            )
        if "reply_to_message_id" in msg:
            body.append(
                f'<a class="tgme_widget_message_reply" href="https://t.me/{USERNAME}/{msg["reply_to_message_id"]}">'
                '<div class="tgme_widget_message_author accent_color"><span class="tgme_widget_message_author_name" dir="auto">'
                f'{html.escape(CHANNEL)}</span></div><div class="tgme_widget_message_text js-message_reply_text" dir="auto">'
                "the start of the replied post</div></a>"
            )
    text = "Channel pinned «a message»" if service else _text_html(msg["text"])
    body.append(
        '<div class="media_supported_cont">' + _media_html(msg, rng)
        + f'<div class="tgme_widget_message_text js-message_text" dir="auto">{text}</div></div>'
        + _NOT_SUPPORTED.format(u=USERNAME, id=mid)
    )  # fmt: skip
    if msg.get("reactions"):
        body.append(_reactions_html(msg["reactions"]))
    views = _shown(rng.randint(200, 3_000_000))
    signature = (
        f'<span class="tgme_widget_message_from_author" dir="auto">{html.escape(msg["author"])}</span>,&nbsp;'
        if "author" in msg
        else ""
    )
    edited = "edited &nbsp;" if "edited" in msg else ""
    return (
        f'<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message {cls} js-widget_message" '
        f'data-post="{USERNAME}/{mid}" data-view="{view}">\n'
        f'  <div class="tgme_widget_message_user"><a href="https://t.me/{USERNAME}"><i class="tgme_widget_message_user_photo bgcolor2" data-content="C"><img src="{_AVATAR}"></i></a></div>\n'
        f'  <div class="tgme_widget_message_bubble">\n    {_TAIL if not service else ""}\n'
        + "\n".join(body)
        + '<div class="tgme_widget_message_footer compact js-message_footer">\n  <div class="tgme_widget_message_info short js-message_info">\n'
        f'    <span class="tgme_widget_message_views">{views}</span><span class="copyonly"> views</span>'
        f'<span class="tgme_widget_message_meta">{signature}{edited}<a class="tgme_widget_message_date" href="https://t.me/{USERNAME}/{mid}">'
        f'<time datetime="{stamp}" class="time">{when:%H:%M}</time></a></span>\n  </div>\n</div>\n  </div>\n</div></div>'
    )


def _page_html(posts: list[str], before: int) -> str:
    return f"""<!DOCTYPE html>
<html>
  <head>
    <meta charset="utf-8">
    <title>{html.escape(CHANNEL)} – Telegram</title>
    <meta property="og:title" content="{html.escape(CHANNEL)}">
    <meta property="al:ios:url" content="tg://resolve?domain={USERNAME}">
    <link rel="canonical" href="/s/{USERNAME}?before={before}">
    <link href="//telegram.org/css/widget-frame.css?74" rel="stylesheet" media="screen">
  </head>
  <body class="widget_frame_base tgme_webpreview emoji_image thin_box_shadow tme_mode no_transitions">
    <header class="tgme_header search_collapsed"><div class="tgme_container"><div class="tgme_header_right_column">
      <section class="tgme_right_column"><div class="tgme_channel_info">
        <div class="tgme_channel_info_header">
          <i class="tgme_page_photo_image bgcolor2" data-content="CL"><img src="{_AVATAR}"></i>
          <div class="tgme_channel_info_header_title_wrap"><div class="tgme_channel_info_header_title"><span dir="auto">{html.escape(CHANNEL)}</span></div>
          <div class="tgme_channel_info_header_labels"></div></div>
          <div class="tgme_channel_info_header_username"><a href="https://t.me/{USERNAME}">@{USERNAME}</a></div>
        </div>
        <div class="tgme_channel_info_counters"><div class="tgme_channel_info_counter"><span class="counter_value">2.4K</span> <span class="counter_type">subscribers</span></div><div class="tgme_channel_info_counter"><span class="counter_value">513</span> <span class="counter_type">photos</span></div><div class="tgme_channel_info_counter"><span class="counter_value">2.72K</span> <span class="counter_type">links</span></div></div>
        <div class="tgme_channel_info_description">We journey together through entrepreneurship, investment, life, and technology.</div>
      </div></section></div></div>
    </header>
    <main class="tgme_main" data-url="/{USERNAME}"><div class="tgme_container">
      <section class="tgme_channel_history js-message_history">
        <div class="tgme_widget_message_centered js-messages_more_wrap"><a href="/s/{USERNAME}?before={before}" class="tme_messages_more js-messages_more" data-before="{before}"></a></div>{"".join(posts)}
      </section>
    </div></main>
  </body>
</html>
"""


def write_web_preview(folder: Path, pages: int, per_page: int, seed: int = 7) -> int:
    """Write ``pages`` saved t.me/s pages of ``per_page`` posts each; returns the post count."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    batch: list[str] = []
    number = 0
    total = 0
    for msg in messages(pages * per_page, seed):
        batch.append(_post_html(msg, rng, 1786277379 + number))
        total += 1
        if len(batch) == per_page:
            number += 1
            before = msg["id"] - per_page + 1
            (folder / f"{USERNAME}_before_{before:07d}.html").write_text(
                _page_html(batch, before), encoding="utf-8"
            )
            batch = []
    return total


def run(path: Path) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--per-page", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each parser (default 3)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        preview = Path(tmp) / "web-preview"
        desktop = Path(tmp) / "desktop-html"
        posts = write_web_preview(preview, args.pages, args.per_page)
        write_html_export(str(desktop), posts)
        for label, folder in (("web-preview", preview), ("desktop-html", desktop)):
            files = list(folder.iterdir())
            size = sum(p.stat().st_size for p in files)
            print(
                f"{label}: {len(files)} pages, {size / 1e6:.1f} MB, {size / posts / 1e3:.1f} KB a post"
            )
        runs: dict[str, list[dict[str, float]]] = {"web-preview": [], "desktop-html": []}
        for _ in range(args.repeat):
            runs["web-preview"].append(run(preview))
            runs["desktop-html"].append(run(desktop))
    print(f"python {sys.version.split()[0]}; {args.repeat} runs each, medians (fastest-slowest)")
    print(
        f"{'parser':<14} {'posts':>7} {'seconds':>18} {'posts/s':>9} {'vs html':>8} {'peak RSS':>10}"
    )
    base = statistics.median(r["posts"] / r["seconds"] for r in runs["desktop-html"])
    for name, rs in runs.items():
        seconds = [r["seconds"] for r in rs]
        rate = rs[0]["posts"] / statistics.median(seconds)
        spread = f"{statistics.median(seconds):.2f} ({min(seconds):.2f}-{max(seconds):.2f})"
        peak = max(r["peak_rss"] for r in rs)
        print(
            f"{name:<14} {int(rs[0]['posts']):>7,} {spread:>18} {rate:>9,.0f} {rate / base:>7.2f}x {peak / 2**20:>8.0f} MB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
