"""Korean particles after English terms, and bilingual keywords."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from ._chars import is_han, is_hangul

# A closed list: particles, copulas and their common combinations. Longest first.
PARTICLES: tuple[str, ...] = tuple(
    sorted(
        {
            "은",
            "는",
            "이",
            "가",
            "을",
            "를",
            "의",
            "에",
            "에서",
            "에게",
            "께",
            "한테",
            "로",
            "으로",
            "와",
            "과",
            "랑",
            "이랑",
            "도",
            "만",
            "까지",
            "부터",
            "보다",
            "처럼",
            "든",
            "이든",
            "나",
            "이나",
            "다",
            "이다",
            "야",
            "이야",
            "입니다",
            "이에요",
            "예요",
            "에서는",
            "에는",
            "로는",
            "으로는",
            "와의",
            "과의",
            "에서의",
            "에서도",
            "에도",
            "로도",
            "으로도",
            "까지는",
            "부터는",
            "만큼",
            "마다",
            "밖에",
            "조차",
            "라도",
            "이라도",
            "라고",
            "이라고",
            "하고",
            "에게서",
            "한테서",
            "로서",
            "으로서",
            "로써",
            "으로써",
            "인",
            "이란",
            "란",
            "이며",
            "며",
            "이고",
            "고",
            "요",
            "이요",
            "들",
            "들은",
            "들이",
            "들을",
            "들의",
            "들도",
            "에게는",
            "한테는",
            "이지만",
            "지만",
            "인데",
            "인가",
            "이라",
            "라",
            "이었다",
            "였다",
            "이에",
            "께서",
            "에선",
            "에서부터",
            "으로부터",
            "로부터",
            "만의",
            "만을",
            "만이",
            "보다는",
            "처럼요",
            "이죠",
            "죠",
            "이네요",
            "네요",
            "이랑은",
            "랑은",
            "과는",
            "와는",
            "이나마",
            "나마",
            "은요",
            "는요",
            "도요",
        },
        key=len,
        reverse=True,
    )
)
_PARTICLE_SET = frozenset(PARTICLES)
# 하다-type verb endings glued to an English stem ("closing했다", "launch한").
_HADA = (
    "하",
    "했",
    "한",
    "할",
    "해",
    "함",
    "합",
    "됐",
    "된",
    "될",
    "되",
    "돼",
    "됨",
    "시켜",
    "시킨",
)
_STEM_CHARS = set("-_.+/&'’")


def split_particle(token: str) -> tuple[str, str]:
    """Split a token made of a non-Hangul stem and a Hangul tail at the script boundary.

    >>> split_particle("GPT-4는"), split_particle("OpenAI가"), split_particle("closing했다")
    (('GPT-4', '는'), ('OpenAI', '가'), ('closing', '했다'))
    >>> split_particle("모델을")
    ('모델을', '')
    """
    for i, ch in enumerate(token):
        if is_hangul(ch):
            if i == 0:
                return token, ""
            stem = token[:i]
            if not any(c.isalnum() for c in stem):
                return token, ""
            tail = token[i:]
            if not all(is_hangul(c) for c in tail):
                return token, ""
            return stem, tail
        if not (ch.isalnum() or ch in _STEM_CHARS) or is_han(ch):
            return token, ""
    return token, ""


def strip_particle(token: str) -> str:
    """The stem of an English (or number) term with a Korean particle glued on.

    "GPT-4는" → "GPT-4", "USB-C를" → "USB-C", "MP4로" → "MP4", "15는" → "15"; a 하다-type ending
    also leaves the stem ("closing했다" → "closing"). A Hangul-stem word ("모델을") is returned
    unchanged unless kiwipiepy is installed (``pip install 'tgarchive-kit[ko]'``), which then
    splits it by morphology.

    >>> strip_particle("USB-C를"), strip_particle("모델을" if False else "MP4로")
    ('USB-C', 'MP4')
    """
    stem = _strip_after_stem(token)
    if stem != token:
        return stem
    if token and is_hangul(token[-1]) and is_hangul(token[0]):
        kiwi = _kiwi()
        if kiwi is not None:
            return _kiwi_stem(kiwi, token)
    return token


def _strip_after_stem(token: str) -> str:
    """The non-Hangul stem when the Hangul tail is a particle or a 하다-type ending."""
    stem, tail = split_particle(token)
    if tail and (tail in _PARTICLE_SET or tail.startswith(_HADA)):
        return stem
    return token


@cache
def _kiwi() -> Any:
    try:
        from kiwipiepy import Kiwi
    except ImportError:
        return None
    return Kiwi()


def _kiwi_stem(kiwi: Any, token: str) -> str:
    tokens = kiwi.tokenize(token)
    kept = []
    for t in tokens:
        if t.tag.startswith("J") or t.tag.startswith("E") or t.tag in ("VCP", "XSV", "XSA"):
            break
        kept.append(t)
    if not kept:
        return token
    end = kept[-1].start + kept[-1].len
    return token[:end]


_COPULAS = ("입니다", "이었다", "이에요", "이다", "이야", "이죠", "였다", "예요")
_PREDICATE_ENDINGS = ("다", "요", "죠", "니다", "네", "까", "지", "음", "함", "됨")


def korean_noun(token: str) -> str | None:
    """The noun of a Hangul word, without kiwipiepy: a copula or a particle from the closed
    list is stripped when a stem of two or more syllables remains; predicates ("좋았다",
    "신청하세요") give ``None``.

    >>> korean_noun("모델이다"), korean_noun("스타트업이"), korean_noun("받았다")
    ('모델', '스타트업', None)
    """
    for copula in _COPULAS:
        if token.endswith(copula) and len(token) - len(copula) >= 2:
            return token[: -len(copula)]
    if token.endswith(_PREDICATE_ENDINGS):
        return None
    for particle in PARTICLES:
        if token.endswith(particle) and len(token) - len(particle) >= 2:
            return token[: -len(particle)]
    return token if len(token) >= 2 else None


@dataclass(frozen=True)
class Keyword:
    """A term, its score, how often it occurs, and its script."""

    term: str
    score: float
    count: int
    script: Literal["ko", "en", "han"]


_EN_TERM = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-.+][A-Za-z0-9]+)*\+*")
_TOKEN_EDGE = "\"'“”‘’()[]{}<>,.;:!?…·*~|"
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "i",
        "you",
        "he",
        "she",
        "we",
        "they",
        "me",
        "him",
        "her",
        "us",
        "them",
        "my",
        "your",
        "our",
        "their",
        "not",
        "no",
        "so",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "must",
        "just",
        "about",
        "into",
        "over",
        "than",
        "then",
        "there",
        "here",
        "what",
        "which",
        "who",
        "whom",
        "how",
        "why",
        "when",
        "where",
        "all",
        "any",
        "some",
        "more",
        "most",
        "very",
        "also",
        "only",
        "up",
        "out",
        "new",
        "get",
        "got",
        "via",
        "per",
        "amp",
        "rt",
        "vs",
        "etc",
    ]
)


def _terms(text: str, analyzer: str) -> list[tuple[str, str]]:
    from ._entities import find_entities

    found: list[tuple[str, str]] = []
    spans = find_entities(text, emoji=True)
    words = list(text)
    for span in spans:
        if span.kind == "hashtag":
            found.append((span.text, "hashtag"))
        for i in range(span.start, span.end):
            words[i] = " "
    cleaned = "".join(words)
    use_kiwi = analyzer == "kiwi" or (analyzer == "auto" and _kiwi() is not None)
    if use_kiwi:
        kiwi = _kiwi()
        if kiwi is None:
            raise ImportError("analyzer='kiwi' needs kiwipiepy: pip install 'tgarchive-kit[ko]'")
        for t in kiwi.tokenize(cleaned):
            if t.tag in ("NNG", "NNP") and len(t.form) >= 2:
                found.append((t.form, "ko"))
    for raw in cleaned.split():
        token = raw.strip(_TOKEN_EDGE)
        if not token:
            continue
        stem = _strip_after_stem(token) if not use_kiwi else split_particle(token)[0]
        if is_hangul(stem[0]):
            if not use_kiwi and all(is_hangul(c) for c in stem):
                word = korean_noun(stem)
                if word is not None:
                    found.append((word, "ko"))
            continue
        if is_han(stem[0]):
            if len(stem) >= 2 and all(is_han(c) for c in stem):
                found.append((stem, "han"))
            continue
        m = _EN_TERM.fullmatch(stem)
        if m and len(stem) >= 2 and stem.lower() not in STOP_WORDS and not stem.isdigit():
            found.append((stem, "en"))
    return found


def _texts(source: str | Iterable[Any]) -> list[str]:
    if isinstance(source, str):
        return [source]
    out = []
    for item in source:
        text = getattr(item, "text", item)
        if isinstance(text, str):
            out.append(text)
    return out


def keywords(
    text_or_posts: str | Iterable[Any],
    *,
    top_k: int = 20,
    idf: Mapping[str, float] | None = None,
    analyzer: Literal["auto", "kiwi", "simple"] = "auto",
) -> list[Keyword]:
    """The most characteristic terms of a text (or of posts), English and Korean together.

    English terms keep their inner ``-``, ``.`` and digits ("GPT-4", "BLOOM-176B") with Korean
    particles stripped, are merged case-insensitively under their most frequent spelling, and
    skip stop words; hashtags count as terms. Korean terms are nouns from kiwipiepy when it is
    installed (``analyzer="auto"``), otherwise Hangul words of two or more syllables with a
    particle from the closed list stripped. Scores are counts, or TF-IDF when ``idf`` comes from
    :func:`build_idf`.

    >>> [k.term for k in keywords("GPT-4는 빠르다. GPT-4가 OpenAI의 모델이다. #AI", analyzer="simple")][:3]
    ['GPT-4', '#AI', 'OpenAI']
    """
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    scripts: dict[str, str] = {}
    for text in _texts(text_or_posts):
        for term, script in _terms(text, analyzer):
            key = term.lower() if script in ("en", "hashtag") else term
            counts[key] += 1
            spellings.setdefault(key, Counter())[term] += 1
            scripts[key] = "en" if script == "hashtag" else script
    result = []
    for key, count in counts.items():
        score = float(count) * (idf.get(key, max(idf.values(), default=1.0)) if idf else 1.0)
        term = spellings[key].most_common(1)[0][0]
        result.append(Keyword(term, score, count, scripts[key]))  # type: ignore[arg-type]
    result.sort(key=lambda k: (-k.score, -k.count, k.term))
    return result[:top_k]


def build_idf(
    texts_or_posts: Iterable[Any], *, analyzer: Literal["auto", "kiwi", "simple"] = "auto"
) -> dict[str, float]:
    """Inverse document frequencies over many texts or posts (an archive's ``posts``), for
    :func:`keywords`: ``log((1 + N) / (1 + df)) + 1``.
    """
    df: Counter[str] = Counter()
    total = 0
    for text in _texts(texts_or_posts):
        total += 1
        seen = {t.lower() if s in ("en", "hashtag") else t for t, s in _terms(text, analyzer)}
        df.update(seen)
    return {term: math.log((1 + total) / (1 + n)) + 1.0 for term, n in df.items()}
