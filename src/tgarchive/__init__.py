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

from _tgarchive_kit import warn_on_clash as _warn_on_clash

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
    load_all,
    sample_path,
    stream,
)
from .errors import (
    LimitError,
    MultipleExportsError,
    ParseError,
    ParseIssue,
    ParseWarning,
    PluginError,
    PluginWarning,
    SourceError,
    SourceLocation,
    TgArchiveError,
    TgArchiveWarning,
    UnknownFormatError,
    UnsafePathError,
)
from .models import (
    Archive,
    ArchivePosts,
    Button,
    Chat,
    Contact,
    Entity,
    EntityKind,
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
    PostType,
    Reaction,
    RecentReaction,
    Venue,
)
from .parsers import available_formats
from .text import LangGuess

# The one version source is pyproject.toml, read back from the installed metadata. This line also
# tells this package from another distribution's 'tgarchive' (see _tgarchive_kit).
_DISTRIBUTION = "tgarchive-kit"
try:
    __version__ = version(_DISTRIBUTION)
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
_warn_on_clash(TgArchiveWarning)  # knadh's tg-archive installs a package 'tgarchive' too

__all__ = [
    "Archive",
    "ArchivePosts",
    "ArchiveStats",
    "Button",
    "Chat",
    "ChatStats",
    "Contact",
    "Entity",
    "EntityKind",
    "ExportStream",
    "Forward",
    "Game",
    "Invoice",
    "LangGuess",
    "LimitError",
    "Link",
    "Location",
    "Media",
    "MediaFile",
    "MultipleExportsError",
    "OtherMedia",
    "ParseError",
    "ParseIssue",
    "ParseWarning",
    "PluginError",
    "PluginWarning",
    "Poll",
    "PollAnswer",
    "Post",
    "PostType",
    "Reaction",
    "RecentReaction",
    "SourceError",
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
    "load_all",
    "merge",
    "sample_path",
    "search",
    "stats",
    "stream",
]
