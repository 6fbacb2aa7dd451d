"""Brands (workspaces), their users and the users' API tokens."""

from enum import StrEnum
from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.attributed import AttributedEvent, checked_reason, required_reason
from domain.creator_profile import EMAIL
from domain.errors import InvalidTransition, InvalidValue
from domain.money import MAX_MINOR_UNITS, Money, is_currency
from domain.rules import check_name


class Role(StrEnum):
    LEGAL = "legal"
    OPS = "ops"
    FINANCE = "finance"
    AUDITOR = "auditor"
    ADMIN = "admin"


class Brand(Aggregate):
    class Event(AttributedEvent):
        pass

    class Registered(Event, Aggregate.Created):
        name: str
        dual_control: bool

    class DualControlChanged(Event):
        dual_control: bool

    class ApprovalThresholdSet(Event):
        currency: str
        amount: int | None  # payouts above it need two approvers; None: one is enough

    @event(Registered)
    def __init__(self, actor: str, reason: str | None, name: str, dual_control: bool) -> None:
        self.name = name
        self.dual_control = dual_control  # contracts need a second person to sign for the brand
        self.two_approvers_above: dict[str, int] = {}  # currency -> amount in minor units

    @property
    def brand_id(self) -> str:
        """A brand is its own workspace: access checks treat it like any brand's record."""
        return str(self.id)

    @classmethod
    def register(cls, *, actor: str, name: str, dual_control: bool, id: Any = None) -> "Brand":
        errors = check_name("name", name)
        if errors:
            raise InvalidValue(errors)
        return cls._create(cls.Registered, id=id, actor=actor, reason=None, name=name.strip(),
                           dual_control=dual_control)

    def change_dual_control(self, actor: str, dual_control: bool, reason: str | None) -> None:
        if dual_control != self.dual_control:
            self._dual_control_changed(actor=actor, reason=required_reason(
                reason, "change a brand's signing control"), dual_control=dual_control)

    def set_approval_threshold(self, actor: str, currency: str, amount: int | None,
                               reason: str | None) -> None:
        errors = {} if is_currency(currency) else {
            "currency": f"'{currency}' is not an ISO-4217 currency code"}
        if amount is not None and (isinstance(amount, bool) or not 0 <= amount <=
                                   MAX_MINOR_UNITS):
            errors["amount"] = ("must be a whole, non-negative number of minor units, at most "
                                f"{MAX_MINOR_UNITS}")
        if errors:
            raise InvalidValue(errors)
        if self.two_approvers_above.get(currency) != amount:
            self._approval_threshold_set(actor=actor, reason=required_reason(
                reason, "change who approves payouts"), currency=currency, amount=amount)

    def approvals_needed(self, amount: Money) -> int:
        threshold = self.two_approvers_above.get(amount.currency)
        return 2 if threshold is not None and amount.amount > threshold else 1

    @event(ApprovalThresholdSet)
    def _approval_threshold_set(self, actor: str, reason: str | None, currency: str,
                                amount: int | None) -> None:
        thresholds = {k: v for k, v in self.two_approvers_above.items() if k != currency}
        self.two_approvers_above = thresholds | ({} if amount is None else {currency: amount})

    @event(DualControlChanged)
    def _dual_control_changed(self, actor: str, reason: str | None, dual_control: bool) -> None:
        self.dual_control = dual_control


class User(Aggregate):
    class Event(AttributedEvent):
        pass

    class Registered(Event, Aggregate.Created):
        email: str
        name: str
        roles: tuple[Role, ...]
        brand_ids: tuple[str, ...]

    class Deactivated(Event):
        pass

    @event(Registered)
    def __init__(self, actor: str, reason: str | None, email: str, name: str,
                 roles: tuple[Role, ...], brand_ids: tuple[str, ...]) -> None:
        self.email, self.name = email, name
        self.roles = tuple(Role(r) for r in roles)
        self.brand_ids = tuple(brand_ids)
        self.active = True

    @classmethod
    def register(cls, *, actor: str, email: str, name: str, roles: list[str],
                 brand_ids: list[str], id: Any = None) -> "User":
        errors = {}
        if not EMAIL.match(email):
            errors["email"] = "is not an email address"
        errors |= check_name("name", name)
        unknown = [r for r in roles if r not in Role.__members__.values()]
        if not roles or unknown:
            errors["roles"] = f"give one or more of {', '.join(Role)}"
        if not brand_ids:
            errors["brand_ids"] = "a user belongs to at least one brand"
        if errors:
            raise InvalidValue(errors)
        return cls._create(cls.Registered, id=id, actor=actor, reason=None,
                           email=email.lower(), name=name.strip(),
                           roles=tuple(Role(r) for r in roles), brand_ids=tuple(brand_ids))

    def deactivate(self, actor: str, reason: str | None) -> None:
        if not self.active:
            raise InvalidTransition("The user is already deactivated.")
        self._deactivated(actor=actor, reason=required_reason(reason, "deactivate a user"))

    @event(Deactivated)
    def _deactivated(self, actor: str, reason: str | None) -> None:
        self.active = False


class ApiToken(Aggregate):
    """A bearer token; its id derives from the token's hash, so the secret is never stored."""

    class Event(AttributedEvent):
        pass

    class Issued(Event, Aggregate.Created):
        user_id: str
        label: str
        prefix: str

    class Revoked(Event):
        pass

    @event(Issued)
    def __init__(self, actor: str, reason: str | None, user_id: str, label: str,
                 prefix: str) -> None:
        self.user_id, self.label, self.prefix = user_id, label, prefix
        self.revoked = False

    @classmethod
    def issue(cls, *, actor: str, user_id: str, label: str, prefix: str, id: Any) -> "ApiToken":
        return cls._create(cls.Issued, id=id, actor=actor, reason=None, user_id=user_id,
                           label=label.strip() or "token", prefix=prefix)

    def revoke(self, actor: str, reason: str | None = None) -> None:
        if self.revoked:
            raise InvalidTransition("The token is already revoked.")
        self._revoked(actor=actor, reason=checked_reason(reason))

    @event(Revoked)
    def _revoked(self, actor: str, reason: str | None) -> None:
        self.revoked = True
