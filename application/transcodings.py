"""How our value objects are stored inside events and snapshots."""

from datetime import date
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.values import from_primitive, to_primitive


def value_transcoding(kind: type) -> Transcoding:
    """A transcoding that stores a frozen dataclass as its primitive dict."""

    class ValueAsDict(Transcoding):
        type = kind
        name = kind.__qualname__

        def encode(self, obj: Any) -> Any:
            return to_primitive(obj)

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
