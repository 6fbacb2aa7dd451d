"""python -m doubles.stripe_server.wait URL: waits (up to 15 s) until the test server answers."""

import sys
import time
import urllib.error
import urllib.request


def main() -> int:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{sys.argv[1]}/v1/balance", timeout=1)
        except urllib.error.HTTPError:
            return 0  # it answers (401 without a key): it is up
        except OSError:
            time.sleep(0.2)
        else:
            return 0
    print(f"The Stripe test server at {sys.argv[1]} did not start.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
