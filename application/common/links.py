"""What one application may ask of another: a small interface per kind of record.

An application is given the others it reads as constructor parameters typed by these,
never by `Any`, so mypy and a reader can see every link. Each record is written only
by its own application; the others read it (`repository`, `find`, `exists`) or ask its
application to act.

The bootstrap builds the applications in the order they ask each other. Two kinds of
link run back against that order, because the flow of events has loops: a contract's
completion asks about its deliverables and payouts, which follow the contract; a
make-good rule's remedy is applied by the deliverables, payouts and rights applications
and then recorded back on the rule. Such a link is a `Later`: a function, given to the
constructor, that returns the application once it is built.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol, TypeAlias, TypeVar
from uuid import UUID

from application.common.actor import Actor
from domain.contract import Contract
from domain.creator import Creator
from domain.identity import Brand

T = TypeVar("T")
Later: TypeAlias = Callable[[], T]


class Aggregates(Protocol):
    """An application's repository, as another application reads it."""

    def get(self, aggregate_id: Any, *, version: int | None = None) -> Any: ...


class Records(Protocol):
    """Reading another application's records."""

    @property
    def repository(self) -> Aggregates: ...

    def find(self, record_id: str | UUID, version: int | None = None) -> Any: ...

    def find_visible(self, actor: Actor, record_id: str | UUID) -> Any: ...

    def exists(self, aggregate_id: Any) -> bool: ...

    def version_at(self, record_id: str | UUID, moment: datetime) -> int | None: ...


class ContractRecords(Records, Protocol):
    def completed_by(self, signed: Contract.Signed) -> Contract | None: ...


class DeliverableRecords(Records, Protocol):
    def owed_ids_of(self, contract: Contract) -> list[Any]: ...

    def deliverables_of(self, actor: Actor, contract: Contract) -> list[dict[str, Any]]: ...

    def open_deliverables(self, contract: Contract) -> list[str]: ...


class PayoutRecords(Records, Protocol):
    def payouts_of(self, actor: Actor, contract: Contract) -> list[dict[str, Any]]: ...

    def unsettled(self, contract: Contract) -> list[str]: ...


class RightRecords(Records, Protocol):
    def rights_of(self, actor: Actor, contract: Contract) -> list[dict[str, Any]]: ...

    def exclusivity_warnings(self, draft: Contract) -> list[str]: ...


class RuleRecords(Records, Protocol):
    def rules_of(self, actor: Actor, contract: Contract) -> list[dict[str, Any]]: ...


class CreatorRecords(Records, Protocol):
    def creator_for(self, actor: Actor, creator_id: str) -> Creator: ...

    def record_payout_account(self, actor: Actor, creator_id: str, account_id: str) -> None:
        ...

    def note_payout_account(self, creator_id: str, account_id: str, can_receive: bool,
                            requirements: tuple[str, ...]) -> bool: ...


class Brands(Protocol):
    @property
    def repository(self) -> Aggregates: ...

    def get_brand(self, brand_id: str) -> Brand: ...


class CampaignContracts(Records, Protocol):
    def ever_in_campaign(self, campaign_id: str) -> list[UUID]: ...


class Families(Protocol):
    """A contract's family (application.audit.family) as of any moment."""

    def ids(self, contract: Contract) -> dict[str, list[UUID]]: ...

    def state_at(self, contract: Contract, moment: datetime, latest: bool = False,
                 members: dict[str, list[UUID]] | None = None) -> dict[str, Any]: ...

    def trail(self, contract: Contract, until: datetime | None = None,
              members: dict[str, list[UUID]] | None = None) -> list[dict[str, Any]]: ...
