"""Helpers for bilingual Korean/English text: pure functions, deterministic, no network.

- :func:`normalize`, :func:`collapse_repeats`: clean text without harming Korean.
- :func:`find_entities`: URLs (with or without a scheme), e-mails, mentions, hashtags, emoji.
- :func:`script_runs`: runs of Korean, English, Han and other letters, entities apart.
- :func:`detect_lang`, :func:`detect_lang_lines`: ``ko``, ``en``, ``mixed``, ``und``, ``other``.
- :func:`split_particle`, :func:`strip_particle`, :func:`keywords`, :func:`build_idf`.
- :func:`parse_count`, :func:`find_counts`: "2.4K", "1.2만", "12만 3천".
- :func:`parse_korean_datetime`, :func:`find_korean_datetimes`: "2023년 7월 12일 오후 3시".
- :func:`chosung`, :func:`match_chosung`, :func:`decompose`, :func:`compose`.
- :func:`utf16_len`, :func:`to_utf16_offset`, :func:`from_utf16_offset`: Telegram's offsets.

Offsets are code-point indices into the string passed in.

>>> from tgarchive.text import detect_lang, strip_particle, parse_count, match_chosung
>>> detect_lang("이번 Demo Day에서 pitch deck 리뷰 받았는데 feedback이 좋았음").lang
'ko'
>>> strip_particle("GPT-4는"), parse_count("1.2만"), match_chosung("ㅇㅍㅇㅇ", "오픈에이아이")
('GPT-4', 12000, True)
>>> from tgarchive.text import utf16_len, to_utf16_offset, from_utf16_offset
>>> utf16_len("GPT-4는 🚀")
9
>>> to_utf16_offset("🚀 로켓", 2), from_utf16_offset("🚀 로켓", 3)
(3, 2)
"""

from __future__ import annotations

from ._dates import find_korean_datetimes, parse_korean_datetime
from ._entities import Span, SpanKind, find_entities
from ._hangul import chosung, compose, decompose, match_chosung
from ._lang import Lang, LangGuess, clean_for_detection, detect_lang, detect_lang_lines
from ._normalize import collapse_repeats, normalize
from ._numbers import find_counts, parse_count
from ._particles import Keyword, build_idf, keywords, korean_noun, split_particle, strip_particle
from ._script import Run, Script, script_runs
from ._utf16 import from_utf16_offset, to_utf16_offset, utf16_len

# The classes users annotate with show (and pickle) under the module they are imported from.
for _cls in (Keyword, LangGuess, Run, Span):
    _cls.__module__ = __name__
del _cls

__all__ = [
    "Keyword",
    "Lang",
    "LangGuess",
    "Run",
    "Script",
    "Span",
    "SpanKind",
    "build_idf",
    "chosung",
    "clean_for_detection",
    "collapse_repeats",
    "compose",
    "decompose",
    "detect_lang",
    "detect_lang_lines",
    "find_counts",
    "find_entities",
    "find_korean_datetimes",
    "from_utf16_offset",
    "keywords",
    "korean_noun",
    "match_chosung",
    "normalize",
    "parse_count",
    "parse_korean_datetime",
    "script_runs",
    "split_particle",
    "strip_particle",
    "to_utf16_offset",
    "utf16_len",
]
