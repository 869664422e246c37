"""Record every socket connect and name lookup of this Python process (a test's witness).

Put this folder on ``PYTHONPATH`` and name a log file in ``CIVICMAP_SOCKET_LOG``: each
``connect``, ``connect_ex``, ``sendto`` and name lookup appends one JSON line
``[call, address]`` to it before it happens. Nothing is blocked.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from typing import Any

_LOG = os.environ.get("CIVICMAP_SOCKET_LOG")
_LOCK = threading.Lock()


def _plain(address: Any) -> Any:
    if isinstance(address, bytes):
        return address.decode("utf-8", "replace")
    if isinstance(address, tuple):
        return [_plain(a) for a in address]
    return address


def _record(call: str, address: Any) -> None:
    line = json.dumps([call, _plain(address)], default=repr)
    with _LOCK, open(_LOG, "a", encoding="utf-8") as log:  # type: ignore[arg-type]
        log.write(line + "\n")


def _watch_method(name: str, address_at: int) -> None:
    original = getattr(socket.socket, name)

    def watched(self: socket.socket, *args: Any, **kwargs: Any) -> Any:
        _record(name, args[address_at] if len(args) > address_at else None)
        return original(self, *args, **kwargs)

    setattr(socket.socket, name, watched)


def _watch_lookup(name: str) -> None:
    original = getattr(socket, name)

    def watched(*args: Any, **kwargs: Any) -> Any:
        _record(name, args[0] if args else kwargs.get("host"))
        return original(*args, **kwargs)

    setattr(socket, name, watched)


if _LOG:
    _record("watching", os.getpid())  # proves the watch was loaded in this process
    _watch_method("connect", 0)
    _watch_method("connect_ex", 0)
    _watch_method("sendto", -1)
    for _name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr"):
        _watch_lookup(_name)
