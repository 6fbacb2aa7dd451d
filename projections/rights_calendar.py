"""Usage-rights calendar: when each right ends, to warn before it does (legal, ops)."""

from datetime import date
from typing import Any

from eventsourcing.persistence import Tracking

from application.infrastructure.sql import Statements
from domain.usage_right import RightStatus, UsageRight, first_day, last_day
from projections.columns import insert, moment, stamped, tags, update
from projections.read_model import ReadModel, on
from projections.view import Table

NEVER = "9999-12-31"  # the last day of a perpetual right, or one not started: sorts last


def iso(day: Any) -> str | None:
    return day.isoformat() if day is not None else None


class RightsCalendar(ReadModel):
    name = "rights_calendar"
    upstream = ("usage_rights",)
    tables = (
        Table("rights_calendar",
              "right_id TEXT PRIMARY KEY, brand_id TEXT NOT NULL, contract_id TEXT NOT NULL, "
              "creator_id TEXT NOT NULL, campaign TEXT, key TEXT NOT NULL, "
              "channels TEXT NOT NULL, territories TEXT NOT NULL, status TEXT NOT NULL, "
              "starts_on TEXT, last_day TEXT NOT NULL, duration_days INTEGER, "
              "extended_days INTEGER NOT NULL, exclusivity_category TEXT, "
              "exclusivity_days INTEGER, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, "
              "version INTEGER NOT NULL",
              ("brand_id, last_day, right_id", "creator_id, exclusivity_category")),
    )

    @on(UsageRight.Granted)
    def granted(self, event: UsageRight.Granted, sql: Statements, at: Tracking) -> None:
        term = event.term
        starts_on = first_day(term, event.granted_on)
        insert(sql, "rights_calendar", {
            "right_id": str(event.originator_id), "brand_id": event.brand_id,
            "contract_id": event.contract_id, "creator_id": event.creator_id,
            "campaign": event.campaign, "key": term.key, "channels": tags(term.channels),
            "territories": tags(term.territories),
            "status": (RightStatus.GRANTED if starts_on else RightStatus.AWAITING_START).value,
            "starts_on": iso(starts_on),
            "last_day": iso(last_day(term.duration_days, starts_on, 0)) or NEVER,
            "duration_days": term.duration_days, "extended_days": 0,
            "exclusivity_category": (term.exclusivity_category or "").casefold() or None,
            "exclusivity_days": term.exclusivity_days,
            "created_at": moment(event.timestamp), **stamped(event)})

    @on(UsageRight.Started)
    def started(self, event: UsageRight.Started, sql: Statements, at: Tracking) -> None:
        row = self._row(sql, event)
        self._update(sql, event, status=RightStatus.GRANTED.value, starts_on=iso(event.on),
                     last_day=self._last_day(row, event.on.isoformat(), row["extended_days"]))

    @on(UsageRight.Extended)
    def extended(self, event: UsageRight.Extended, sql: Statements, at: Tracking) -> None:
        row = self._row(sql, event)
        days = row["extended_days"] + event.extension.days
        status = RightStatus.GRANTED.value if row["status"] == RightStatus.EXPIRED.value \
            and event.extension.days > 0 else row["status"]
        self._update(sql, event, extended_days=days, status=status,
                     last_day=self._last_day(row, row["starts_on"], days))

    @on(UsageRight.Revoked)
    def revoked(self, event: UsageRight.Revoked, sql: Statements, at: Tracking) -> None:
        self._update(sql, event, status=RightStatus.REVOKED.value)

    @on(UsageRight.Expired)
    def expired(self, event: UsageRight.Expired, sql: Statements, at: Tracking) -> None:
        self._update(sql, event, status=RightStatus.EXPIRED.value)

    def _last_day(self, row: dict[str, Any], starts_on: str | None, days: int) -> str:
        return iso(last_day(row["duration_days"],
                            date.fromisoformat(starts_on) if starts_on else None, days)) or NEVER

    def _row(self, sql: Statements, event: Any) -> dict[str, Any]:
        (row,) = sql.run("SELECT * FROM {rights_calendar} WHERE right_id = %s",
                         [str(event.originator_id)])
        return row

    def _update(self, sql: Statements, event: Any, **columns: Any) -> None:
        update(sql, "rights_calendar", ("right_id", str(event.originator_id)),
               columns | stamped(event))
