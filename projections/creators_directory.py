"""Creators directory: ops' list of creators with reach, niche, prices and status.

Contact details are personal data and stay out of this read model.
"""

from typing import Any

from eventsourcing.persistence import Tracking

from application.infrastructure.sql import Statements
from domain.creator import Creator
from domain.creator_profile import CreatorProfile
from domain.deliverable import Deliverable
from domain.folder import Folder
from domain.make_good import MakeGoodRule
from projections.columns import as_json, insert, moment, stamped, tags, update
from projections.read_model import ReadModel, on
from projections.view import Table


def profile_columns(profile: CreatorProfile) -> dict[str, Any]:
    return {
        "display_name": profile.display_name, "kind": profile.kind.value,
        "platforms": tags(h.platform for h in profile.handles),
        "categories": tags(profile.categories),
        "handles": as_json(profile.handles), "price_ranges": as_json(profile.price_ranges),
        "category_list": as_json(profile.categories),
        "total_followers": sum(h.followers for h in profile.handles),
        "best_engagement_bp": max((h.engagement_rate_bp for h in profile.handles), default=0),
        "has_payout_account": profile.payout_account is not None,
    }


class CreatorsDirectory(ReadModel):
    name = "creators_directory"
    upstream = ("creators", "deliverables", "make_goods")
    tables = (
        Table("creators_directory",
              "creator_id TEXT PRIMARY KEY, brand_id TEXT NOT NULL, display_name TEXT NOT NULL, "
              "kind TEXT NOT NULL, status TEXT NOT NULL, platforms TEXT NOT NULL, "
              "categories TEXT NOT NULL, category_list TEXT NOT NULL, handles TEXT NOT NULL, "
              "price_ranges TEXT NOT NULL, total_followers BIGINT NOT NULL, "
              "best_engagement_bp INTEGER NOT NULL, has_payout_account BOOLEAN NOT NULL, "
              "owner_id TEXT, next_follow_up TEXT, last_contact_at TEXT, "
              "created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL",
              ("brand_id, created_at, creator_id", "brand_id, display_name, creator_id",
               "brand_id, status", "brand_id, kind", "owner_id, next_follow_up")),
        Table("creators_folders",
              "folder_id TEXT PRIMARY KEY, brand_id TEXT NOT NULL, name TEXT NOT NULL, "
              "creators INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, "
              "version INTEGER NOT NULL", ("brand_id, name, folder_id",
                                           "brand_id, created_at, folder_id")),
        Table("creators_folder_members", "folder_id TEXT NOT NULL, creator_id TEXT NOT NULL, "
              "PRIMARY KEY (folder_id, creator_id)", ("creator_id",)),
        Table("creators_prices", "creator_id TEXT NOT NULL, format TEXT NOT NULL, "
              "currency TEXT NOT NULL, min_amount BIGINT NOT NULL, max_amount BIGINT NOT NULL",
              ("creator_id", "format, currency, min_amount")),
        # The cooperation record: what working with the creator was like, from the events.
        Table("creators_cooperation",
              "creator_id TEXT PRIMARY KEY, contracts INTEGER NOT NULL, "
              "last_worked_with TEXT NOT NULL, published INTEGER NOT NULL, "
              "on_time INTEGER NOT NULL, late INTEGER NOT NULL, violations INTEGER NOT NULL, "
              "make_goods_breached INTEGER NOT NULL"),
        Table("creators_cooperation_rules", "rule_id TEXT PRIMARY KEY, "
              "creator_id TEXT NOT NULL"),
        Table("creators_cooperation_items",
              "deliverable_id TEXT PRIMARY KEY, creator_id TEXT NOT NULL, "
              "contract_id TEXT NOT NULL, due_date TEXT NOT NULL", ("creator_id, contract_id",)),
    )

    # The cooperation record.

    @on(Deliverable.Created)
    def owed(self, event: Deliverable.Created, sql: Statements, at: Tracking) -> None:
        """A contract in force gives rise to its deliverables: the creator was worked with."""
        creator_id = str(event.creator_id)
        known = sql.run("SELECT 1 FROM {creators_cooperation_items} WHERE creator_id = %s "
                        "AND contract_id = %s", (creator_id, event.contract_id))
        insert(sql, "creators_cooperation_items", {
            "deliverable_id": str(event.originator_id), "creator_id": creator_id,
            "contract_id": event.contract_id, "due_date": event.term.due_date.isoformat()})
        self._cooperation(sql, creator_id, contracts=0 if known else 1,
                          last_worked_with=moment(event.timestamp))

    @on(Deliverable.DueDateExtended)
    def extended(self, event: Deliverable.DueDateExtended, sql: Statements,
                 at: Tracking) -> None:
        update(sql, "creators_cooperation_items", ("deliverable_id", str(event.originator_id)),
               {"due_date": event.due_date.isoformat()})

    @on(Deliverable.Published)
    def published(self, event: Deliverable.Published, sql: Statements, at: Tracking) -> None:
        (item,) = sql.run("SELECT creator_id, due_date FROM {creators_cooperation_items} "
                          "WHERE deliverable_id = %s", (str(event.originator_id),))
        on_time = event.published_at.date().isoformat() <= item["due_date"]
        self._cooperation(sql, item["creator_id"], published=1, on_time=int(on_time),
                          late=int(not on_time))

    @on(Deliverable.Submitted)
    def submitted(self, event: Deliverable.Submitted, sql: Statements, at: Tracking) -> None:
        if event.submission.violations:
            (item,) = sql.run("SELECT creator_id FROM {creators_cooperation_items} "
                              "WHERE deliverable_id = %s", (str(event.originator_id),))
            self._cooperation(sql, item["creator_id"],
                              violations=len(event.submission.violations))

    @on(MakeGoodRule.Armed)
    def rule_armed(self, event: MakeGoodRule.Armed, sql: Statements, at: Tracking) -> None:
        insert(sql, "creators_cooperation_rules", {"rule_id": str(event.originator_id),
                                                   "creator_id": event.creator_id})

    @on(MakeGoodRule.Evaluated)
    def rule_evaluated(self, event: MakeGoodRule.Evaluated, sql: Statements,
                       at: Tracking) -> None:
        if not event.met:
            (rule,) = sql.run("SELECT creator_id FROM {creators_cooperation_rules} "
                              "WHERE rule_id = %s", (str(event.originator_id),))
            self._cooperation(sql, rule["creator_id"], make_goods_breached=1)

    def _cooperation(self, sql: Statements, creator_id: str, last_worked_with: str = "",
                     **added: int) -> None:
        counts = ("contracts", "published", "on_time", "late", "violations",
                  "make_goods_breached")
        if not sql.run("SELECT 1 FROM {creators_cooperation} WHERE creator_id = %s",
                       (creator_id,)):
            insert(sql, "creators_cooperation", {"creator_id": creator_id,
                                                 "last_worked_with": last_worked_with,
                                                 **{name: 0 for name in counts}})
        adding = ", ".join(f"{name} = {name} + %s" for name in counts)
        sql.run(f"UPDATE {{creators_cooperation}} SET {adding}, last_worked_with = "
                "CASE WHEN last_worked_with < %s THEN %s ELSE last_worked_with END "
                "WHERE creator_id = %s",
                [*(added.get(name, 0) for name in counts), last_worked_with, last_worked_with,
                 creator_id])

    # Folders: shared lists of the brand's creators (a deleted one leaves the list).

    @on(Folder.Created)
    def folder_created(self, event: Folder.Created, sql: Statements, at: Tracking) -> None:
        insert(sql, "creators_folders", {
            "folder_id": str(event.originator_id), "brand_id": event.brand_id,
            "name": event.name, "creators": 0, "created_at": moment(event.timestamp),
            **stamped(event)})

    @on(Folder.Renamed)
    def folder_renamed(self, event: Folder.Renamed, sql: Statements, at: Tracking) -> None:
        update(sql, "creators_folders", ("folder_id", str(event.originator_id)),
               {"name": event.name, **stamped(event)})

    @on(Folder.CreatorsAdded, Folder.CreatorsRemoved)
    def folder_changed(self, event: Any, sql: Statements, at: Tracking) -> None:
        folder_id = str(event.originator_id)
        for creator_id in event.creator_ids:
            sql.run("DELETE FROM {creators_folder_members} WHERE folder_id = %s AND "
                    "creator_id = %s", (folder_id, creator_id))
            if isinstance(event, Folder.CreatorsAdded):
                insert(sql, "creators_folder_members", {"folder_id": folder_id,
                                                        "creator_id": creator_id})
        (row,) = sql.run("SELECT COUNT(*) AS n FROM {creators_folder_members} "
                         "WHERE folder_id = %s", (folder_id,))
        update(sql, "creators_folders", ("folder_id", folder_id),
               {"creators": int(row["n"]), **stamped(event)})

    @on(Folder.Deleted)
    def folder_deleted(self, event: Folder.Deleted, sql: Statements, at: Tracking) -> None:
        folder_id = str(event.originator_id)
        sql.run("DELETE FROM {creators_folder_members} WHERE folder_id = %s", (folder_id,))
        sql.run("DELETE FROM {creators_folders} WHERE folder_id = %s", (folder_id,))

    @on(Creator.Registered)
    def registered(self, event: Creator.Registered, sql: Statements, at: Tracking) -> None:
        row = {"creator_id": str(event.originator_id), "brand_id": event.brand_id,
               "status": "active", **profile_columns(event.profile), "owner_id": None,
               "next_follow_up": None, "last_contact_at": None,
               "created_at": moment(event.timestamp), **stamped(event)}
        insert(sql, "creators_directory", row)
        self._prices(sql, str(event.originator_id), event.profile)

    @on(Creator.ProfileUpdated)
    def profile_updated(self, event: Creator.ProfileUpdated, sql: Statements,
                        at: Tracking) -> None:
        self._update(sql, event, **profile_columns(event.profile))
        self._prices(sql, str(event.originator_id), event.profile)

    @on(Creator.Paused, Creator.Blocked, Creator.Reactivated)
    def status_changed(self, event: Creator.Event, sql: Statements, at: Tracking) -> None:
        status = {Creator.Paused: "paused", Creator.Blocked: "blocked",
                  Creator.Reactivated: "active"}[type(event)]
        self._update(sql, event, status=status)

    @on(Creator.PayoutAccountOpened)
    def payout_account_opened(self, event: Creator.PayoutAccountOpened, sql: Statements,
                              at: Tracking) -> None:
        self._update(sql, event, has_payout_account=True)

    @on(Creator.OwnerAssigned)
    def owner_assigned(self, event: Creator.OwnerAssigned, sql: Statements,
                       at: Tracking) -> None:
        self._update(sql, event, owner_id=event.owner)

    @on(Creator.ContactLogged)
    def contact_logged(self, event: Creator.ContactLogged, sql: Statements,
                       at: Tracking) -> None:
        """The follow-up the latest contact set (none clears it); what was said stays out."""
        follow_up = event.contact.next_follow_up
        self._update(sql, event, next_follow_up=follow_up.isoformat() if follow_up else None,
                     last_contact_at=moment(event.contact.at))

    @on(Creator.PayoutAccountChanged, Creator.PersonalDataErased, Creator.NoteAdded)
    def changed_elsewhere(self, event: Creator.Event, sql: Statements, at: Tracking) -> None:
        """Nothing the row shows but its version and time: still the creator's latest."""
        self._update(sql, event)

    @staticmethod
    def _prices(sql: Statements, creator_id: str, profile: CreatorProfile) -> None:
        """One row a price range, so that a budget finds who fits it."""
        sql.run("DELETE FROM {creators_prices} WHERE creator_id = %s", (creator_id,))
        for price in profile.price_ranges:
            insert(sql, "creators_prices", {"creator_id": creator_id,
                                            "format": price.format.value,
                                            "currency": price.currency,
                                            "min_amount": price.min_amount,
                                            "max_amount": price.max_amount})

    def _update(self, sql: Statements, event: Creator.Event, **columns: Any) -> None:
        update(sql, "creators_directory", ("creator_id", str(event.originator_id)),
               columns | stamped(event))
