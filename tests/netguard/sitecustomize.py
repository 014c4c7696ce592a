"""Loaded at start-up by every Python process the tests run (PYTHONPATH holds this folder):
refuses and records any attempt to reach an address off this machine.

The record goes to $INTERVIEW_NETGUARD_LOG, one line per attempt, and the test session fails
when it is not empty (tests/conftest.py). Loopback and Unix sockets are allowed.
"""

import ipaddress
import os
import socket
import traceback

LOG = os.environ.get("INTERVIEW_NETGUARD_LOG")
LOCAL_NAMES = {None, "", "localhost", "ip6-localhost", "0.0.0.0", "::"}


def _local(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    if host in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _refuse(what: str) -> None:
    import sys

    stack = " | ".join(line.strip().replace("\n", " ") for line in traceback.format_stack(limit=40)[:-2])
    with open(LOG, "a", encoding="utf-8") as f:
        f.write(f"pid {os.getpid()} ({' '.join(sys.argv)[:200]}): {what} from {stack}\n")
    raise OSError(101, f"network guard: {what} refused (tests may not leave 127.0.0.1)")


if LOG:
    _connect, _connect_ex, _getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _local(address[0]):
            _refuse(f"connect to {address!r}")
        return _connect(self, address)

    def connect_ex(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _local(address[0]):
            _refuse(f"connect to {address!r}")
        return _connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if not _local(host) and host != socket.gethostname():
            _refuse(f"name lookup of {host!r}")
        return _getaddrinfo(host, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = connect, connect_ex, getaddrinfo
