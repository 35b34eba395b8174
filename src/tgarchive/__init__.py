"""tgarchive: typed, lossless, fast readers for Telegram channel exports.

>>> import tgarchive
>>> archive = tgarchive.load(tgarchive.sample_path())
>>> chat = archive.chats[0]
>>> chat.name, chat.type
('Continuous Learning_Startup & Investment', 'public_channel')
>>> [post.id for post in chat.posts if post.forward][:2]
[4, 9]
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from ._merge import merge
from ._search import search
from ._stats import ArchiveStats, ChatStats, stats
from .api import (
    ExportStream,
    convert,
    detect_format,
    dump,
    dumps,
    iter_posts,
    load,
    sample_path,
    stream,
)
from .errors import (
    ParseError,
    ParseIssue,
    ParseWarning,
    PluginError,
    PluginWarning,
    SourceLocation,
    TgArchiveError,
    TgArchiveWarning,
    UnknownFormatError,
    UnsafePathError,
)
from .models import (
    Archive,
    Button,
    Chat,
    Contact,
    Entity,
    Forward,
    Game,
    Invoice,
    Link,
    Location,
    Media,
    MediaFile,
    OtherMedia,
    Poll,
    PollAnswer,
    Post,
    Reaction,
    RecentReaction,
    Venue,
)
from .parsers import available_formats

try:
    __version__ = version("tgarchive-kit")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "Archive",
    "ArchiveStats",
    "Button",
    "Chat",
    "ChatStats",
    "Contact",
    "Entity",
    "ExportStream",
    "Forward",
    "Game",
    "Invoice",
    "Link",
    "Location",
    "Media",
    "MediaFile",
    "OtherMedia",
    "ParseError",
    "ParseIssue",
    "ParseWarning",
    "PluginError",
    "PluginWarning",
    "Poll",
    "PollAnswer",
    "Post",
    "Reaction",
    "RecentReaction",
    "SourceLocation",
    "TgArchiveError",
    "TgArchiveWarning",
    "UnknownFormatError",
    "UnsafePathError",
    "Venue",
    "__version__",
    "available_formats",
    "convert",
    "detect_format",
    "dump",
    "dumps",
    "iter_posts",
    "load",
    "merge",
    "sample_path",
    "search",
    "stats",
    "stream",
]
