"""Where a write landed in its application's log, so a client can ask lists to include it."""

from contextvars import ContextVar
from dataclasses import dataclass

from domain.errors import InvalidValue

last_write: ContextVar["LogPosition | None"] = ContextVar("last_write", default=None)


@dataclass(frozen=True)
class LogPosition:
    application: str
    notification_id: int

    def __str__(self) -> str:
        return f"{self.application}:{self.notification_id}"

    @classmethod
    def parse(cls, text: str, field: str) -> "LogPosition":
        application, _, number = text.partition(":")
        if not application or not number.isdigit():
            raise InvalidValue({field: "must be a log position such as 'contracts:42', "
                                       "as given in a write's X-Log-Position header"})
        return cls(application, int(number))
