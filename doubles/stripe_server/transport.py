"""An HTTP client for the `stripe` library that calls the test server in-process."""

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import stripe

from doubles.stripe_server.app import TIMEOUT_HEADER, create_app
from doubles.stripe_server.state import StripeState


class InProcessClient(stripe.HTTPClient):
    """Requests go straight to the test server's WSGI app: no sockets, same wire format.
    A "timeout_after" fault surfaces as the connection error the library would raise."""

    name = "kolpact-in-process"

    def __init__(self, state: StripeState) -> None:
        super().__init__()
        self.state = state
        self.client = create_app(state).test_client()

    def request(self, method: str, url: str, headers: Mapping[str, str] | None,
                post_data: Any = None, *, _usage: Any = None
                ) -> tuple[str, int, Mapping[str, str]]:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = self.client.open(path, method=method.upper(), headers=dict(headers or {}),
                                    data=post_data)
        if response.headers.get(TIMEOUT_HEADER):
            raise stripe.APIConnectionError("Request timed out (injected by the test server).",
                                            should_retry=True)
        return response.get_data(as_text=True), response.status_code, dict(response.headers)

    def request_stream(self, method: str, url: str, headers: Mapping[str, str] | None,
                       post_data: Any = None, *, _usage: Any = None) -> Any:
        raise NotImplementedError("kolpact does not stream from Stripe")

    def close(self) -> None:
        """Nothing to close."""
