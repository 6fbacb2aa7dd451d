"""Read models are exactly-once: rebuild equals live, crashes and rival runners lose nothing
and double nothing. On SQLite and PostgreSQL."""

import threading
import time

import pytest
from eventsourcing.utils import get_topic
from hypothesis import HealthCheck, given, settings

from domain.tracking import TrackedCode
from domain.usage_right import CreatorRights
from projections import catch_up as catch_up_module
from projections.contracts_overview import ContractsOverview
from projections.registry import ReadModels
from tests.builders import given_team
from tests.read_models import STEPS, Scenario, contents


@pytest.fixture
def read_models(durable_services):  # type: ignore[no-untyped-def]
    return durable_services.read_models


def another_runner(services) -> ReadModels:  # type: ignore[no-untyped-def]
    """What a second process would have: its own views over the same tables."""
    return ReadModels(services.settings, services.applications(),
                      services.read_models.set_aside)


def event_total(services) -> int:  # type: ignore[no-untyped-def]
    return sum(app.recorder.max_notification_id() or 0
               for app in services.applications().values())


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_rebuilding_gives_the_same_content_as_following_live(durable_services, read_models,
                                                             steps) -> None:
    scenario = Scenario(durable_services, given_team(durable_services))
    for command, pick in steps:
        scenario.run(command, pick)
        read_models.catch_up()
    live = contents(read_models)

    for name in read_models.models:
        read_models.rebuild(name)

    assert contents(read_models) == live


def test_rebuilding_deliverables_shipments_and_metrics_gives_the_same_content(
        durable_services, read_models) -> None:
    """One path through every deliverable, shipment and metric event, which random command
    streams seldom reach."""
    scenario = Scenario(durable_services, given_team(durable_services))
    steps = [("draft", 0), ("send", 0), ("sign", 0), ("accept", 0), ("submit", 1),
             ("review", 1), ("submit", 2), ("review", 2), ("ship", 0), ("delay_shipment", 0),
             ("publish", 0), ("measure", 3), ("measure", 5), ("deliver_shipment", 0)]
    for command, pick in steps:
        getattr(scenario, command)(pick)  # every step must succeed here
        read_models.catch_up()
    live = contents(read_models)

    for name in read_models.models:
        read_models.rebuild(name)

    assert contents(read_models) == live
    assert len(live["metric_figures"]) == 1 and live["metric_figures"][0]
    assert [dict(row)["status"] for row in live["shipments_tracker"]] == ["delivered"]
    assert len(live["tracked_links"]) == 1
    assert len(live["lens_costs"]) == 2 and len(live["lens_results"]) == 1  # the cost lens


def test_a_read_model_whose_tables_changed_shape_is_rebuilt_from_the_log(
        durable_services, read_models) -> None:
    scenario = Scenario(durable_services, given_team(durable_services))
    for command in ("new_creator", "draft", "send"):
        scenario.run(command, 0)
    read_models.catch_up()
    before = contents(read_models)
    board = read_models["contracts_overview"].view
    board.run_all([f"UPDATE {board.qualified('read_model_schemas')} SET fingerprint = 'old' "
                   "WHERE name = 'contracts_overview'",
                   f"DELETE FROM {board.qualified('contracts_overview')}"])

    restarted = another_runner(durable_services)
    emptied = contents(restarted)["contracts_overview"]
    restarted.catch_up()

    assert restarted.reshaped == ["contracts_overview"]
    assert emptied == []
    assert contents(restarted) == before
    assert another_runner(durable_services).reshaped == []


class PowerCut(BaseException):
    """The process dies (BaseException: no handler catches it, nothing is set aside)."""


def test_a_runner_that_crashes_mid_batch_resumes_without_loss_or_doubles(
        durable_services, read_models, monkeypatch) -> None:
    scenario = Scenario(durable_services, given_team(durable_services))
    for pick in range(12):
        scenario.run("new_creator", pick)
        scenario.run("draft", pick)
        scenario.run("send", pick)
    monkeypatch.setattr(catch_up_module, "BATCH", 5)
    original, calls = ContractsOverview.handlers[ContractsOverview.sent.handles[0]], []

    def crash_on_the_seventh(self, event, sql, at):  # type: ignore[no-untyped-def]
        calls.append(at)
        if len(calls) == 7:
            raise PowerCut("power cut")
        original(self, event, sql, at)

    monkeypatch.setitem(ContractsOverview.handlers, ContractsOverview.sent.handles[0],
                        crash_on_the_seventh)
    with pytest.raises(PowerCut):
        read_models.catch_up()
    monkeypatch.setitem(ContractsOverview.handlers, ContractsOverview.sent.handles[0], original)
    restarted = another_runner(durable_services)

    restarted.catch_up()
    resumed = contents(restarted)
    for name in restarted.models:
        restarted.rebuild(name)

    assert resumed == contents(restarted)
    assert {row["status"] for row in restarted["contracts_overview"].view.read(
        "SELECT status FROM {contracts_overview}")} == {"sent_for_signature"}
    restarted.close()


def test_two_runners_on_the_same_read_models_apply_each_event_once(
        durable_services, read_models) -> None:
    scenario = Scenario(durable_services, given_team(durable_services))
    rival = another_runner(durable_services)
    read_models.start()
    rival.start()
    try:
        for pick in range(8):
            for command in ("new_creator", "draft", "send", "sign", "accept", "amend", "sign"):
                scenario.run(command, pick)
        wait_until_caught_up(read_models, durable_services)
        rival.catch_up()  # a third contender, in batches this time
    finally:
        read_models.stop()
        rival.close()
    live = contents(read_models)
    feed_rows = len(read_models["activity_feed"].view.read("SELECT * FROM {activity_feed}"))

    for name in read_models.models:
        read_models.rebuild(name)

    assert contents(read_models) == live
    # One brand: one row per event, but for the index records (tracking codes, a
    # creator's rights), which nobody acts on.
    assert feed_rows == event_total(durable_services) - index_records(durable_services)


INDEXES = {"deliverables": (TrackedCode.Claimed,),
           "usage_rights": (CreatorRights.Opened, CreatorRights.RightAdded)}


def index_records(services) -> int:  # type: ignore[no-untyped-def]
    return sum(len(services.applications()[name].recorder.select_notifications(
        1, 100_000, topics=[get_topic(kind) for kind in kinds]))
        for name, kinds in INDEXES.items())


def wait_until_caught_up(read_models: ReadModels, services, timeout: float = 20) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while any(row["lag"] for row in read_models.status()):
        assert time.monotonic() < deadline, read_models.status()
        time.sleep(0.05)


def test_rebuild_keeps_answering_and_a_live_follower_loses_nothing(
        durable_services, read_models) -> None:
    scenario = Scenario(durable_services, given_team(durable_services))
    for pick in range(10):
        scenario.run("new_creator", pick)
        scenario.run("draft", pick)
    read_models.catch_up()
    read_models.start()
    writing, answers = threading.Event(), []

    def keep_writing() -> None:
        pick = 100
        while not writing.is_set():
            scenario.run("draft", pick)
            pick += 1

    def keep_reading() -> None:
        while not writing.is_set():
            answers.append(len(read_models["contracts_overview"].view.read(
                "SELECT contract_id FROM {contracts_overview}")))

    threads = [threading.Thread(target=keep_writing), threading.Thread(target=keep_reading)]
    for thread in threads:
        thread.start()
    try:
        read_models.rebuild("contracts_overview")
    finally:
        writing.set()
        for thread in threads:
            thread.join()
    wait_until_caught_up(read_models, durable_services)
    read_models.stop()

    rows = read_models["contracts_overview"].view.read("SELECT contract_id FROM "
                                                       "{contracts_overview}")
    assert min(answers) >= 10  # never an empty or half-built list while rebuilding
    assert len(rows) == len(scenario.contracts)


def test_a_rebuilt_read_model_has_planner_statistics_at_once(durable_services,
                                                              read_models) -> None:
    scenario = Scenario(durable_services, given_team(durable_services))
    for pick in range(3):
        scenario.run("new_creator", pick)
        scenario.run("draft", pick)

    read_models.rebuild("contracts_overview")

    view = read_models["contracts_overview"].view
    if view.is_sqlite:
        statistics = view.read("SELECT tbl FROM sqlite_stat1 WHERE tbl = 'contracts_overview'")
    else:
        statistics = view.read("SELECT attname FROM pg_stats WHERE schemaname = %s AND "
                               "tablename = 'contracts_overview'",
                               [durable_services.settings.postgres_schema()])
    assert statistics
