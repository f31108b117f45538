"""Run localstripe (the fake Stripe server the payment tests use) on 127.0.0.1 only.

localstripe's own command listens on every interface and pickles its store to a fixed file in
/tmp after each write; the tests want neither: a port of theirs on loopback, a store in memory.
Usage: python tools/localstripe_loopback.py PORT
"""

import sys

from aiohttp import web
from localstripe import resources, server


def main() -> None:
    port = int(sys.argv[1])
    resources.Store.dump_to_disk = lambda self: None  # type: ignore[method-assign]
    web.run_app(server.app, host="127.0.0.1", port=port, access_log=None, print=None)


if __name__ == "__main__":
    main()
