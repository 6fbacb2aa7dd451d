"""How our value objects are stored inside events and snapshots."""

from dataclasses import fields
from datetime import date
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.values import from_primitive, to_primitive


def value_transcoding(kind: type, keep: tuple[type, ...] = ()) -> Transcoding:
    """A transcoding that stores a frozen dataclass as its primitive dict. Fields holding
    one of the `keep` types are left to their own transcoding (personal data is sealed)."""

    class ValueAsDict(Transcoding):
        type = kind
        name = kind.__qualname__

        def encode(self, obj: Any) -> Any:
            if not keep:
                return to_primitive(obj)
            return {f.name: value if isinstance(value := getattr(obj, f.name), keep)
                    else to_primitive(value) for f in fields(obj)}

        def decode(self, data: Any) -> Any:
            return from_primitive(kind, data)

    return ValueAsDict()


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


def register_values(transcoder: JSONTranscoder, *kinds: type) -> None:
    for kind in kinds:
        transcoder.register(value_transcoding(kind))
