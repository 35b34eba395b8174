"""A tgarchive plugin for a channel's public page copied from a browser as plain text.

Select everything on ``https://t.me/s/<channel>``, copy, paste into a ``.txt`` file: this
parser (format ``channel-text``) reads that file back into tgarchive's model. Installing the
distribution is all it takes; ``tgarchive.load("channel.txt")`` then finds the parser through
the ``tgarchive.parsers`` entry point.

Copied text keeps the words and loses the markup, so the model gets less than from a saved
page (format ``web-preview``):

- the header: title, counters (``2.4K subscribers`` → ``chat.subscribers == 2400`` with
  ``chat.counts_rounded["subscribers"] == "2.4K"``), the description;
- posts, split where the copy shows a boundary (see :class:`ChannelTextParser`), with
  ``Forwarded from X`` lines as forwards, reaction lines (``👍2``; a bare ``1`` whose emoji did
  not copy) as reactions, and links (bare URLs, ``example.com/path``, ``[text](url)``) as
  entities;
- never: post ids (posts are numbered 1, 2, ... in page order), dates, views, formatting,
  media, the channel's username or id. ``post.date`` is ``None``.

>>> import tgarchive
>>> text = '''Demo Channel – Telegram
... Demo Channel
... 2.4K subscribers
... 12 photos
... A demo.
... Download Telegram
... Demo Channel
... First post https://example.com/a
... 👍2
... Forwarded from Other
... Second post
... 1
... '''
>>> archive = tgarchive.load(text.encode(), registry=tgarchive.parsers.Registry([ChannelTextParser()]))
>>> chat = archive.chats[0]
>>> chat.name, chat.subscribers, chat.counts_rounded, chat.counters
('Demo Channel', 2400, {'subscribers': '2.4K'}, {'photos': 12})
>>> [(p.id, p.text, p.forward and p.forward.from_name) for p in chat.posts]
[(1, 'First post https://example.com/a', None), (2, 'Second post', 'Other')]
>>> [(r.label, r.count) for p in chat.posts for r in p.reactions]
[('👍', 2), ('not_copied', 1)]
"""

from __future__ import annotations

from .parser import ChannelTextParser

__all__ = ["ChannelTextParser"]
