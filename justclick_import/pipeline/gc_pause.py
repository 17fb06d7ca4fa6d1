"""Pausing the cyclic garbage collector while a stage builds millions of lasting objects."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["gc_paused"]


@contextlib.contextmanager
def gc_paused(*, settle: bool = False) -> Iterator[None]:
    """Pause the cyclic collector for the block, then restore it as it was.

    Rows, lines, orders and problems hold no reference cycles, yet each collection walks all of
    them again: on a million lines that made assembling orders 3x slower. Nothing is leaked:
    reference counting still frees what is dropped, and the few cycles made meanwhile are
    collected once the collector resumes (if it was on). With ``settle``, one full collection
    then makes them old at once (0.9 s for 1M lines) rather than walking them up through each
    younger generation while the next stage runs (1.9 s for the sender's results).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            if settle:
                gc.collect()
