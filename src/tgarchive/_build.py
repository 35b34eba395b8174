"""Building models from values the parser has already checked, without validating twice.

Validating every post with pydantic costs more than parsing the JSON it came from. Parsers
check each value's type as they read it (they must, to report a precise error), so they build
models through :func:`builder`, which fills ``__dict__`` directly. The test suite checks that
such models are equal to what ``model_validate`` makes of their dump.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


class _ReadOnlyEmpty(dict[str, Any]):
    """The shared empty ``extra`` of parsed objects: one instance, never mutated."""

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("parsed models are frozen; use model_copy(update={'extra': {...}})")

    __setitem__ = __delitem__ = setdefault = update = pop = popitem = clear = _refuse

    def __copy__(self) -> dict[str, Any]:
        return {}

    def __deepcopy__(self, memo: Any) -> dict[str, Any]:
        return {}


EMPTY: dict[str, Any] = _ReadOnlyEmpty()
"""Used for every empty ``extra`` of a parsed object: millions of posts share it."""

_new = object.__new__
# BaseModel's own slot and __dict__ descriptors: calling them directly skips the generic
# object.__setattr__ lookup, which halves the cost of making a model.
_SLOTS = BaseModel.__dict__
_set_dict = _SLOTS["__dict__"].__set__
_set_fields = _SLOTS["__pydantic_fields_set__"].__set__
_set_extra = _SLOTS["__pydantic_extra__"].__set__
_set_private = _SLOTS["__pydantic_private__"].__set__
MAKER = (_new, _set_dict, _set_fields, _set_extra, _set_private)
"""The pieces of a model construction, for loops that build many models inline."""


def template(cls: type[BaseModel], **values: Any) -> dict[str, Any]:
    """Every field of ``cls`` in declaration order, for a parser to copy and fill in: ``values``
    where given, else the default, the shared :data:`EMPTY` for mappings made by a factory,
    and ``None`` for required fields (which the parser must set)."""
    data: dict[str, Any] = {}
    for name, field in cls.model_fields.items():
        if field.default_factory is dict:
            data[name] = EMPTY
        elif field.default_factory is not None or field.is_required():
            data[name] = None
        else:
            data[name] = field.default
    data.update(values)
    return data


def builder(cls: type[M]) -> Callable[[dict[str, Any]], M]:
    """A fast constructor for ``cls`` from a dict of already-valid field values; missing
    fields take :func:`template`'s values (fresh ones from factories other than ``dict``)."""
    defaults = template(cls)
    factories = [
        (name, field.default_factory)
        for name, field in cls.model_fields.items()
        if field.default_factory is not None and field.default_factory is not dict
    ]
    make = exact_builder(cls)

    def build(values: dict[str, Any]) -> M:
        data = defaults.copy()
        data.update(values)
        for name, factory in factories:
            if name not in values:
                data[name] = factory()  # type: ignore[call-arg]
        return make(data)

    return build


def exact_builder(cls: type[M]) -> Callable[[dict[str, Any]], M]:
    """Like :func:`builder`, for a dict that already holds every field, in declaration order
    (used on the hottest paths: no copy, no update)."""
    # Every field of a parsed object is determined by the source: all count as set.
    fields_set = set(cls.model_fields)

    def build(data: dict[str, Any]) -> M:
        obj = _new(cls)
        _set_dict(obj, data)
        _set_fields(obj, fields_set)
        _set_extra(obj, None)
        _set_private(obj, None)
        return obj

    return build
