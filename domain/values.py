"""Turning value objects (frozen dataclasses) into JSON-ready primitives and back.

Events and snapshots store these primitives; the web layer returns them. One
generic pair of functions keeps every value object's wire form consistent.
"""

import dataclasses
import types
import typing
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
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        if data is None:
            return None
        (inner,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return from_primitive(inner, data)
    if origin is tuple:
        return tuple(from_primitive(typing.get_args(kind)[0], item) for item in data)
    if origin is dict:
        return dict(data)
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        fields = {f.name for f in dataclasses.fields(kind)}
        values = {k: from_primitive(hints[k], v) for k, v in data.items() if k in fields}
        return typing.cast(Any, kind)(**values)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(data)
    if kind is date and isinstance(data, str):
        return date.fromisoformat(data)
    if kind is datetime and isinstance(data, str):
        return datetime.fromisoformat(data)
    if kind is Decimal and not isinstance(data, Decimal):
        return Decimal(str(data))
    return data


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
