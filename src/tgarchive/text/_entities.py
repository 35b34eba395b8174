"""Finding URLs, e-mail addresses, mentions, hashtags and emoji in plain text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ._chars import is_hangul

SpanKind = Literal["url", "email", "mention", "hashtag", "emoji"]

# Top-level domains accepted for URLs written without a scheme ("lu.ma/x", "example.co.kr").
_TLDS = (
    "com|net|org|io|ai|co|kr|me|ly|gl|gg|dev|app|so|sh|to|tv|fm|be|gd|cc|info|biz|xyz|"
    "edu|gov|site|page|link|news|blog|tech|cloud|club|studio|jp|cn|uk|us|de|fr|ca|in|ma|"
    "la|im|is|it|es|nl|ch|se|no|fi|au|nz|sg|hk|tw|vn|ru|ua|pl|br|mx|ar|eu|asia|global|"
    "works|team|inc|ventures|capital|fund|vc|one|art|design|live|video|pro|ly|st|pw|id|do"
)
_URL_CHARS = r"A-Za-z0-9\-._~:/?#@!$&'()*+,;=%"
_URL = re.compile(
    r"(?:(?:https?|ftp)://|www\.)[" + _URL_CHARS + r"]+"
    r"|(?<![\w@.\-])(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+(?:" + _TLDS + r")"
    r"(?![A-Za-z0-9\-])(?:[/?#][" + _URL_CHARS + r"]*)?",
    re.IGNORECASE,
)
_URL_TAIL = re.compile("[" + _URL_CHARS + "]*")
_EMAIL = re.compile(r"(?<![\w.+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}(?![A-Za-z])")
_MENTION = re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{2,31}(?![A-Za-z0-9_])")
_HASHTAG = re.compile(r"(?<![\w#&/])#(?=\w*[^\W\d_])\w+")
_DELIMS = "/=?#&-_"
_TRAILING = ".,;:!?…'\""
_PAIRS = {")": "(", "]": "[", "}": "{"}


@dataclass(frozen=True)
class Span:
    """A piece of text that is not words: ``kind`` is url, email, mention, hashtag or emoji.

    ``start``/``end`` are code-point offsets into the text that was searched.
    """

    kind: SpanKind
    start: int
    end: int
    text: str


def _url_end(text: str, start: int, end: int) -> int:
    # Hangul may continue a URL only right after a delimiter: ".../wiki/대한민국" is one URL,
    # "https://lu.ma/agitownjuly2에서" stops before "에서".
    while end < len(text) and is_hangul(text[end]) and text[end - 1] in _DELIMS:
        while end < len(text) and is_hangul(text[end]):
            end += 1
        m = _URL_TAIL.match(text, end)
        if m:
            end = m.end()
    # Trailing punctuation and unbalanced closing brackets are not part of a URL.
    while end > start:
        ch = text[end - 1]
        if ch in _TRAILING or (
            ch in _PAIRS and text.count(_PAIRS[ch], start, end) < text.count(ch, start, end)
        ):
            end -= 1
        else:
            break
    return end


def find_entities(text: str, *, emoji: bool = True) -> list[Span]:
    """URLs (with or without a scheme), e-mails, mentions, hashtags and emoji, in text order.

    Spans never overlap; a Korean particle glued to a URL or an address stays out of it.
    Emoji are whole RGI sequences (flags, keycaps, ZWJ families), found with the ``emoji``
    library.

    >>> [(s.kind, s.text) for s in find_entities("https://lu.ma/agitownjuly2에서 신청 @ai_kr #AI 🚀")]
    [('url', 'https://lu.ma/agitownjuly2'), ('mention', '@ai_kr'), ('hashtag', '#AI'), ('emoji', '🚀')]
    """
    spans: list[Span] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(kind: SpanKind, start: int, end: int) -> None:
        if end > start and free(start, end):
            spans.append(Span(kind, start, end, text[start:end]))
            taken.append((start, end))

    if "@" in text:
        for m in _EMAIL.finditer(text):
            add("email", m.start(), m.end())
    if "." in text:
        for m in _URL.finditer(text):
            add("url", m.start(), _url_end(text, m.start(), m.end()))
    if "@" in text:
        for m in _MENTION.finditer(text):
            add("mention", m.start(), m.end())
    if "#" in text:
        for m in _HASHTAG.finditer(text):
            add("hashtag", m.start(), m.end())
    if emoji and not text.isascii():
        import emoji as emoji_lib

        for found in emoji_lib.emoji_list(text):
            add("emoji", found["match_start"], found["match_end"])
    spans.sort(key=lambda s: s.start)
    return spans
