"""Character classes shared by the text helpers (code-point ranges; no regex module needed)."""

from __future__ import annotations

import unicodedata


def is_hangul(ch: str) -> bool:
    """Hangul syllables, all jamo blocks and half-width Hangul."""
    o = ord(ch)
    return (
        0xAC00 <= o <= 0xD7A3
        or 0x1100 <= o <= 0x11FF
        or 0x3130 <= o <= 0x318F
        or 0xA960 <= o <= 0xA97F
        or 0xD7B0 <= o <= 0xD7FF
        or 0xFFA0 <= o <= 0xFFDC
    )


def is_han(ch: str) -> bool:
    """CJK ideographs (Hanja / Kanji / Hanzi)."""
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x2FFFF
    )


def is_latin(ch: str) -> bool:
    """Latin letters, accented and full-width ones included."""
    o = ord(ch)
    if o < 0x80:
        return ("a" <= ch <= "z") or ("A" <= ch <= "Z")
    if 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A:
        return True
    if o > 0x24F and not 0x1E00 <= o <= 0x1EFF:
        return False
    return ch.isalpha()


def script_of(ch: str) -> str | None:
    """``ko``, ``en``, ``han``, ``other`` for letters; ``None`` for neutral characters."""
    o = ord(ch)
    if o < 0x80:
        if ("a" <= ch <= "z") or ("A" <= ch <= "Z"):
            return "en"
        return None
    if is_hangul(ch):
        return "ko"
    if is_latin(ch):
        return "en"
    if is_han(ch):
        return "han"
    if ch.isalpha() and unicodedata.category(ch) != "Lm":
        return "other"
    return None


def is_digit(ch: str) -> bool:
    return "0" <= ch <= "9" or "０" <= ch <= "９"
