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
    if share > EN_THRESHOLD and best_en_run >= MIN_EN_CLAUSE and best_ko_run >= MIN_KO_CLAUSE:
        return LangGuess("mixed", 1.0 - abs(share - 0.5) * 2, share, counts)
    if share > EN_THRESHOLD and share >= 0.5:
        return LangGuess("ko", share, share, counts)
    # The Latin letters carry the text: English, or another Latin-script language?
    foreign = _latin_foreign(cleaned)
    if foreign is not None:
        confidence, strong = foreign
        language, probability = _language_probability(cleaned)
        if language != "en" and (strong or probability >= WEAK_EVIDENCE_PROBABILITY):
            return LangGuess("other", confidence, share, counts, language)
    return LangGuess("en", 1.0 - share, share, counts)


# Function words that tell English from the other Latin-script languages a channel meets.
# Words that are function words on both sides ("a", "in", "an", "die", "was", "on", "me"...)
# are in neither list: they prove nothing.
def _words(*groups: str) -> frozenset[str]:
    return frozenset(word for group in groups for word in group.split())


_EN_WORDS = _words(
    """the and of to for with that this it its we you our your are be been were has have had
    at by from as or not but if they their them what how can all just about get out up now
    here there which who whom more one my he she his her than then when where why do does did
    i us very would could should into over after before new while these those thanks thank
    please let's let via"""
)
# Words English also uses ("son", "plus", "van", "hat", "den", "dan"...) are left out.
_OTHER_WORDS = _words(
    # Spanish
    """el la los las del que y en un una unos unas es por para se como más pero sus le su al
    muy este esta estos estas también está están ser entre nuestro nuestra nuestros hoy
    gracias muchas muchos todo todos cuando donde porque qué cómo nosotros ustedes hola
    alguien sabe""",
    # French
    """les des du et est une qui pour dans sur au aux avec ce cette ces il elle nous vous ils
    sont être été très mais ou où notre nos votre vos leur leurs merci beaucoup c'est aussi
    tous je tu fait faire chez sans""",
    # German
    """der das und ist nicht ein eine einen einem einer zu mit von für auf ich sie es wir ihr
    sich dem auch noch wird werden wurde sind bei aus nach oder aber wie sehr danke heute
    unsere unser haben vom zum zur über kein keine""",
    # Portuguese, Italian, Dutch: neighbours the detector should not call English either
    """não uma os das dos obrigado muito você della delle degli sono questo questa anche grazie
    het een niet voor zijn ook maar""",
    # Indonesian / Malay
    """yang di ini itu dengan untuk tidak dari dalam akan pada juga ke kami saya bisa karena
    sudah atau oleh telah kita mereka baru saja terima kasih apakah tahu sangat lebih banyak
    seperti hanya""",
    # Vietnamese
    """và của là có không được cho các những một này với người trong đã để rất cảm ơn bạn
    chúng tôi đang khi từ như nhiều năm""",
)
_LATIN_WORD = re.compile("[a-zA-Z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff']+")
_ELIDED = frozenset({"c", "d", "l", "j", "qu", "n", "s", "m", "t", "dell", "all", "un"})
_EN_CONTRACTED = frozenset({"s", "t", "re", "ve", "ll", "d", "m"})
# Rare in English, common in German: half a word of evidence.
_HALF_OTHER_WORDS = frozenset({"die"})
_SENTENCE_END = re.compile(r"[.!?\n:;¡¿]")
MIN_FOREIGN_EVIDENCE = 2.0
"""Words of another Latin-script language (function words, letters English does not use)
that call a Latin text ``other`` outright: short English ("Nice", "LGTM") stays ``en``."""
MIN_WEAK_WORDS = 4
WEAK_EVIDENCE_PROBABILITY = 0.95
"""How sure langdetect must be (of a language other than English) when the words alone are
weak evidence; langdetect alone calls "Café culture in Seoul" Romanian."""


def _latin_foreign(cleaned: str) -> tuple[float, bool] | None:
    """Evidence that the Latin words of ``cleaned`` are not English: ``(confidence, strong)``,
    or ``None`` when they are English or there is too little to tell.

    Counted per word: a function word of another language is 1 (0.5 capitalised inside a
    sentence); a word with a letter English does not use is 1 (0.5 capitalised: José, Zürich,
    Café may be names); a word in capitals (an acronym: JE, DE) is nothing.
    English function words count against it, twice. Strong evidence is
    :data:`MIN_FOREIGN_EVIDENCE` against no more than half as much English; weak evidence (one
    word, no English, a sentence of at least :data:`MIN_WEAK_WORDS` words) needs langdetect
    to be sure as well.
    """
    english = 0
    foreign = 0.0
    words = 0
    text = cleaned.replace("\u2019", "'")
    last = 0
    for match in _LATIN_WORD.finditer(text):
        written = match.group().strip("'")
        # A capital opening a sentence says nothing; elsewhere it marks a name.
        starts_sentence = words == 0 or _SENTENCE_END.search(text, last, match.start()) is not None
        last = match.end()
        words += 1
        if len(written) > 1 and written.isupper():
            continue  # an acronym (JE, ET, DE): no language
        word = written.lower()
        capital = written[:1].isupper()
        weight = 1.0 if starts_sentence or not capital else 0.5
        if word in _EN_WORDS:
            english += 1
        elif word in _OTHER_WORDS:
            foreign += weight
        elif not word.isascii():
            foreign += 0.5 if capital else 1.0  # Café, José: maybe a name
        elif word in _HALF_OTHER_WORDS:
            foreign += weight / 2
        elif "'" in word:
            head, _, tail = word.partition("'")
            if head in _ELIDED:
                foreign += weight  # French or Italian elision: c'est, l'IA, d'euros
            elif tail in _EN_CONTRACTED:
                english += 1  # it's, don't, we're
    if foreign >= MIN_FOREIGN_EVIDENCE and foreign > 2 * english:
        return foreign / (foreign + english), True
    if foreign >= 1 and english == 0 and words >= MIN_WEAK_WORDS:
        return foreign / words, False
    return None


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
    return _language_probability(cleaned)[0]


def _language_probability(cleaned: str) -> tuple[str | None, float]:
    """langdetect's most likely language for ``cleaned`` and its probability, from a private
    seeded factory (``(None, 0.0)`` when it cannot tell or is not installed)."""
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
                best = detector.get_probabilities()[0]
            except (LangDetectException, IndexError):
                return None, 0.0
            return str(best.lang), float(best.prob)
    except Exception:
        return None, 0.0


def _profiles_dir() -> str:
    import os

    import langdetect

    return os.path.join(os.path.dirname(langdetect.__file__), "profiles")
