"""Signing in to the web console, and the person each console request acts as.

A person signs in with their API token, or with a one-time link an admin gives
them (`kolpact users sign-in-link`; `make run` prints one per demo user), or asks
for one with their email where the installation can deliver it. Either
way they get a session of their own: the browser keeps its secret in a cookie,
never the API token, and signing out (or the session's expiry) ends it for good.
A request then acts as the session's user with the same roles and brands as the
API, checked anew as tokens are (at once after a change made through this
process, within a second after one made through another).
"""

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from application.common.actor import Actor, actor_of, requires
from application.common.clock import Clock
from application.common.kolpact_app import derived_id
from application.errors import NotFound, Unauthenticated
from domain.errors import InvalidTransition, InvalidValue
from domain.identity import Role, User
from domain.sign_in import ConsoleSession, SignedInWith, SignInLink

SESSION_HOURS = 12
LINK_MINUTES = 15
MAX_LINK_MINUTES = 7 * 24 * 60
ASK_AGAIN = timedelta(minutes=1)  # a person asks for a link by email at most this often
A = TypeVar("A", bound=Aggregate)


def hashed(kind: str, secret: str) -> UUID:
    return derived_id(kind, hashlib.sha256(secret.encode("utf-8")).hexdigest())


class SignInUseCases:
    """Mixed into the identity application, whose log keeps every sign-in and sign-out."""

    clock: Clock
    recently_authenticated: Any
    save: Callable[..., Any]
    _load: Callable[..., Any]
    _save_changes: Callable[..., None]
    _managed_user: Callable[[Actor, str], User]

    @requires(Role.ADMIN, action="give sign-in links")
    def issue_sign_in_link(self, actor: Actor, user_id: str,
                           minutes: int = LINK_MINUTES) -> str:
        """A one-time code for a user of the admin's brands, valid for `minutes`."""
        if not 1 <= minutes <= MAX_LINK_MINUTES:
            raise InvalidValue({"minutes": f"must be 1-{MAX_LINK_MINUTES}"})
        user = self._managed_user(actor, user_id)
        code = secrets.token_urlsafe(24)
        self.save(SignInLink.issue(actor=actor.user_id, user_id=str(user.id),
                                   expires_at=self.clock.now() + timedelta(minutes=minutes),
                                   id=hashed("sign-in-link", code)))
        return code

    def request_sign_in_link(self, email: str) -> tuple[User, str] | None:
        """A one-time code for the active user with this email, asked for by themselves;
        None for an address nobody active has, or asked again within a minute (the page
        answers alike either way, so it tells nobody who has an account, and a loop
        cannot fill the log). Delivering the link is the caller's part."""
        try:
            user: User = self.find_user(email.strip())  # type: ignore[attr-defined]
        except NotFound:
            return None
        now, asked = self.clock.now(), self.__dict__.setdefault("_links_asked", {})
        if not user.active or now - asked.get(user.id, now - ASK_AGAIN) < ASK_AGAIN:
            return None
        asked[user.id] = now
        code = secrets.token_urlsafe(24)
        self.save(SignInLink.issue(actor=str(user.id), user_id=str(user.id),
                                   expires_at=now + timedelta(minutes=LINK_MINUTES),
                                   id=hashed("sign-in-link", code)))
        return user, code

    def sign_in_with_token(self, token: str) -> str:
        """A new session for the API token's user; returns the session's secret."""
        actor: Actor = self.authenticate(token)  # type: ignore[attr-defined]
        secret, session = self._new_session(actor.user_id, SignedInWith.TOKEN)
        self.save(session)
        return secret

    def sign_in_with_link(self, code: str) -> str:
        """A new session for the link's user, once; returns the session's secret."""
        try:
            link: SignInLink = self._load(SignInLink, hashed("sign-in-link", code), "link")
            self._active_user(link.user_id)
        except (NotFound, Unauthenticated) as error:
            raise Unauthenticated("This sign-in link is not valid: ask for a new one.") \
                from error
        secret, session = self._new_session(link.user_id, SignedInWith.LINK)
        link.use(self.clock.now(), str(session.id))
        try:
            self.save(link, session)  # together: one link starts one session, however clicked
        except IntegrityError as error:
            raise InvalidTransition("This sign-in link was used already: ask for a new "
                                    "one.") from error
        return secret

    def session_actor(self, secret: str) -> Actor:
        """Who a console request with this session's secret acts as."""
        key = hashed("console-session", secret)
        actor: Actor | None = self.recently_authenticated.get(key)
        if actor is None:
            session = self._live_session(key)
            actor = actor_of(self._active_user(session.user_id))
            self.recently_authenticated.keep(key, actor)
        return actor

    def sign_out(self, secret: str) -> None:
        try:
            session = self._live_session(hashed("console-session", secret))
        except Unauthenticated:
            return  # ended or expired already: signed out either way
        session.end(session.user_id)
        self._save_changes(session)

    def _new_session(self, user_id: str, signed_in_with: SignedInWith
                     ) -> tuple[str, ConsoleSession]:
        secret = secrets.token_urlsafe(32)
        return secret, ConsoleSession.start(
            user_id=user_id, expires_at=self.clock.now() + timedelta(hours=SESSION_HOURS),
            signed_in_with=signed_in_with, id=hashed("console-session", secret))

    def _live_session(self, key: UUID) -> ConsoleSession:
        try:
            session: ConsoleSession = self._load(ConsoleSession, key, "session")
        except NotFound as error:
            raise Unauthenticated("Please sign in.") from error
        if not session.is_live(self.clock.now()):
            raise Unauthenticated("Your session has ended: please sign in again.")
        return session

    def _active_user(self, user_id: str) -> User:
        user: User = self._load(User, user_id, "user")
        if not user.active:
            raise Unauthenticated("This user is deactivated.")
        return user
