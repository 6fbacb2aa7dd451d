"""Every query parameter that names a record, on every read operation the OpenAPI document
lists, answers 404 when the record is another brand's: a filter leaks nothing."""

from typing import Any
from uuid import UUID

from application.payments.payouts import payout_id
from application.rights.make_goods import rule_id
from application.rights.usage_rights import right_id
from tests.api.conftest import API, Api
from tests.builders import (
    family_terms,
    given_active_contract,
    given_campaign,
    given_shipment,
    given_team,
)

SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)


NAMING = ("contract_id", "creator_id", "deliverable_id", "payout_id", "shipment_id",
          "rule_id", "right_id", "campaign_id", "owner_id", "aggregate_id")
# Each operation's other query parameters, where it needs some to be asked at all.
REQUIRED = {"/metrics/cost-lens": {"by": "contract"},
            "/usage-rights/check": {"channel": "organic_repost", "territory": "CN"}}


def their_records(api: Api) -> dict[str, str]:
    other = given_team(api.services)
    contract_id = given_active_contract(api.services, other, family_terms())
    api.services.run_policies()
    contract = api.services.contracts.get_contract(other.legal, contract_id)
    deliverables = api.services.deliverables.deliverables_of(
        other.ops, api.services.contracts.repository.get(UUID(contract_id)))
    return {"contract_id": contract_id, "creator_id": contract["creator_id"],
            "deliverable_id": str(deliverables[0]["id"]),
            "payout_id": str(payout_id(contract_id, "signing")),
            "shipment_id": given_shipment(api.services, other, contract_id),
            "rule_id": str(rule_id(contract_id, "views")),
            "right_id": str(right_id(contract_id, "repost")),
            "campaign_id": given_campaign(api.services, other), "owner_id": other.ops.user_id,
            "aggregate_id": contract_id}


def filtered_reads(api: Api) -> list[tuple[str, str]]:
    """(path, parameter) for every GET without path parameters and each naming filter."""
    document = api.client.get(f"{API}/openapi.json").json
    found = []
    for path, operations in document["paths"].items():
        get: dict[str, Any] | None = operations.get("get")
        if get is None or "{" in path:
            continue
        for parameter in get.get("parameters", []):
            if parameter["in"] == "query" and parameter["name"] in NAMING:
                found.append((path.removeprefix(API), parameter["name"]))
    return found


def test_a_filter_naming_another_brands_record_is_not_found_anywhere(api: Api) -> None:
    theirs = their_records(api)
    reads = filtered_reads(api)

    answers = {(path, name): api.call("GET", path, role="auditor", query_string={
        **REQUIRED.get(path, {}), name: theirs[name]}).status_code for path, name in reads}

    assert len(reads) >= 15, reads  # lists, totals, summaries and reports take such filters
    assert {read: status for read, status in answers.items() if status != 404} == {}


def test_a_filter_naming_ones_own_record_answers(api: Api) -> None:
    contract_id = given_active_contract(api.services, api.team, family_terms())

    answers = [api.call("GET", path, role="auditor", query_string={
        **REQUIRED.get(path, {}), "contract_id": contract_id}).status_code
        for path, name in filtered_reads(api) if name == "contract_id"]

    assert answers and set(answers) == {200}
