"""The network guard of the test run works: an attempt to leave the machine is refused and recorded,
in this process and in a process the tests start; loopback is allowed."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest


def test_the_guard_refuses_and_records_off_machine_connections(tmp_path, monkeypatch):
    log = Path(os.environ["INTERVIEW_NETGUARD_LOG"])
    before = log.read_text() if log.exists() else ""
    code = (
        "import socket\n"
        "s = socket.socket()\n"
        "try:\n    s.connect(('203.0.113.9', 443))\nexcept OSError as e:\n    print('refused' if 'network guard' in str(e) else e)\n"
        "try:\n    socket.getaddrinfo('huggingface.co', 443)\n"
        "except OSError as e:\n    print('refused' if 'network guard' in str(e) else e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert out.stdout.split() == ["refused", "refused"], out.stderr
    added = log.read_text()[len(before) :]
    assert "203.0.113.9" in added and "huggingface.co" in added
    # remove what this test added, so the session's own check stays about real attempts
    log.write_text(before)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    with socket.create_connection(server.getsockname(), timeout=5):  # loopback: allowed
        pass
    server.close()
    with pytest.raises(OSError, match="network guard"):
        socket.create_connection(("198.51.100.7", 80), timeout=5)
    log.write_text(before)
