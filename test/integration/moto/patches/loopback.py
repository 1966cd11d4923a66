"""The tests' rule for moto itself: no connection beyond loopback."""

from __future__ import annotations

import sys
import functools
from typing import Any


# The tests' rule: nothing sends traffic beyond loopback. moto's own code may try (botocore's credential
# chain asks the instance metadata service at 169.254.169.254): such a connection is refused here, and
# said on stderr in a line the Node side looks for (test/integration/moto-server.ts fails the suite on it).
REFUSED = "xregion launcher: refused a connection beyond loopback to"


def loopback_only() -> None:
    import errno
    import ipaddress
    import socket

    def allowed(address: Any) -> bool:
        if not isinstance(address, tuple):
            return True  # a Unix socket
        try:
            return ipaddress.ip_address(address[0]).is_loopback
        except ValueError:
            return address[0] == "localhost"

    def guard(original):
        @functools.wraps(original)
        def connect(self, address, *rest):
            if not allowed(address):
                sys.stderr.write(f"{REFUSED} {address[0]}:{address[1]}\n")
                sys.stderr.flush()
                raise OSError(errno.ENETUNREACH, f"refused by the test launcher: {address[0]} is not loopback")
            return original(self, address, *rest)
        return connect

    socket.socket.connect = guard(socket.socket.connect)
    socket.socket.connect_ex = guard(socket.socket.connect_ex)
