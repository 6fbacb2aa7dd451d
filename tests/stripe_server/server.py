"""The test server as a real HTTP server on 127.0.0.1, in a thread, for end-to-end tests."""

import threading
from dataclasses import dataclass

from werkzeug.serving import BaseWSGIServer, make_server

from tests.stripe_server.app import create_app
from tests.stripe_server.state import StripeState


@dataclass
class RunningServer:
    state: StripeState
    url: str
    server: BaseWSGIServer
    thread: threading.Thread

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


def serve(state: StripeState | None = None, port: int = 0) -> RunningServer:
    state = state or StripeState()
    server = make_server("127.0.0.1", port, create_app(state), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="stripe-test-server",
                              daemon=True)
    thread.start()
    return RunningServer(state, f"http://127.0.0.1:{server.server_port}", server, thread)


if __name__ == "__main__":  # python -m tests.stripe_server.server [PORT]
    import sys

    running = serve(port=int(sys.argv[1]) if len(sys.argv) > 1 else 12111)
    print(f"Stripe test server on {running.url} (API key {running.state.api_key})", flush=True)
    running.thread.join()
