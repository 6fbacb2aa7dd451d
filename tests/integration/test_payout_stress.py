"""A thousand payout releases under faults, crashes and rival processors: each paid once."""

from tests.payout_stress import run


def test_a_thousand_releases_under_faults_and_crashes_pay_each_payout_exactly_once(
        durable_services) -> None:  # type: ignore[no-untyped-def]
    report = run(durable_services, trials=1000, workers=4, seed=11)

    assert report.crashes and report.faults_injected >= 100  # the chaos did happen
    assert report.transfers == 1000
    assert (report.double_transfers, report.stuck) == (0, 0), report
