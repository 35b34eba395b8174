"""Language detection that works on short, mixed Korean/English text."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ._entities import find_entities
from ._normalize import normalize

Lang = Literal["ko", "en", "mixed", "und", "other"]

KO_WEIGHT = 1.7
"""A Korean token carries more letters' worth of meaning than an English one."""
KO_THRESHOLD = 0.75
EN_THRESHOLD = 0.25
MIN_EN_CLAUSE = 3
MIN_KO_CLAUSE = 2

# Entity kinds of a post whose text is not language: removed before detecting.
_DROP_KINDS = frozenset(
    {"link", "url", "mention", "mention_name", "hashtag", "cashtag", "email", "bot_command",
     "phone", "bank_card", "custom_emoji", "code", "pre"}
)  # fmt: skip
_INLINE_CODE = re.compile(r"`[^`\n]+`")


@dataclass(frozen=True)
class LangGuess:
    """What :func:`detect_lang` decided, and why.

    ``lang`` is ``ko``, ``en``, ``mixed`` (both languages carry full clauses), ``und`` (nothing
    linguistic) or ``other``; ``language`` names an ``other`` language (ISO 639-1, from
    langdetect) when it can; ``ko_share`` is Korean's share of the weighted tokens; ``counts``
    the weighted token counts per script.
    """

    lang: Lang
    confidence: float
    ko_share: float
    counts: Mapping[str, float] = field(default_factory=dict)
    language: str | None = None


def _entity_spans(entities: Iterable[Any]) -> list[tuple[int, int]]:
    spans = []
    for e in entities:
        kind = getattr(e, "kind", None)
        if kind in _DROP_KINDS or kind == "emoji":
            start = getattr(e, "offset", getattr(e, "start", 0))
            length = getattr(e, "length", None)
            end = start + length if length is not None else getattr(e, "end", start)
            spans.append((start, end))
    return spans


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(max(0, start), min(end, len(chars))):
            chars[i] = " "
    return "".join(chars)


def clean_for_detection(text: str, entities: Iterable[Any] | None = None) -> str:
    """The text with links, mentions, hashtags, e-mails, emoji and code replaced by spaces."""
    if entities is not None:
        text = _blank(text, _entity_spans(entities))
    text = normalize(text)
    if "`" in text:
        text = _INLINE_CODE.sub(" ", text)
    # Emoji need no finding here: they are not letters, so no token counts them.
    return _blank(text, ((s.start, s.end) for s in find_entities(text, emoji=False)))


# Letters become one marker per script, everything else but whitespace disappears: a token's
# script is then a substring test, all at C speed.
_KO, _HAN, _EN, _OTHER = "\x01", "\x02", "\x03", "\x04"
_SIGNATURE = (
    (re.compile("[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\ud7b0-\ud7ff"
                "\uffa0-\uffdc]+"), _KO),
    (re.compile("[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\U00020000-\U0002ffff]+"), _HAN),
    (re.compile("[a-zA-Z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]+"), _EN),
    (re.compile(r"[^\W\d_]+"), _OTHER),
    (re.compile("[^\x01-\x04\\s]+"), ""),
)  # fmt: skip


def _signature(text: str) -> str:
    for pattern, marker in _SIGNATURE:
        text = pattern.sub(marker, text)
    return text


def detect_lang(text: str, *, entities: Iterable[Any] | None = None) -> LangGuess:
    """Say whether ``text`` is Korean, English, a mix of both, something else, or no language.

    Deterministic, needs nothing beyond the standard library (langdetect only names ``other``
    languages) and never raises. ``entities`` are the post's own entities (``post.entities``):
    their links, mentions, hashtags and code are dropped first; URLs, e-mails, mentions,
    hashtags and emoji in plain text are found and dropped too.

    Each whitespace token is Korean if it holds any Hangul (weight 1.7; Hanja counts as Korean
    inside Korean text), English if its letters are Latin (weight 1), other otherwise. Korean's
    share decides: ≥ 0.75 is ``ko``, ≤ 0.25 ``en``; between, ``mixed`` needs a clause of each
    (a run of ≥ 3 English and ≥ 2 Korean tokens), or else the heavier side wins.

    >>> detect_lang("GPT-4는 진짜 미쳤다").lang
    'ko'
    >>> detect_lang("We raised our Series A! 시리즈 A 투자 유치했습니다 🚀").lang
    'mixed'
    >>> detect_lang("https://lu.ma/agitownjuly2 👍").lang
    'und'
    """
    try:
        return _detect(text, entities)
    except Exception:  # pragma: no cover - a last guard: this function never raises
        return LangGuess("und", 0.0, 0.0, {})


def _detect(text: str, entities: Iterable[Any] | None) -> LangGuess:
    if not isinstance(text, str):
        return LangGuess("und", 1.0, 0.0, {})
    cleaned = clean_for_detection(text, entities)
    signature = _signature(cleaned)
    has_hangul = _KO in signature
    counts = {"ko": 0.0, "en": 0.0, "other": 0.0}
    en_run = ko_run = best_en_run = best_ko_run = 0
    for token in signature.split():  # tokens without letters are gone: they never break a run
        if _KO in token or (has_hangul and _HAN in token):  # Hanja inside Korean is Korean
            script = "ko"
        elif _OTHER in token or _HAN in token:
            script = "other"
        else:
            script = "en"
        if script == "ko":
            counts["ko"] += KO_WEIGHT
            ko_run += 1
            en_run = 0
        elif script == "en":
            counts["en"] += 1.0
            en_run += 1
            ko_run = 0
        else:
            counts["other"] += 1.0
            en_run = ko_run = 0
        best_en_run = max(best_en_run, en_run)
        best_ko_run = max(best_ko_run, ko_run)
    ko, en, other = counts["ko"], counts["en"], counts["other"]
    total = ko + en + other
    if total == 0:
        return LangGuess("und", 1.0, 0.0, counts)
    if other > ko + en:
        return LangGuess("other", other / total, 0.0, counts, _name_language(cleaned))
    share = ko / (ko + en) if ko + en else 0.0
    if share >= KO_THRESHOLD:
        return LangGuess("ko", share, share, counts)
    if share <= EN_THRESHOLD:
        return LangGuess("en", 1.0 - share, share, counts)
    if best_en_run >= MIN_EN_CLAUSE and best_ko_run >= MIN_KO_CLAUSE:
        return LangGuess("mixed", 1.0 - abs(share - 0.5) * 2, share, counts)
    if share >= 0.5:
        return LangGuess("ko", share, share, counts)
    return LangGuess("en", 1.0 - share, share, counts)


def detect_lang_lines(
    text: str, *, entities: Iterable[Any] | None = None
) -> list[tuple[str, LangGuess]]:
    """:func:`detect_lang` for each non-empty line: bilingual posts often put a Korean intro
    above an English quote.

    >>> [(line, g.lang) for line, g in detect_lang_lines("오늘 발표 자료입니다.\\nSlides from today's talk.")]
    [('오늘 발표 자료입니다.', 'ko'), ("Slides from today's talk.", 'en')]
    """
    if entities is not None:
        text = _blank(text, _entity_spans(entities))
    return [(line, detect_lang(line)) for line in text.splitlines() if line.strip()]


_factory_lock = threading.Lock()
_factory: Any = None


def _name_language(cleaned: str) -> str | None:
    """langdetect's name for a non-Korean, non-English text, from a private seeded factory."""
    global _factory
    try:
        from langdetect.detector_factory import DetectorFactory
        from langdetect.lang_detect_exception import LangDetectException

        with _factory_lock:
            if _factory is None:
                factory = DetectorFactory()
                factory.seed = 0
                factory.load_profile(_profiles_dir())
                _factory = factory
            detector = _factory.create()
            detector.append(cleaned)
            try:
                return str(detector.detect())
            except LangDetectException:
                return None
    except Exception:
        return None


def _profiles_dir() -> str:
    import os

    import langdetect

    return os.path.join(os.path.dirname(langdetect.__file__), "profiles")
