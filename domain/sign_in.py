"""Signing in to the web console: one-time links, and the sessions people work in.

Both are named by a hash of their secret (the link's code, the session cookie's
value), so neither secret is ever stored. A session ends when its person signs
out, or by itself when it expires; a link starts at most one session.
"""

from datetime import datetime
from enum import StrEnum
from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.attributed import AttributedEvent
from domain.errors import InvalidTransition


class SignedInWith(StrEnum):
    TOKEN = "token"  # the person's API token, typed into the sign-in page
    LINK = "link"  # a one-time link an admin (or `make run`) gave them


class SignInLink(Aggregate):
    class Event(AttributedEvent):
        pass

    class Issued(Event, Aggregate.Created):
        user_id: str
        expires_at: datetime

    class Used(Event):
        session_id: str

    @event(Issued)
    def __init__(self, actor: str, reason: str | None, user_id: str,
                 expires_at: datetime) -> None:
        self.user_id, self.expires_at = user_id, expires_at
        self.used = False

    @classmethod
    def issue(cls, *, actor: str, user_id: str, expires_at: datetime, id: Any) -> "SignInLink":
        return cls._create(cls.Issued, id=id, actor=actor, reason=None, user_id=user_id,
                           expires_at=expires_at)

    def use(self, at: datetime, session_id: str) -> None:
        if self.used:
            raise InvalidTransition("This sign-in link was used already: ask for a new one.")
        if at >= self.expires_at:
            raise InvalidTransition("This sign-in link has expired: ask for a new one.")
        self._used(actor=self.user_id, reason=None, session_id=session_id)

    @event(Used)
    def _used(self, actor: str, reason: str | None, session_id: str) -> None:
        self.used = True


class ConsoleSession(Aggregate):
    class Event(AttributedEvent):
        pass

    class Started(Event, Aggregate.Created):
        user_id: str
        expires_at: datetime
        signed_in_with: SignedInWith

    class Ended(Event):
        pass

    @event(Started)
    def __init__(self, actor: str, reason: str | None, user_id: str, expires_at: datetime,
                 signed_in_with: SignedInWith) -> None:
        self.user_id, self.expires_at = user_id, expires_at
        self.signed_in_with = SignedInWith(signed_in_with)
        self.ended = False

    @classmethod
    def start(cls, *, user_id: str, expires_at: datetime, signed_in_with: SignedInWith,
              id: Any) -> "ConsoleSession":
        return cls._create(cls.Started, id=id, actor=user_id, reason=None, user_id=user_id,
                           expires_at=expires_at, signed_in_with=signed_in_with)

    def is_live(self, at: datetime) -> bool:
        return not self.ended and at < self.expires_at

    def end(self, actor: str, reason: str | None = None) -> None:
        if self.ended:
            raise InvalidTransition("The session has ended already.")
        self._ended(actor=actor, reason=reason)

    @event(Ended)
    def _ended(self, actor: str, reason: str | None) -> None:
        self.ended = True
