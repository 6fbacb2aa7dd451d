"""Where a write landed in its application's log, so a client can ask lists to include it."""

import re
from contextvars import ContextVar
from dataclasses import dataclass

from domain.errors import InvalidValue

APPLICATION_NAME = re.compile(r"^[a-z_]{1,40}$")
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
        if not APPLICATION_NAME.match(application) or not number.isascii() or \
                not number.isdigit() or len(number) > 18:
            raise InvalidValue({field: "must be a log position such as 'contracts:42', "
                                       "as given in a write's X-Log-Position header"})
        return cls(application, int(number))
