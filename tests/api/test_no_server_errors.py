"""Whatever a client sends, the answer is a clear 4xx (or success), never a 500."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.conftest import Api, World

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                max_size=4),
    max_leaves=12,
)


SHARES_STORES = True  # each test works in a brand of its own (tests/conftest.py)


FIELDS = st.sampled_from(["title", "creator_id", "terms", "reason", "name", "display_name",
                          "kind", "handles", "fee", "accepted_at", "expected_version",
                          "source", "measured_at", "counts", "revenue", "items", "address",
                          "eta", "content", "days", "category", "deliverable_ids"])
BODIES = JSON | st.dictionaries(FIELDS, JSON, max_size=5)
WRITES = [("POST", "/creators"), ("PATCH", "/creators/{w.creator}"),
          ("POST", "/creators/{w.creator}/block"), ("POST", "/contracts"),
          ("PUT", "/contracts/{w.draft}/terms"), ("POST", "/contracts/{w.draft}/sign"),
          ("POST", "/contracts/{w.draft}/creator-acceptance"),
          ("POST", "/contracts/{w.draft}/amendments"), ("POST", "/contracts/{w.draft}/cancel"),
          ("POST", "/deliverables/{w.published}/metrics"), ("POST", "/shipments"),
          ("POST", "/deliverables/{w.proposed}/proposals/1/grant"),
          ("POST", "/deliverables/{w.deliverable}/extend"),
          ("POST", "/deliverables/{w.deliverable}/outline")]
OPS_PATHS = ("/creators", "/deliverables", "/shipments")


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(endpoint=st.sampled_from(WRITES), body=BODIES)
def test_arbitrary_json_never_causes_a_server_error(api: Api, world: World,
                                                   endpoint: tuple[str, str],
                                                   body: object) -> None:
    method, path = endpoint
    role = "ops" if path.startswith(OPS_PATHS) else "legal"

    response = api.call(method, path.format(w=world), role=role, json=body)

    assert response.status_code < 500, response.json
    assert response.status_code in (200, 201) or \
        response.content_type == "application/problem+json"


CSV_CELLS = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
CSV_FILES = st.lists(st.lists(CSV_CELLS, max_size=6), max_size=5).map(
    lambda rows: "\n".join(",".join(row) for row in rows))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.sampled_from(["", "deliverable,date,views\n", "追踪码,日期,播放量,成交金额\n"]),
       text=CSV_FILES | st.binary(max_size=60).map(lambda b: b.decode("latin-1")))
def test_arbitrary_csv_never_causes_a_server_error(api: Api, world: World, header: str,
                                                  text: str) -> None:
    response = api.call("POST", "/metrics/imports?source=fuzz", role="ops",
                        data=(header + text).encode("utf-8", "surrogatepass"),
                        headers={"Content-Type": "text/csv"})

    assert response.status_code < 500, response.json
    assert response.status_code == 201 or response.content_type == "application/problem+json"
