"""A Stripe test server: stateful, speaking Stripe's wire format for the endpoints kolpact uses.

A test double, installed with kolpact so that `make run` pays through it for the
demo (the tests start it too); never for real money. localstripe has no Connect
accounts or transfers and ignores idempotency keys; stripe-stateful-mock has no
transfers or webhooks; stripe-mock keeps no state. So this one covers exactly what kolpact calls:
accounts, account links, transfers and reversals, balance and events, with
Stripe's idempotency rules, signed webhook delivery and injected faults.

Use it in-process (`InProcessClient`, a stripe HTTP client transport) for fast
tests, or as a real HTTP server on 127.0.0.1 (`serve`) for end-to-end tests;
either way the code under test goes through the real `stripe` library.
"""

from doubles.stripe_server.app import create_app
from doubles.stripe_server.server import RunningServer, serve
from doubles.stripe_server.state import Fault, StripeState
from doubles.stripe_server.transport import InProcessClient

__all__ = ["Fault", "InProcessClient", "RunningServer", "StripeState", "create_app", "serve"]
