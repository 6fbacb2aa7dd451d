"""Folders over HTTP: made with creators, filled, emptied, renamed, deleted with a reason;
their creators listed through the directory; another brand's ids: 404."""

from tests.api.conftest import Api
from tests.builders import given_creator, given_team

SHARES_STORES = True


def test_a_folder_is_kept_and_its_creators_listed(api: Api) -> None:
    first, second, third = (given_creator(api.services, api.team) for _ in range(3))

    made = api.call("POST", "/folders", role="ops", json={
        "name": "Beauty KOCs Shanghai", "creator_ids": [first, second]},
        headers={"Idempotency-Key": "folder-1"})
    again = api.call("POST", "/folders", role="ops", json={
        "name": "Beauty KOCs Shanghai", "creator_ids": [first, second]},
        headers={"Idempotency-Key": "folder-1"})
    path = f"/folders/{made.json['id']}"
    api.call("POST", f"{path}/creators", role="legal", json={"creator_ids": [third, first]})
    api.call("POST", f"{path}/creators/remove", role="ops", json={"creator_ids": [second]})
    renamed = api.call("POST", f"{path}/rename", role="ops", json={"name": "Skincare KOCs"})
    api.services.read_models.catch_up()
    listed = api.call("GET", "/creators", role="finance", query_string={
        "folder_id": made.json["id"]})
    folders = api.call("GET", "/folders", role="auditor")

    assert made.status_code == 201 and again.json["id"] == made.json["id"]
    assert renamed.json["creator_ids"] == [first, third]
    assert sorted(c["creator_id"] for c in listed.json["items"]) == sorted([first, third])
    assert [(f["name"], f["creators"]) for f in folders.json["items"]] == [("Skincare KOCs", 2)]


def test_a_deleted_folder_leaves_the_list_and_says_why_in_its_history(api: Api) -> None:
    made = api.call("POST", "/folders", role="ops", json={"name": "Winter KOLs"}).json
    path = f"/folders/{made['id']}"

    unexplained = api.call("POST", f"{path}/delete", role="ops", json={})
    deleted = api.call("POST", f"{path}/delete", role="ops", json={"reason": "Season over"})
    api.services.read_models.catch_up()

    assert unexplained.status_code == 422 and deleted.json["deleted"] is True
    assert api.call("GET", "/folders").json["items"] == []
    assert api.call("POST", f"{path}/rename", role="ops", json={"name": "x"}).status_code == 409


def test_another_brands_folders_and_creators_are_not_found(api: Api) -> None:
    other = given_team(api.services)
    theirs = api.services.creators.create_folder(other.ops, "Theirs")["id"]
    their_creator = given_creator(api.services, other)
    mine = api.call("POST", "/folders", role="ops", json={"name": "Mine"}).json["id"]
    before = api.events()

    answers = [
        api.call("GET", f"/folders/{theirs}").status_code,
        api.call("POST", f"/folders/{theirs}/rename", role="ops", json={"name": "x"}).status_code,
        api.call("POST", f"/folders/{theirs}/creators", role="ops",
                 json={"creator_ids": [given_creator(api.services, api.team)]}).status_code,
        api.call("POST", f"/folders/{mine}/creators", role="ops",
                 json={"creator_ids": [their_creator]}).status_code,
        api.call("POST", "/folders", role="ops", json={
            "name": "x", "creator_ids": [their_creator]}).status_code,
        api.call("GET", "/creators", query_string={"folder_id": theirs}).status_code,
        api.call("POST", f"/folders/{theirs}/delete", role="ops",
                 json={"reason": "x"}).status_code,
    ]

    assert answers == [404] * len(answers)
    assert api.events() == before + 1  # the creator registered for the third call


def test_only_ops_and_legal_keep_folders(api: Api) -> None:
    assert api.call("POST", "/folders", role="finance", json={"name": "x"}).status_code == 403
    assert api.call("POST", "/folders", role="ops", json={"name": " "}).status_code == 422
