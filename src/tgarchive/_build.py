"""Building models from values the parser has already checked, without validating twice.

Validating every post with pydantic costs more than parsing the JSON it came from. Parsers
check each value's type as they read it (they must, to report a precise error), so they build
models through :func:`builder`, which fills ``__dict__`` directly. The test suite checks that
such models are equal to what ``model_validate`` makes of their dump.

A model built this way behaves exactly like one made by calling the class with its non-default
fields: ``model_fields_set`` is computed on first use (the fields whose value is not the
default, see :class:`ParsedModel`), so building costs nothing for it, and every empty mapping
of a frozen model is the shared read-only :data:`EMPTY`, whichever way the model was made.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar, get_args, get_origin

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


class _ReadOnlyEmpty(dict[str, Any]):
    """The shared empty mapping of frozen models (``extra``, ``action_data``...): one
    instance, never mutated; copies and unpickled copies are that same instance."""

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(
            "this empty mapping belongs to a frozen model; "
            "use model_copy(update={'extra': {...}}) to derive a changed one"
        )

    __setitem__ = __delitem__ = setdefault = update = pop = popitem = clear = _refuse
    __ior__ = _refuse

    def __copy__(self) -> _ReadOnlyEmpty:
        return self

    def __deepcopy__(self, memo: Any) -> _ReadOnlyEmpty:
        return self

    def __reduce__(self) -> str:
        return "EMPTY"  # pickled by reference to the module-level singleton


EMPTY: dict[str, Any] = _ReadOnlyEmpty()
"""Every empty mapping field of a frozen model (parsed or hand-made): millions share it."""


def empty() -> dict[str, Any]:
    """The ``default_factory`` of mapping fields of frozen models: returns :data:`EMPTY`."""
    return EMPTY


def _is_mapping_factory(factory: Any) -> bool:
    return factory is dict or factory is empty


_new = object.__new__
# BaseModel's own slot and __dict__ descriptors: calling them directly skips the generic
# object.__setattr__ lookup, which halves the cost of making a model.
_SLOTS = BaseModel.__dict__
_set_dict = _SLOTS["__dict__"].__set__
_fields_slot = _SLOTS["__pydantic_fields_set__"]
_get_fields = _fields_slot.__get__
_set_fields = _fields_slot.__set__
_set_extra = _SLOTS["__pydantic_extra__"].__set__
_set_private = _SLOTS["__pydantic_private__"].__set__

_UNSET_MARK = None
"""What a parsed model's fields-set slot holds until ``model_fields_set`` is first asked for."""


def _set_parsed(obj: BaseModel, _fields: object = None) -> None:
    """Mark ``obj`` as built from parsed values (its ``model_fields_set`` is computed lazily);
    the second argument is ignored (inline builders used to pass a set of every field)."""
    _set_fields(obj, _UNSET_MARK)


MAKER = (_new, _set_dict, _set_parsed, _set_extra, _set_private)
"""The pieces of a model construction, for loops that build many models inline:
``new(cls)``, ``set_dict(obj, data)``, ``set_fields(obj, anything)`` (marks the object as
parsed), ``set_extra(obj, None)``, ``set_private(obj, None)``."""

_DEFAULTS: dict[type[BaseModel], tuple[tuple[str, bool, Any], ...]] = {}


def _defaults_of(cls: type[BaseModel]) -> tuple[tuple[str, bool, Any], ...]:
    """``(name, required, default)`` of every field of ``cls``, computed once per class."""
    found = _DEFAULTS.get(cls)
    if found is None:
        rows = []
        for name, field in cls.model_fields.items():
            if field.is_required() or _is_tag(field.annotation):
                rows.append((name, True, None))
            elif field.default_factory is not None:
                rows.append((name, False, field.get_default(call_default_factory=True)))
            else:
                rows.append((name, False, field.default))
        found = _DEFAULTS[cls] = tuple(rows)
    return found


def _is_tag(annotation: Any) -> bool:
    """A one-value ``Literal`` (``kind: Literal["poll"] = "poll"``): the tag of a union member,
    which names the class and so always counts as set (dumps that leave out unset fields must
    still say which media class they hold)."""
    return get_origin(annotation) is Literal and len(get_args(annotation)) == 1


class ParsedModel(BaseModel):
    """Base of models that parsers build with :func:`builder`: their ``model_fields_set``
    (``__pydantic_fields_set__``) is computed when first needed, as the required fields, the
    union tags (``kind`` of media classes) and the fields whose value differs from the
    default: what calling the class with exactly the fields the source gave would record.
    Models made the ordinary way are unaffected."""

    @property
    def __pydantic_fields_set__(self) -> set[str]:
        raw = _get_fields(self)
        if raw is _UNSET_MARK:
            values = self.__dict__
            # A None default needs no ==: that would cost a pydantic __eq__ for every model
            # value, each an isinstance check against an ABC.
            raw = {
                name
                for name, required, default in _defaults_of(type(self))
                if required
                or (values[name] is not default and (default is None or values[name] != default))
            }
            _set_fields(self, raw)
        fields_set: set[str] = raw
        return fields_set

    @__pydantic_fields_set__.setter
    def __pydantic_fields_set__(self, value: set[str]) -> None:
        _set_fields(self, value)


def template(cls: type[BaseModel], **values: Any) -> dict[str, Any]:
    """Every field of ``cls`` in declaration order, for a parser to copy and fill in: ``values``
    where given, else the default, the shared :data:`EMPTY` for mappings made by a factory,
    and ``None`` for required fields (which the parser must set)."""
    data: dict[str, Any] = {}
    for name, field in cls.model_fields.items():
        if _is_mapping_factory(field.default_factory):
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
        if field.default_factory is not None and not _is_mapping_factory(field.default_factory)
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
    if not issubclass(cls, ParsedModel):
        raise TypeError(f"{cls.__name__} does not derive from ParsedModel")

    def build(data: dict[str, Any]) -> M:
        obj = _new(cls)
        _set_dict(obj, data)
        _set_fields(obj, _UNSET_MARK)
        _set_extra(obj, None)
        _set_private(obj, None)
        return obj

    return build
