"""Hangul arithmetic: initial consonants (chosung), jamo decomposition and composition."""

from __future__ import annotations

import unicodedata
from typing import Literal

_BASE = 0xAC00
_LAST = 0xD7A3
# Compatibility jamo for the 19 initials, 21 vowels and 27 finals (index 0 = no final).
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = "\0ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
_INITIAL_INDEX = {ch: i for i, ch in enumerate(_INITIALS)}
_VOWEL_INDEX = {ch: i for i, ch in enumerate(_VOWELS)}
_FINAL_INDEX = {ch: i for i, ch in enumerate(_FINALS) if i}
# Conjoining jamo blocks (U+1100 initials, U+1161 vowels, U+11A8 finals).
_C_INITIAL = {chr(0x1100 + i): i for i in range(19)}
_C_VOWEL = {chr(0x1161 + i): i for i in range(21)}
_C_FINAL = {chr(0x11A7 + i): i for i in range(1, 28)}


def _is_syllable(ch: str) -> bool:
    return _BASE <= ord(ch) <= _LAST


def chosung(text: str) -> str:
    """Each Hangul syllable replaced by its initial consonant; other characters kept.

    >>> chosung("오픈에이아이")
    'ㅇㅍㅇㅇㅇㅇ'
    """
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if _is_syllable(ch):
            out.append(_INITIALS[(ord(ch) - _BASE) // 588])
        else:
            out.append(ch)
    return "".join(out)


def _char_matches(q: str, t: str) -> bool:
    if q == t:
        return True
    if q in _INITIAL_INDEX:
        return _is_syllable(t) and _INITIALS[(ord(t) - _BASE) // 588] == q
    return q.casefold() == t.casefold()


def match_chosung(
    query: str, text: str, *, mode: Literal["prefix", "substring"] = "prefix"
) -> bool:
    """Whether ``query`` (syllables and/or initial consonants, "ㅇㅍㅇㅇ", "오ㅍ") matches ``text``.

    An initial consonant matches any syllable starting with it; tense consonants (ㄲ) are
    distinct; other characters match exactly, case-insensitively. ``mode`` says whether the
    query must match at the start of the text or anywhere.

    >>> match_chosung("ㅇㅍㅇㅇ", "오픈에이아이"), match_chosung("ㅇㅇ", "오픈에이아이", mode="substring")
    (True, True)
    """
    q = unicodedata.normalize("NFC", query)
    t = unicodedata.normalize("NFC", text)
    if not q:
        return True
    starts = range(len(t) - len(q) + 1) if mode == "substring" else range(1)
    for start in starts:
        if start + len(q) > len(t):
            break
        if all(_char_matches(qc, t[start + i]) for i, qc in enumerate(q)):
            return True
    return False


def decompose(text: str, *, compat: bool = True) -> str:
    """Hangul syllables split into jamo: compatibility jamo (ㄱ, ㅘ, ㄳ) by default, conjoining
    jamo (U+1100 block) with ``compat=False``. Other characters are kept.

    >>> decompose("한글"), compose(decompose("한글"))
    ('ㅎㅏㄴㄱㅡㄹ', '한글')
    """
    out = []
    for ch in text:
        if not _is_syllable(ch):
            out.append(ch)
            continue
        index = ord(ch) - _BASE
        initial, vowel, final = index // 588, (index % 588) // 28, index % 28
        if compat:
            out.append(_INITIALS[initial] + _VOWELS[vowel] + (_FINALS[final] if final else ""))
        else:
            out.append(chr(0x1100 + initial) + chr(0x1161 + vowel))
            if final:
                out.append(chr(0x11A7 + final))
    return "".join(out)


def compose(jamo: str) -> str:
    """Jamo sequences (compatibility or conjoining) joined back into syllables.

    The inverse of :func:`decompose`: ``compose(decompose(s)) == s`` for text whose jamo all
    belong to syllables (any NFC text without stand-alone jamo), and
    ``compose(decompose(s, compat=False)) == s`` for text without conjoining jamo.
    """
    out = []
    i = 0
    n = len(jamo)
    while i < n:
        ch = jamo[i]
        nxt = jamo[i + 1] if i + 1 < n else ""
        if ch in _INITIAL_INDEX and nxt in _VOWEL_INDEX:
            initials, vowels, finals = _INITIAL_INDEX, _VOWEL_INDEX, _FINAL_INDEX
        elif ch in _C_INITIAL and nxt in _C_VOWEL:
            initials, vowels, finals = _C_INITIAL, _C_VOWEL, _C_FINAL
        else:
            out.append(ch)
            i += 1
            continue
        code = _BASE + initials[ch] * 588 + vowels[nxt] * 28
        i += 2
        if i < n and jamo[i] in finals:
            after = jamo[i + 1] if i + 1 < n else ""
            if after not in vowels:
                code += finals[jamo[i]]
                i += 1
        out.append(chr(code))
    return "".join(out)
