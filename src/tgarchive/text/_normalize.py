"""Normalisation that is safe for Korean text, and repeat collapsing."""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u2060\ufeff\u00ad"), None)
_WIDTH = {o: o - 0xFEE0 for o in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_SPACES = {0x00A0: 0x20, 0x202F: 0x20, 0x2007: 0x20}
_ZWJ = "\u200d"


def _is_emojiish(ch: str) -> bool:
    o = ord(ch)
    return (
        0x1F000 <= o <= 0x1FAFF
        or 0x2600 <= o <= 0x27BF
        or 0x2190 <= o <= 0x21FF
        or 0x2B00 <= o <= 0x2BFF
        or o in (0xFE0F, 0x20E3, 0x00A9, 0x00AE, 0x2122)
        or unicodedata.category(ch) == "So"
    )


def _drop_stray_zwj(text: str) -> str:
    if _ZWJ not in text:
        return text
    out = []
    for i, ch in enumerate(text):
        if ch == _ZWJ:
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if not (before and after and _is_emojiish(before) and _is_emojiish(after)):
                continue
        out.append(ch)
    return "".join(out)


def normalize(
    text: str,
    *,
    fix_mojibake: bool = False,
    fold_width: bool = True,
    strip_invisible: bool = True,
    nbsp_to_space: bool = True,
) -> str:
    """Normalise text without harming Korean: NFC, width folding, invisible characters.

    * full-width ASCII (U+FF01–FF5E) becomes ASCII and U+3000 a space;
    * zero-width spaces and joiners, word joiners, BOMs and soft hyphens are removed, except a
      zero-width joiner inside an emoji sequence;
    * no-break spaces become spaces;
    * NFC last, which recomposes NFD Hangul. NFKC is never applied: it would turn the
      compatibility jamo of "ㅋㅋ" into conjoining jamo that no search matches.

    ``fix_mojibake=True`` first repairs mis-decoded text with ftfy (``pip install
    'tgarchive-kit[fix]'``). The result is idempotent: ``normalize(normalize(s)) == normalize(s)``.

    >>> normalize("ＧＰＴ－４는\\u200b 좋다\\u00a0!")
    'GPT-4는 좋다 !'
    """
    if fix_mojibake:
        try:
            import ftfy
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError(
                "fix_mojibake=True needs ftfy: pip install 'tgarchive-kit[fix]'"
            ) from exc
        text = ftfy.fix_text(text)
    # Each translation runs only when its characters are present (a C-speed scan).
    if fold_width and _HAS_WIDE.search(text):
        text = text.translate(_WIDTH)
    if strip_invisible and _HAS_INVISIBLE.search(text):
        text = _drop_stray_zwj(text.translate(_INVISIBLE))
    if nbsp_to_space and _HAS_SPACES.search(text):
        text = text.translate(_SPACES)
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", text)


_HAS_WIDE = re.compile("[\uff01-\uff5e\u3000]")
_HAS_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_HAS_SPACES = re.compile("[\u00a0\u202f\u2007]")


_REPEATS: dict[int, re.Pattern[str]] = {}


def collapse_repeats(text: str, n: int = 2) -> str:
    """Shorten any run of one character longer than ``n`` to ``n`` ("ㅋㅋㅋㅋㅋ" → "ㅋㅋ").

    Meant for keywords and matching, never for stored text.

    >>> collapse_repeats("ㅋㅋㅋㅋㅋ 대박!!!!")
    'ㅋㅋ 대박!!'
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    pattern = _REPEATS.get(n)
    if pattern is None:
        pattern = _REPEATS[n] = re.compile(rf"(.)\1{{{n},}}", re.DOTALL)
    return pattern.sub(lambda m: m.group(1) * n, text)
