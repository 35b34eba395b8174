"""Splitting text into runs of one script (the segmentation contract of docs/bilingual.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ._chars import is_digit, script_of
from ._entities import find_entities

Script = Literal["ko", "en", "han", "other", "url", "email", "mention", "hashtag"]

_CONNECTORS = set("-_.+'’－＿．＋")
_LEFT_NUMBER = set(".,")


@dataclass(frozen=True)
class Run:
    """A run of one script (or one entity) with its code-point offsets."""

    script: Script
    start: int
    end: int
    text: str


def script_runs(text: str) -> list[Run]:
    """Runs of Korean, English, Han or other letters, and entity runs, in text order.

    * URLs, e-mails, mentions and hashtags are runs of their own.
    * A run goes from a letter of one script to the last letter of that script before a letter
      of another script or an entity; spaces and punctuation inside belong to it, those at its
      edges do not (gaps between runs hold only such neutral characters).
    * Digits attach to words: to the right, connectors and digits ending in a digit ("GPT-4",
      "MP4"); to the left, a number written directly before ("1.2만", "2023년"). Digits already
      taken are not taken again.

    >>> [(r.script, r.text) for r in script_runs("Yandex에서 LLM 분산 추론을 공개.")]
    [('en', 'Yandex'), ('ko', '에서'), ('en', 'LLM'), ('ko', '분산 추론을 공개')]
    """
    entities = find_entities(text, emoji=False)
    raw: list[list[Any]] = []  # [script, start, end]
    current: list[Any] | None = None
    i = 0
    n = len(text)
    ent_index = 0
    while i < n:
        if ent_index < len(entities) and entities[ent_index].start == i:
            ent = entities[ent_index]
            ent_index += 1
            current = None
            raw.append([ent.kind, ent.start, ent.end])
            i = ent.end
            continue
        script = script_of(text[i])
        if script is not None:
            if current is not None and current[0] == script:
                current[2] = i + 1
            else:
                current = [script, i, i + 1]
                raw.append(current)
        i += 1
    # Digits: left attachment first (bounded by what earlier runs took), then right.
    taken_until = 0
    for run in raw:
        kind, start, end = run
        if kind in ("ko", "en", "han", "other"):
            left = start
            while left > taken_until and (
                is_digit(text[left - 1]) or text[left - 1] in _LEFT_NUMBER
            ):
                left -= 1
            while left < start and not is_digit(text[left]):
                left += 1
            run[1] = left
            j = end
            best = end
            while j < n and (is_digit(text[j]) or text[j] in _CONNECTORS):
                j += 1
                if is_digit(text[j - 1]):
                    best = j
            run[2] = best
        taken_until = run[2]
    return [Run(kind, a, b, text[a:b]) for kind, a, b in raw]
