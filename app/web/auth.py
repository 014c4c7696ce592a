"""Who is using the web app: logins from --auth / --auth-file, the loopback check, the profile of a request."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from index.errors import InterviewError
from index.files import read_text


def parse_auth(values: list[str] | None, file: Path | None = None) -> list[tuple[str, str]] | None:
    """The (user, password) pairs of --auth and --auth-file; None when neither is given.

    Errors name the place (`--auth` or `FILE:LINE`) and the user, never the password."""
    items = [(v, "--auth") for v in values or []]
    if file is not None:
        lines = read_text(file, "auth file").splitlines()
        items += [(line.strip(), f"{file}:{no}") for no, line in enumerate(lines, 1) if line.strip() and not line.lstrip().startswith("#")]
        if not items:
            raise InterviewError(f"{file} has no USER:PASS lines: add one line per user")
    if not items:
        return None
    pairs: dict[str, str] = {}
    for value, where in items:
        user, sep, password = value.partition(":")
        if not sep or not user.strip() or not password:
            shown = user.strip() or "?"
            raise InterviewError(f"{where}: each login must be USER:PASS with both parts non-empty (user '{shown}')")
        if user.strip() in pairs:
            raise InterviewError(f"{where}: user '{user.strip()}' is given twice: keep one password per user")
        pairs[user.strip()] = password
    return list(pairs.items())


def is_loopback(host: str) -> bool:
    """Whether an address to listen on is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def profile_of(request, typed: str) -> str:
    """The logged-in user name, else the profile the user typed (or 'default')."""
    user = getattr(request, "username", None) if request is not None else None
    return user or (typed or "").strip()[:64] or "default"
