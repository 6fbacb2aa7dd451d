"""A process holds at most the connections its settings allow: the pool's, shared by every
application, read model and plain table, plus one per log its followers listen on."""

import time

from tests.builders import given_draft, given_team
from tests.conftest import open_services
from tests.integration.test_read_models import wait_until_caught_up


def test_followers_listen_on_connections_of_their_own_and_leave_the_pool_to_the_rest(
        request, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    running = open_services("postgres", tmp_path, request, clock, pool_size=1,
                            max_overflow=1, db_wait_seconds=2)
    services = next(running)
    pool = services.database.datastore.pool  # type: ignore[union-attr]
    every_app_shares_it = {app.factory.datastore.pool  # type: ignore[attr-defined]
                           for app in services.applications().values()}
    assert every_app_shares_it == {pool}
    assert pool.max_size == services.settings.connections_per_process == 2
    read_models = services.read_models
    assert read_models is not None
    try:
        read_models.start()
        deadline = time.monotonic() + 10
        while pool.max_size < 2 + len(read_models.followers):
            assert time.monotonic() < deadline, pool.get_stats()
            time.sleep(0.05)

        team = given_team(services)
        draft = given_draft(services, team)
        wait_until_caught_up(read_models, services)
        listed = read_models["contracts_overview"].view.read(
            "SELECT contract_id FROM {contracts_overview}")
        assert str(draft) in {str(row["contract_id"]) for row in listed}
    finally:
        read_models.stop()
        assert pool.max_size == 2
        next(running, None)
