"""Running a coroutine from a test, whatever event loop the test's thread already has."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def in_own_loop(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine in a thread of its own (the browser tests leave a loop running)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()
