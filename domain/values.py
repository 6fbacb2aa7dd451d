"""Turning value objects (frozen dataclasses) into JSON-ready primitives and back.

Events and snapshots store these primitives; the web layer returns them. One
generic pair of functions keeps every value object's wire form consistent.
"""

import dataclasses
import functools
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any


def to_primitive(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_primitive(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list | set | frozenset):
        return [to_primitive(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_primitive(item) for key, item in value.items()}
    return value


def from_primitive(kind: Any, data: Any) -> Any:
    """Builds a value of type `kind` from primitives (or from already-typed values)."""
    return decoder(kind)(data)


@functools.cache
def decoder(kind: Any) -> Callable[[Any], Any]:
    """A function that decodes one type, worked out once per type: every stored event
    is decoded with these, so resolving annotations per call would dominate replay."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        decode_inner = decoder(inner)
        return lambda data: None if data is None else decode_inner(data)
    if origin is tuple:
        decode_item = decoder(typing.get_args(kind)[0])
        return lambda data: tuple(decode_item(item) for item in data)
    if origin is dict:
        return dict
    if dataclasses.is_dataclass(kind):
        return _dataclass_decoder(typing.cast(type, kind))
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind
    if kind in (date, datetime):
        return lambda data: kind.fromisoformat(data) if isinstance(data, str) else data
    if kind is Decimal:
        return lambda data: data if isinstance(data, Decimal) else Decimal(str(data))
    return lambda data: data


def _dataclass_decoder(kind: type) -> Callable[[Any], Any]:
    hints = typing.get_type_hints(kind)
    fields = {f.name: decoder(hints[f.name]) for f in dataclasses.fields(kind)}
    build = typing.cast(Any, kind)
    return lambda data: data if isinstance(data, kind) else build(
        **{k: fields[k](v) for k, v in data.items() if k in fields})


def parse_checked(kind: Any, data: Any, path: str) -> Any:
    """Builds a value object and checks its rules (its `problems()`); raises InvalidValue."""
    from domain.errors import InvalidValue

    value = parse_value(kind, data, path)
    errors = value.problems()
    if errors:
        raise InvalidValue(errors)
    return value


def parse_value(kind: Any, data: Any, path: str) -> Any:
    """Like from_primitive, but malformed input becomes a field error, not a crash."""
    from domain.errors import InvalidValue

    try:
        return from_primitive(kind, data)
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise InvalidValue({path: f"malformed value ({error})"}) from error
