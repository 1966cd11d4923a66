"""The tests' rule for moto itself: no connection beyond loopback, and no name looked up that is not loopback's."""

from __future__ import annotations

import sys
import functools
from typing import Any


# The tests' rule: nothing sends traffic beyond loopback. moto's own code may try (botocore's credential
# chain asks the instance metadata service at 169.254.169.254): such a connection is refused here, and
# said on stderr in a line the Node side looks for (test/integration/moto-server.ts fails the suite on it).
# A connection to a name starts with resolving it, and the resolver's query (to the DNS server of
# /etc/resolv.conf) leaves the machine before connect is ever called: a name that is not loopback's is refused
# before it is looked up, with the same line (getaddrinfo, and the older gethostbyname* calls that Python's
# socket module resolves through as well, and gethostbyaddr's reverse lookup).
REFUSED = "xregion launcher: refused a connection beyond loopback to"
LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def loopback_only() -> None:
    import errno
    import ipaddress
    import socket

    def is_loopback(host: Any) -> bool:
        text = host.decode() if isinstance(host, bytes) else str(host)
        try:
            return ipaddress.ip_address(text.split("%")[0]).is_loopback
        except ValueError:
            return text.lower().rstrip(".") in LOOPBACK_NAMES

    def refuse(host: Any, port: Any) -> None:
        sys.stderr.write(f"{REFUSED} {host}:{port}\n")
        sys.stderr.flush()

    def allowed(address: Any) -> bool:
        return not isinstance(address, tuple) or is_loopback(address[0])  # not a tuple: a Unix socket

    def guard(original):
        @functools.wraps(original)
        def connect(self, address, *rest):
            if not allowed(address):
                refuse(address[0], address[1])
                raise OSError(errno.ENETUNREACH, f"refused by the test launcher: {address[0]} is not loopback")
            return original(self, address, *rest)
        return connect

    def guard_lookup(original, port_at: int | None = 1):
        @functools.wraps(original)
        def lookup(host, *rest, **kwargs):
            # None asks for the wildcard or loopback address: no query is sent for it.
            if host is not None and not is_loopback(host):
                refuse(host, rest[port_at - 1] if port_at and len(rest) >= port_at else kwargs.get("port", "(lookup)"))
                raise socket.gaierror(socket.EAI_NONAME, f"refused by the test launcher: {host} is not loopback")
            return original(host, *rest, **kwargs)
        return lookup

    socket.socket.connect = guard(socket.socket.connect)
    socket.socket.connect_ex = guard(socket.socket.connect_ex)
    socket.getaddrinfo = guard_lookup(socket.getaddrinfo)
    socket.gethostbyname = guard_lookup(socket.gethostbyname, port_at=None)
    socket.gethostbyname_ex = guard_lookup(socket.gethostbyname_ex, port_at=None)
    socket.gethostbyaddr = guard_lookup(socket.gethostbyaddr, port_at=None)
