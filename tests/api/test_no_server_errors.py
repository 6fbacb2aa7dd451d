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
FIELDS = st.sampled_from(["title", "creator_id", "terms", "reason", "name", "display_name",
                          "kind", "handles", "fee", "accepted_at", "expected_version"])
BODIES = JSON | st.dictionaries(FIELDS, JSON, max_size=5)
WRITES = [("POST", "/creators"), ("PATCH", "/creators/{w.creator}"),
          ("POST", "/creators/{w.creator}/block"), ("POST", "/contracts"),
          ("PUT", "/contracts/{w.draft}/terms"), ("POST", "/contracts/{w.draft}/sign"),
          ("POST", "/contracts/{w.draft}/creator-acceptance"),
          ("POST", "/contracts/{w.draft}/amendments"), ("POST", "/contracts/{w.draft}/cancel")]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(endpoint=st.sampled_from(WRITES), body=BODIES)
def test_arbitrary_json_never_causes_a_server_error(api: Api, world: World,
                                                   endpoint: tuple[str, str],
                                                   body: object) -> None:
    method, path = endpoint
    role = "ops" if path.startswith("/creators") else "legal"

    response = api.call(method, path.format(w=world), role=role, json=body)

    assert response.status_code < 500, response.json
    assert response.status_code in (200, 201) or \
        response.content_type == "application/problem+json"
