"""The test server as a real HTTP server on 127.0.0.1, in a thread, for end-to-end tests."""

import argparse
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from flask import Response, request
from werkzeug.serving import BaseWSGIServer, make_server

from doubles.stripe_server.app import create_app
from doubles.stripe_server.state import Deliver, StripeState


@dataclass
class RunningServer:
    state: StripeState
    url: str
    server: BaseWSGIServer
    thread: threading.Thread

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


def serve(state: StripeState | None = None, port: int = 0, state_file: Path | None = None
          ) -> RunningServer:
    state = state or StripeState()
    app = create_app(state)
    if state_file is not None:
        @app.after_request
        def keep(response: Response) -> Response:
            if request.method != "GET":
                state.save(state_file)
            return response
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="stripe-test-server",
                              daemon=True)
    thread.start()
    return RunningServer(state, f"http://127.0.0.1:{server.server_port}", server, thread)


def http_deliverer(url: str) -> Deliver:
    """Webhook deliveries as real HTTP POSTs to `url`."""

    def deliver(payload: bytes, headers: dict[str, str]) -> int:
        request = urllib.request.Request(url, data=payload, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    return deliver


def main() -> None:
    """python -m doubles.stripe_server.server --port 12111 --webhook URL --secret whsec_..."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--port", type=int, default=12111)
    parser.add_argument("--api-key", default="sk_test_kolpact")
    parser.add_argument("--webhook", help="where to deliver signed events")
    parser.add_argument("--secret", default="whsec_kolpact_demo")
    parser.add_argument("--auto-onboard", action="store_true",
                        help="new accounts can receive transfers at once (demo)")
    parser.add_argument("--state", type=Path, help="keep accounts, transfers and keys in "
                        "this file across restarts")
    args = parser.parse_args()
    state = StripeState(api_key=args.api_key)
    state.auto_onboard = args.auto_onboard
    if args.state and args.state.exists():
        state.restore(args.state)
    if args.webhook:
        state.add_webhook(http_deliverer(args.webhook), args.secret)
    running = serve(state, args.port, args.state)
    print(f"Stripe test server on {running.url} (API key {state.api_key})", flush=True)
    running.thread.join()


if __name__ == "__main__":
    main()
