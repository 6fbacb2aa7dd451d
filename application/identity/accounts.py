"""Brands, users and API tokens, and turning a bearer token into an acting user."""

import hashlib
import secrets
import threading
import time
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from application.common.actor import READERS, SYSTEM_USER, Actor, actor_of, requires
from application.common.descriptions import describe_brand, describe_user
from application.common.kolpact_app import KolpactApplication, check_expected_version, derived_id
from application.errors import AlreadyExists, NotFound, Unauthenticated
from application.identity.sign_in import SignInUseCases
from domain.errors import NotPermitted
from domain.identity import ApiToken, Brand, Role, User

TOKEN_PREFIX = "kp_"
# How long a process trusts a token it has checked: a revocation, deactivation or role
# change made through another process takes effect within this; through this one, at once.
TRUSTED_FOR_SECONDS = 1.0


def token_id(token: str) -> Any:
    return derived_id("api-token", hashlib.sha256(token.encode("utf-8")).hexdigest())


class RecentlyAuthenticated:
    """The actors of tokens checked in the last second, so that a burst of requests with
    one token loads its token and user from the store once, not on every request."""

    def __init__(self, seconds: float = TRUSTED_FOR_SECONDS) -> None:
        self.seconds = seconds
        self.actors: dict[UUID, tuple[float, Actor]] = {}
        self.lock = threading.Lock()

    def get(self, key: UUID) -> Actor | None:
        with self.lock:
            checked = self.actors.get(key)
        if checked is None or time.monotonic() - checked[0] > self.seconds:
            return None
        return checked[1]

    def keep(self, key: UUID, actor: Actor) -> None:
        with self.lock:
            if len(self.actors) > 10_000:  # many tokens: start again rather than grow
                self.actors.clear()
            self.actors[key] = (time.monotonic(), actor)

    def forget_all(self) -> None:
        with self.lock:
            self.actors.clear()


def user_id_of(email: str) -> str:
    """The id a user registered with this email has (whether or not there is one: naming
    a colleague by email reveals nothing, the use case then checks who they are)."""
    return str(derived_id("user", email.strip().lower()))


class IdentityApp(SignInUseCases, KolpactApplication):
    name = "identity"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recently_authenticated = RecentlyAuthenticated()

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        # Any change to brands, users or tokens: this process checks tokens anew (after
        # the commit, so that no check made before it is kept).
        try:
            return super().save(*objs, **kwargs)
        finally:
            self.recently_authenticated.forget_all()

    @requires(Role.ADMIN, action="register brands")
    def register_brand(self, actor: Actor, name: str, dual_control: bool = False) -> str:
        brand = Brand.register(actor=actor.user_id, name=name, dual_control=dual_control)
        self.save(brand)
        return str(brand.id)

    def get_brand(self, brand_id: str) -> Brand:
        return self._load(Brand, brand_id, "brand")

    @requires(*READERS, action="read brands")
    def describe_brand(self, actor: Actor, brand_id: str) -> dict[str, Any]:
        return describe_brand(self._load_visible(actor, Brand, brand_id, "brand"))

    @requires(Role.ADMIN, action="change how contracts are signed")
    def change_dual_control(self, actor: Actor, brand_id: str, dual_control: bool,
                            reason: str | None, expected_version: int | None = None
                            ) -> dict[str, Any]:
        return describe_brand(self._change(
            actor, Brand, "brand", brand_id, expected_version,
            lambda brand: brand.change_dual_control(actor.user_id, dual_control, reason)))

    @requires(Role.ADMIN, action="change who approves payouts")
    def set_approval_threshold(self, actor: Actor, brand_id: str, currency: str,
                               amount: int | None, reason: str | None,
                               expected_version: int | None = None) -> dict[str, Any]:
        """Payouts above `amount` (in `currency`) need two approvers; None: one is enough."""
        return describe_brand(self._change(
            actor, Brand, "brand", brand_id, expected_version,
            lambda brand: brand.set_approval_threshold(actor.user_id, currency, amount, reason)))

    @requires(Role.ADMIN, action="register users")
    def register_user(self, actor: Actor, email: str, name: str, roles: list[str],
                      brand_ids: list[str]) -> str:
        for brand_id in brand_ids:
            actor.ensure_brand(brand_id, "brand")
            self.get_brand(brand_id)
        user = User.register(actor=actor.user_id, email=email, name=name, roles=roles,
                             brand_ids=brand_ids, id=derived_id("user", email.lower()))
        try:
            self.save(user)
        except IntegrityError as error:
            # Said the same way whichever brands the existing user is in, so that an admin
            # learns nothing about other brands' people.
            raise AlreadyExists(f"{email} cannot be registered again. If they already work "
                                "with your brand, find them in your users; otherwise the "
                                "installation's operators can add your brand to their "
                                "account.") from error
        return str(user.id)

    def find_user(self, email: str) -> User:
        return self._load(User, user_id_of(email), "user")

    @requires(Role.ADMIN, action="read users")
    def describe_user(self, actor: Actor, user_id: str) -> dict[str, Any]:
        user = self._user_for(actor, user_id)
        view = describe_user(user)
        if not actor.all_brands:  # the brands they share with the admin, no others
            view["brand_ids"] = [b for b in view["brand_ids"] if b in actor.brand_ids]
        return view

    @requires(*READERS, action="read who did what")
    def person(self, actor: Actor, user_id: str) -> dict[str, Any]:
        """A colleague's name and roles, as histories and pages show who acted; anyone
        outside the actor's brands is not found. Automatic steps are kolpact's own."""
        if user_id == SYSTEM_USER:
            return {"id": user_id, "name": "kolpact (automatic)", "roles": []}
        user = self._load(User, user_id, "person")
        if not actor.all_brands and not actor.brand_ids.intersection(user.brand_ids):
            raise NotFound("No person with that id.")
        return {"id": str(user.id), "name": user.name, "roles": [r.value for r in user.roles]}

    @requires(Role.ADMIN, action="deactivate users")
    def deactivate_user(self, actor: Actor, user_id: str, reason: str | None,
                        expected_version: int | None = None) -> dict[str, Any]:
        user = self._managed_user(actor, user_id)
        if str(user.id) == actor.user_id:
            raise NotPermitted("You cannot deactivate yourself; ask another admin.")
        check_expected_version(user, expected_version)
        user.deactivate(actor.user_id, reason)
        self._save_changes(user)
        return describe_user(user)

    @requires(Role.ADMIN, action="issue API tokens")
    def issue_token(self, actor: Actor, user_id: str, label: str = "") -> tuple[str, str]:
        """Returns (token id, token). The token itself is shown once and never stored."""
        user = self._managed_user(actor, user_id)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        api_token = ApiToken.issue(actor=actor.user_id, user_id=str(user.id), label=label,
                                   prefix=token[:10], id=token_id(token))
        self.save(api_token)
        return str(api_token.id), token

    @requires(Role.ADMIN, action="revoke API tokens")
    def revoke_token(self, actor: Actor, api_token_id: str, reason: str | None = None) -> None:
        api_token = self._load(ApiToken, api_token_id, "API token")
        self._managed_user(actor, api_token.user_id)
        api_token.revoke(actor.user_id, reason)
        self._save_changes(api_token)

    def authenticate(self, token: str) -> Actor:
        key = token_id(token)
        actor = self.recently_authenticated.get(key)
        if actor is None:
            actor = self._authenticated(key)
            self.recently_authenticated.keep(key, actor)
        return actor

    def _authenticated(self, key: UUID) -> Actor:
        try:
            api_token = self._load(ApiToken, key, "API token")
            user = self._load(User, api_token.user_id, "user")
        except NotFound as error:
            raise Unauthenticated("The bearer token is not valid.") from error
        if api_token.revoked or not user.active:
            raise Unauthenticated("The bearer token has been revoked or its user deactivated.")
        return actor_of(user)

    def acting_as(self, email: str) -> Actor:
        """The user, for commands run on the server by someone who may act as them (CLI)."""
        try:
            user = self.find_user(email)
        except NotFound as error:
            raise Unauthenticated(f"No user with email {email}.") from error
        if not user.active:
            raise Unauthenticated(f"The user {email} is deactivated.")
        return actor_of(user)

    def _user_for(self, actor: Actor, user_id: str) -> User:
        """A user an admin may manage: one who shares at least one of the admin's brands."""
        user = self._load(User, user_id, "user")
        if not actor.all_brands and not actor.brand_ids.intersection(user.brand_ids):
            raise NotFound("No user with that id.")
        return user


    def _managed_user(self, actor: Actor, user_id: str) -> User:
        """A user whose access an admin may change: every brand of theirs is one of the
        admin's, since a token acts in all of them."""
        user = self._user_for(actor, user_id)
        if not actor.all_brands and not set(user.brand_ids) <= actor.brand_ids:
            raise NotPermitted("This user also works for brands you do not administer; "
                               "their tokens and access are changed by the installation's "
                               "operators.")
        return user
