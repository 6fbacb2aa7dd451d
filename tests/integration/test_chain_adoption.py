"""Every process links, once, the events of a store written before there was a chain
(ChainReader.adopt_unlinked at start-up), and never links an event twice: a writer that
linked its own events while a starting process waited for the log's lock wins."""

from typing import Any

import pytest

from application.infrastructure.sql import Statements
from tests.builders import given_team


def test_a_process_starting_while_a_writer_links_its_first_events_adds_no_second_link(
        durable_services, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    services = durable_services
    given_team(services)  # the identity log's first events, linked as they were written
    chain = services.audit.chain
    run, faked = Statements.run, []

    def checked_before_the_writer_committed(self: Statements, statement: str,
                                            params: Any = ()) -> Any:
        rows = run(self, statement, params)
        if statement.startswith(f"SELECT 1 FROM {chain.table}") and not faked:
            faked.append(statement)
            return []  # what a process saw that looked a moment before the commit
        return rows

    monkeypatch.setattr(Statements, "run", checked_before_the_writer_committed)
    adopted = chain.adopt_unlinked("identity")
    monkeypatch.undo()

    assert faked and adopted == 0
    with services.database.transaction() as sql:
        (links,) = sql.run(f"SELECT COUNT(*) AS n FROM {chain.table} WHERE application = %s",
                           ("identity",))
    assert links["n"] == services.identity.recorder.max_notification_id()
