"""Rebuilding a read model from the start of the log without taking it away meanwhile.

The new content is built into shadow tables (and a shadow tracking table)
while the current ones keep answering. Then, in one transaction that holds
off the live writers, the shadow catches up with the last events and replaces
the live tables. A follower that was writing meanwhile resumes from the new
tracking position, so no event is lost or applied twice.

On PostgreSQL the shadow is filled in bulk: the log is applied to a copy of the
tables in a SQLite database in memory, and its rows copied over (see built).
"""

from typing import Any

from eventsourcing.persistence import Tracking

from application.infrastructure.sql import Statements
from projections.catch_up import catch_up
from projections.read_model import ReadModel
from projections.view import ReadModelView, retried

SHADOW = "__rebuild"


def rebuild(models: Any, live: ReadModel) -> int:
    with models.temporary_view(live.name + SHADOW) as shadow_view:
        discard(shadow_view, live)
        shadow = type(live)(shadow_view, suffix=SHADOW)
        upstream = models.upstream(live)
        applied = built(models, shadow, upstream)
        applied += retried(lambda: swap(live, shadow, upstream))
    # Fresh tables have no statistics until autovacuum gets to them (never, on a server
    # without it): the planner would then sort a whole brand to show one page of a list.
    retried(lambda: live.view.run_all([f"ANALYZE {live.view.qualified(table.name)}"
                                       for table in live.tables]))
    return applied


def built(models: Any, shadow: ReadModel, upstream: Any) -> int:
    """Fills the shadow from the start of the log. On PostgreSQL the events are applied
    to a SQLite database in memory and the rows then copied over with COPY: there a
    handler's statement costs microseconds, sent to the server each is a round trip
    (rebuilds ran at 5% of the rate the log is read at). The handlers' SQL runs on
    both stores already."""
    if shadow.view.is_sqlite:
        return catch_up(shadow, upstream)
    with models.scratch_view(shadow.name + SHADOW) as scratch_view:
        scratch = type(shadow)(scratch_view, suffix=SHADOW)
        applied = catch_up(scratch, upstream)
        retried(lambda: copy_rows(scratch_view, shadow.view, [app.name for app in upstream]))
    return applied


def copy_rows(source: ReadModelView, target: ReadModelView, applications: list[str]) -> None:
    """Every row of the source's tables into the target's (empty), and its positions."""
    with source.datastore.transaction(commit=False) as reading, \
            target.write_transaction() as writing:
        rows = getattr(reading, "sqlite_cursor", reading)  # the raw one, for `description`
        for table in target.tables:
            rows.execute(f"SELECT * FROM {source.names[table.name]}")
            columns = ", ".join(column[0] for column in rows.description)
            with writing.copy(f"COPY {target.names[table.name]} ({columns}) FROM STDIN") as copy:
                while batch := rows.fetchmany(5000):
                    for row in batch:
                        copy.write_row(tuple(row))
        for name in applications:  # the last event applied is all a position needs
            if (position := source.max_tracking_id(name)) is not None:
                target._insert_tracking(writing, Tracking(name, position))


def swap(live: ReadModel, shadow: ReadModel, upstream: Any) -> int:
    """Applies the last events to the shadow and puts it in place of the live tables."""
    with shadow.view.write_transaction() as cursor:
        sql = Statements(cursor, shadow.view.is_sqlite)
        if not shadow.view.is_sqlite:
            sql.run(f"LOCK TABLE {tracking_table(live.view)} IN ACCESS EXCLUSIVE MODE")
        applied = catch_up(shadow, upstream, lambda batch: shadow.process_in(cursor, batch))
        for statement in swap_statements(live.view, shadow.view):
            sql.run(statement)
    return applied


def discard(shadow_view: ReadModelView, live: ReadModel) -> None:
    """Clears what an interrupted earlier rebuild may have left."""
    retried(lambda: shadow_view.run_all(
        [f"DROP TABLE IF EXISTS {shadow_view.qualified(table.name + SHADOW)}"
         for table in live.tables] + [f"DROP TABLE IF EXISTS {tracking_table(shadow_view)}"]))
    retried(shadow_view.create_table)


def swap_statements(live: ReadModelView, shadow: ReadModelView) -> list[str]:
    statements = []
    for table in live.tables:
        statements += [f"DROP TABLE IF EXISTS {live.qualified(table.name)}",
                       f"ALTER TABLE {live.qualified(table.name + SHADOW)} RENAME TO {table.name}"]
        statements += [f"DROP INDEX IF EXISTS {live.qualified(f'{table.name}{SHADOW}_{i}')}"
                       for i in range(len(table.indexes))]
        statements += live.table_ddl(table, "")[1:]  # the indexes under their live names
    return [*statements,
            f"DROP TABLE IF EXISTS {tracking_table(live)}",
            f"ALTER TABLE {tracking_table(shadow)} RENAME TO {live_tracking_name(live)}"]


def tracking_table(view: ReadModelView) -> str:
    return view.qualified(view.tracking_table_name)


def live_tracking_name(live: ReadModelView) -> str:
    return live.tracking_table_name
