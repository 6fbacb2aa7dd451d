from datetime import UTC, datetime, timedelta


class FakeClock:
    """A clock tests move by hand; it starts at the real current time."""

    def __init__(self) -> None:
        self.current = datetime.now(UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)
