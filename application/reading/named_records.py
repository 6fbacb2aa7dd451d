"""Records named by a list's, summary's or report's filters are checked like the records
themselves: one of another brand (or none at all) is not found, so a filter can
neither read another brand's figures nor confirm that its records exist.

The check reads the event store, not a read model, so a record written a moment
ago is found even before the read models have it.
"""

from collections.abc import Mapping
from typing import Any

from eventsourcing.application import AggregateNotFoundError, Application

from application.common.actor import Actor
from application.common.kolpact_app import as_uuid
from application.errors import NotFound
from domain.identity import Brand

# filter -> (application, what the error calls it); None: a record of any application
NAMED = {"contract_id": ("contracts", "contract"), "creator_id": ("creators", "creator"),
         "deliverable_id": ("deliverables", "deliverable"), "payout_id": ("payouts", "payout"),
         "shipment_id": ("shipments", "shipment"), "rule_id": ("make_goods", "make-good rule"),
         "right_id": ("usage_rights", "usage right"),
         "campaign_id": ("campaigns", "campaign"), "owner_id": ("identity", "user"),
         "folder_id": ("creators", "folder"),
         "program_id": ("distribution", "program"),
         "distributor_id": ("distribution", "distributor"),
         "recruiter_id": ("distribution", "distributor"),
         "aggregate_id": None}


class NamedRecords:
    def __init__(self, applications: Mapping[str, Application]) -> None:
        self.applications = applications

    def ensure_visible(self, actor: Actor, filters: Mapping[str, Any]) -> None:
        """Raises NotFound for the first filter that names a record the actor may not see."""
        for name, value in filters.items():
            if name in NAMED and value is not None and value != "":
                where = NAMED[name]
                names = [where[0]] if where else list(self.applications)
                self._ensure(actor, str(value), names, where[1] if where else "record")

    def _ensure(self, actor: Actor, record_id: str, application_names: list[str],
                what: str) -> None:
        uuid = as_uuid(record_id, what)
        for name in application_names:
            try:
                record: Any = self.applications[name].repository.get(uuid)
            except AggregateNotFoundError:
                continue
            owners = brands_of(record) or brands_of(self._user_of(name, record))
            if actor.all_brands or owners & actor.brand_ids:
                return
            break
        raise NotFound(f"No {what} with that id.")


    def _user_of(self, application_name: str, record: Any) -> Any:
        """An API token belongs to the brands of its user."""
        user_id = getattr(record, "user_id", None)
        if not isinstance(user_id, str):
            return None
        try:
            return self.applications[application_name].repository.get(as_uuid(user_id,
                                                                               "user"))
        except (AggregateNotFoundError, NotFound):
            return None


def brands_of(record: Any) -> set[str]:
    if record is None:
        return set()
    if isinstance(record, Brand):
        return {str(record.id)}
    if isinstance(getattr(record, "brand_id", None), str):
        return {record.brand_id}
    return set(getattr(record, "brand_ids", ()) or ())
