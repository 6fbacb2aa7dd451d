"""Brands, users and API tokens, and turning a bearer token into an acting user."""

import hashlib
import secrets
from typing import Any

from eventsourcing.persistence import IntegrityError

from application.actor import Actor
from application.base import KolpactApplication, derived_id
from application.errors import AlreadyExists, NotFound, Unauthenticated
from domain.identity import ApiToken, Brand, Role, User

TOKEN_PREFIX = "kp_"


def token_id(token: str) -> Any:
    return derived_id("api-token", hashlib.sha256(token.encode("utf-8")).hexdigest())


class IdentityApp(KolpactApplication):
    name = "identity"

    def register_brand(self, actor: Actor, name: str, dual_control: bool = False) -> str:
        actor.require(Role.ADMIN, action="register brands")
        brand = Brand.register(actor=actor.user_id, name=name, dual_control=dual_control)
        self.save(brand)
        return str(brand.id)

    def get_brand(self, brand_id: str) -> Brand:
        return self._load(Brand, brand_id, "brand")

    def register_user(self, actor: Actor, email: str, name: str, roles: list[str],
                      brand_ids: list[str]) -> str:
        actor.require(Role.ADMIN, action="register users")
        for brand_id in brand_ids:
            actor.ensure_brand(brand_id, "brand")
            self.get_brand(brand_id)
        user = User.register(actor=actor.user_id, email=email, name=name, roles=roles,
                             brand_ids=brand_ids, id=derived_id("user", email.lower()))
        try:
            self.save(user)
        except IntegrityError as error:
            raise AlreadyExists(f"A user with email {email} already exists.") from error
        return str(user.id)

    def find_user(self, email: str) -> User:
        return self._load(User, derived_id("user", email.lower()), "user")

    def issue_token(self, actor: Actor, user_id: str, label: str = "") -> tuple[str, str]:
        """Returns (token id, token). The token itself is shown once and never stored."""
        actor.require(Role.ADMIN, action="issue API tokens")
        user = self._load(User, user_id, "user")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        api_token = ApiToken.issue(actor=actor.user_id, user_id=str(user.id), label=label,
                                   prefix=token[:10], id=token_id(token))
        self.save(api_token)
        return str(api_token.id), token

    def revoke_token(self, actor: Actor, api_token_id: str, reason: str | None = None) -> None:
        actor.require(Role.ADMIN, action="revoke API tokens")
        api_token = self._load(ApiToken, api_token_id, "API token")
        api_token.revoke(actor.user_id, reason)
        self._save_changes(api_token)

    def authenticate(self, token: str) -> Actor:
        try:
            api_token = self._load(ApiToken, token_id(token), "API token")
            user = self._load(User, api_token.user_id, "user")
        except NotFound as error:
            raise Unauthenticated("The bearer token is not valid.") from error
        if api_token.revoked or not user.active:
            raise Unauthenticated("The bearer token has been revoked or its user deactivated.")
        return Actor(user_id=str(user.id), roles=frozenset(user.roles),
                     brand_ids=frozenset(user.brand_ids), name=user.name)
