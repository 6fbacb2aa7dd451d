"""When a milestone falls due: on signature, when every item of its deliverable is done
(one accepted at least), or when a figure reaches its threshold on its deliverable."""

from domain.deliverable import DeliverableStatus as S
from domain.deliverable import all_done
from domain.obligations import Milestone, MilestoneTrigger
from domain.vocabulary import Metric

SIGNING = Milestone("signing", "On signature", 50_000, MilestoneTrigger.ON_SIGNATURE)
ACCEPTED = Milestone("accepted", "Video accepted", 50_000,
                     MilestoneTrigger.ON_DELIVERABLE_ACCEPTED, deliverable_key="video-1")
VIEWS = Milestone("views", "100k views", 20_000, MilestoneTrigger.ON_METRICS_REACHED,
                  deliverable_key="video-1", metric=Metric.VIEWS, threshold=100_000)


class Item:
    def __init__(self, status: S) -> None:
        self.status = status


def test_only_a_signature_milestone_falls_due_on_signature() -> None:
    assert SIGNING.due_on_signature
    assert not ACCEPTED.due_on_signature and not VIEWS.due_on_signature


def test_an_acceptance_milestone_waits_for_its_own_deliverable() -> None:
    assert ACCEPTED.due_on_acceptance_of("video-1")
    assert not ACCEPTED.due_on_acceptance_of("video-2")
    assert not SIGNING.due_on_acceptance_of("video-1")


def test_every_item_must_be_done_and_one_accepted() -> None:
    assert all_done([Item(S.ACCEPTED), Item(S.WAIVED)])  # type: ignore[list-item]
    assert not all_done([Item(S.ACCEPTED), Item(S.PUBLISHED)])  # type: ignore[list-item]
    assert not all_done([Item(S.WAIVED), Item(S.CANCELLED)])  # type: ignore[list-item]


def test_a_metrics_milestone_is_reached_by_its_figure_on_its_deliverable() -> None:
    assert VIEWS.reached_by("video-1", {"views": 100_000}) == 100_000
    assert VIEWS.reached_by("video-1", {"views": 99_999}) is None
    assert VIEWS.reached_by("video-2", {"views": 500_000}) is None
    assert VIEWS.reached_by("video-1", {"likes": 500_000}) is None
    assert ACCEPTED.reached_by("video-1", {"views": 500_000}) is None
