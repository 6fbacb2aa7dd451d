"""Use cases for auditors: a contract family's trail, chain checks, seals and exports.

Everything here reads; what it records (checks, seals, exports) goes to the
audit application's own log, which the chain covers like any other.
"""

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from application.audit.audit_bundle import Bundle, BundleCheck, event_line, pack, verify_bundle
from application.audit.audit_report import render_report
from application.audit.chain_reader import InChain, StoredChain
from application.audit.family import Family
from application.common.actor import READERS, Actor, requires
from application.common.kolpact_app import Basics, KolpactApplication
from application.common.links import ContractRecords
from application.errors import ChainBroken, RoleNotAllowed
from application.infrastructure.event_chain import Break, check_link, seal_root
from application.infrastructure.settings import ConfigurationError
from application.infrastructure.signing import Signer
from application.infrastructure.sql import SqlDatabase
from domain.audit import AuditExport, ChainCheck, Seal
from domain.contract import Contract
from domain.errors import InvalidValue
from domain.identity import Role
from domain.values import to_primitive

AUDITORS = (Role.AUDITOR, Role.LEGAL)  # admins manage users and tokens, not the trail
SEALED = get_topic(Seal.Recorded)
PERSONAL_PATHS = ("address", "profile.contact")  # where Address and Contact show in diffs


class AuditApp(KolpactApplication):
    name = "audit"

    def __init__(self, basics: Basics, *, contracts: ContractRecords, family: Family,
                 chain_in: SqlDatabase | None, signer: Signer | None) -> None:
        """`chain_in`: the database that keeps the hash chain of every application's log,
        this one's too (None: the in-memory store keeps no chain); `signer` signs exports
        when the installation has a signing key."""
        super().__init__(basics)
        self.contracts, self.family, self.signer = contracts, family, signer
        self.chain = None if chain_in is None else StoredChain(
            chain_in, {**family.apps, self.name: self})

    # The family's trail.

    @requires(*READERS, action="read contract history")
    def contract_history(self, actor: Actor, contract_id: str,
                         as_of: datetime | None = None) -> dict[str, Any]:
        """The family's events (up to `as_of`), and with `as_of` its state at that moment."""
        contract = self._contract(actor, contract_id)
        members = self.family.ids(contract)
        return {"contract_id": str(contract.id), "as_of": as_of,
                "integrity": self._integrity(members),
                "events": self.family.trail(contract, until=as_of, members=members),
                "state": None if as_of is None else to_primitive(
                    self.family.state_at(contract, as_of, members=members))}

    def family_integrity(self, contract: Contract) -> dict[str, Any]:
        """Whether the family's stored events still check out against their chain: what
        a history or an as-of view serves must say so when they do not."""
        return self._integrity(self.family.ids(contract))

    def _integrity(self, members: dict[str, list[UUID]]) -> dict[str, Any]:
        if self.chain is None:
            return {"intact": None, "warning": None}  # the in-memory store keeps no chain
        _, problems = _check_family(self.chain, members)
        if not problems:
            return {"intact": True, "warning": None}
        first = problems[0].get("description") or problems[0]
        return {"intact": False, "warning": f"The stored history of this contract family "
                                            f"does not check out ({len(problems)} break(s); "
                                            f"first: {first}). What is shown may have been "
                                            "altered: run `kolpact audit verify`."}

    # Checking the chain.

    @requires(*AUDITORS, action="verify the audit trail")
    def verify(self, actor: Actor, contract_id: str | None = None,
               published_seals: Iterable[dict[str, Any]] = ()) -> dict[str, Any]:
        """Checks the whole store, or one contract family, and every seal; records the
        check and its outcome."""
        chain = self._chain()
        brands: tuple[str, ...]
        if contract_id is None:
            self._require_installation(actor, "verify the whole store")
            subject, brands = None, ()
            checked, problems = _check_store(chain)
        else:
            contract = self._contract(actor, contract_id)
            subject, brands = str(contract.id), (contract.brand_id,)
            checked, problems = _check_family(chain, self.family.ids(contract))
        seals = [*self._recorded_seals(), *published_seals]
        problems += self._seal_problems(chain, seals)
        record = ChainCheck.record(actor=actor.user_id, scope="store" if subject is None
                                   else "contract", subject=subject, passed=not problems,
                                   events_checked=checked, breaks=tuple(problems),
                                   brand_ids=brands)
        self.save(record)
        return {"id": str(record.id), "checked_at": record.created_on, "scope": record.scope,
                "contract_id": subject, "passed": not problems, "events_checked": checked,
                "seals_checked": len(seals), "breaks": problems}

    def public_key(self) -> str | None:
        """The key exports are signed with, for auditors to trust; None if unsigned."""
        return self.signer.public_key if self.signer else None

    @requires(*AUDITORS, action="verify audit exports")
    def check_bundle(self, actor: Actor, content: bytes) -> dict[str, Any]:
        """An export someone sent back: checked as an outsider would, trusting this
        installation's key, and the outcome recorded."""
        key = self.public_key()
        return self._record_bundle_check(actor, verify_bundle(content, [key] if key else []))

    def _record_bundle_check(self, actor: Actor, check: BundleCheck) -> dict[str, Any]:
        if not check.readable:
            raise InvalidValue({"body": "is not a kolpact audit export (a zip holding "
                                        "manifest.json, events.jsonl and report.html): "
                                        + "; ".join(check.problems)})
        record = ChainCheck.record(actor=actor.user_id, scope="export", subject=check.digest,
                                   passed=check.passed, events_checked=check.events,
                                   breaks=tuple({"description": p} for p in check.problems),
                                   brand_ids=tuple(sorted(actor.brand_ids)))
        self.save(record)
        return {"id": str(record.id), "checked_at": record.created_on, **check.as_dict()}

    # Seals.

    def seal(self, actor: Actor) -> dict[str, Any]:
        """Records every log's head, once the whole chain checks out, for publishing."""
        self._require_installation(actor, "seal the store")
        chain = self._chain()
        checks = [chain.check_log(name) for name in chain.applications]
        broken = [c.broken for c in checks if c.broken is not None]
        if broken:
            raise ChainBroken("The chain is broken, so it cannot be sealed: "
                              + "; ".join(b.describe() for b in broken))
        heads = {c.application: {"position": c.head.position, "hash": c.head.hash}
                 for c in checks if c.head is not None}
        seal = Seal.record(actor=actor.user_id, heads=heads, root=seal_root(heads))
        self.save(seal)
        return describe_seal(seal.id, seal.created_on, heads, seal.root)

    @requires(*READERS, action="read seals")
    def seals(self, actor: Actor) -> list[dict[str, Any]]:
        return list(self._recorded_seals())

    # Exports.

    @requires(*AUDITORS, action="export the audit trail")
    def export(self, actor: Actor, contract_id: str) -> Bundle:
        """The family's events with their links, and a report, as one verifiable zip."""
        chain = self._chain()
        contract = self._contract(actor, contract_id)
        members = self.family.ids(contract)  # found once: it replays the terms versions
        trail = {(e["aggregate_id"], e["version"]): e
                 for e in self.family.trail(contract, members=members)}
        found = [c for name, ids in members.items()
                 for c in chain.aggregate_chain(name, ids)]
        breaks = [b.as_dict() for b in map(_broken, found) if b is not None]
        check = {"passed": not breaks, "events_checked": len(found), "breaks": breaks}
        lines = sorted((_line(c, trail) for c in found if c.event is not None),
                       key=lambda line: (str(line["time"]), line["application"],
                                         line["position"]))
        now = self.clock.now()
        manifest = self._manifest(contract, actor, check, now)
        state = to_primitive(self.family.state_at(contract, now, latest=True, members=members))
        report = render_report(manifest, check, state, lines, self.family.people())
        bundle = pack(lines, report, manifest, self.signer)
        self.save(AuditExport.record(actor=actor.user_id, contract_id=str(contract.id),
                                     brand_id=contract.brand_id, digest=bundle.digest,
                                     events=bundle.events))
        return bundle

    def _manifest(self, contract: Contract, actor: Actor, check: dict[str, Any],
                  now: datetime) -> dict[str, Any]:
        seals = list(self._recorded_seals())
        return {"contract_id": str(contract.id), "brand_id": contract.brand_id,
                "title": contract.title, "exported_at": now.isoformat(),
                "exported_by": actor.name or actor.user_id, "exported_by_id": actor.user_id,
                "chain_check": check,
                "seal": seals[-1] if seals else None}

    # Helpers.

    def _chain(self) -> StoredChain:
        if self.chain is None:
            raise ConfigurationError("The audit chain needs a SQLite or PostgreSQL store.")
        return self.chain

    def _contract(self, actor: Actor, contract_id: str) -> Contract:
        contract: Contract = self.contracts.find_visible(actor, contract_id)
        return contract

    @staticmethod
    def _require_installation(actor: Actor, action: str) -> None:
        """The whole store spans every brand: what it holds (every brand's event counts)
        is for the installation's operators, from the command line, not for a brand."""
        if not actor.all_brands:
            raise RoleNotAllowed(f"Only the installation's operators may {action} (kolpact "
                                 "audit verify, on the command line); check a contract "
                                 "family instead.")

    def _recorded_seals(self) -> Iterator[dict[str, Any]]:
        after = 0
        while page := self.recorder.select_notifications(start=after, limit=500,
                                                         topics=[SEALED],
                                                         inclusive_of_start=False):
            for notification in page:
                seal: Any = self.mapper.to_domain_event(notification)
                yield describe_seal(seal.originator_id, seal.timestamp, seal.heads, seal.root)
            after = page[-1].id

    @staticmethod
    def _seal_problems(chain: StoredChain, seals: list[dict[str, Any]]) -> list[dict[str, Any]]:
        problems = []
        for seal in seals:
            name = f"seal {seal.get('id') or seal.get('root')}"
            heads = seal.get("heads") or {}
            if seal_root(heads) != seal.get("root"):
                problems.append({"seal": seal.get("id"), "description":
                                 f"{name}: its root does not match its heads"})
            for application, head in sorted(heads.items()):
                link = chain.link_at(application, int(head["position"]))
                if link is None or link.hash != head["hash"]:
                    what = "is gone" if link is None else "was rewritten"
                    problems.append({"seal": seal.get("id"), "application": application,
                                     "position": head["position"], "description":
                                     f"{name}: {application}:{head['position']} {what} "
                                     "since it was sealed"})
        return problems


def describe_seal(seal_id: Any, sealed_at: datetime, heads: dict[str, Any],
                  root: str) -> dict[str, Any]:
    return {"id": str(seal_id), "sealed_at": sealed_at, "heads": heads,
            "root": root}


def _check_store(chain: StoredChain) -> tuple[int, list[dict[str, Any]]]:
    """Every log from its start, and every snapshot: events checked, and what is wrong."""
    checks = [chain.check_log(name) for name in chain.applications]
    problems = [c.broken.as_dict() for c in checks if c.broken is not None]
    problems += [p for name in chain.applications for p in chain.check_snapshots(name)]
    return sum(c.events for c in checks), problems


def _check_family(chain: StoredChain, family: dict[str, list[UUID]]
                  ) -> tuple[int, list[dict[str, Any]]]:
    """The family's events, each against the link before it, and their snapshots."""
    results = [chain.check_aggregates(name, ids) for name, ids in family.items()]
    problems = [b.as_dict() for _, b in results if b is not None]
    problems += [p for name, ids in family.items() for p in chain.check_snapshots(name, ids)]
    return sum(n for n, _ in results), problems


def _broken(found: InChain) -> Break | None:
    return check_link(found.previous_hash, found.event, found.link)


def _line(found: InChain, trail: dict[tuple[str, int], dict[str, Any]]) -> dict[str, Any]:
    event = found.event
    assert event is not None
    entry = trail.get((event.originator_id, event.originator_version), {})
    line = event_line(event, found.link.hash if found.link else "", found.previous_position,
                      found.previous_hash, entry)
    return {**line, "diff": [_redacted(change) for change in entry.get("diff", [])],
            "terms_changes": entry.get("terms_changes")}


def _redacted(change: str) -> str:
    """Exports travel: personal data stays sealed in the state and out of the readable
    lines (the auditor checks the record, not where a creator lives)."""
    path = change.split(":", 1)[0]
    if path.startswith(PERSONAL_PATHS):
        return f"{path}: (personal data, not exported)"
    return change
