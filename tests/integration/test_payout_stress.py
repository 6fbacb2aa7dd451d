"""A thousand payout releases under faults, crashes, rival processors, late webhooks and
cuts in flight: each paid once, with the right amount."""

from tests.payout_stress import run


def test_a_thousand_releases_under_faults_and_crashes_pay_each_payout_exactly_once(
        durable_services) -> None:  # type: ignore[no-untyped-def]
    report = run(durable_services, trials=1000, workers=4, seed=11)

    assert report.crashes and report.faults_injected >= 100  # the chaos did happen
    assert report.cuts >= 90 and report.webhooks_delivered > 1000
    assert report.transfers == 1000
    assert (report.double_transfers, report.stuck, report.wrong_amounts) == (0, 0, 0), report
    assert report.webhooks_kept == 0  # every event kept for later was applied
