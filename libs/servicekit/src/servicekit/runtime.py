"""Process tuning every service applies once at start-up."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Handling a batch allocates hundreds of thousands of short-lived objects that reference counting frees anyway; at
# CPython's default thresholds (700, 10, 10) the cyclic collector ran hundreds of passes per batch over an ever
# larger heap (py-spy showed the time inside trivial comprehensions and JSON parsing: a third of profiles' CPU).
GEN0_THRESHOLD = 100_000
GEN1_THRESHOLD = 20
GEN2_THRESHOLD = 100


def tune_gc() -> None:
    """Move everything alive at start-up out of the collector's sight and collect young objects far less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GEN0_THRESHOLD, GEN1_THRESHOLD, GEN2_THRESHOLD)


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection inside the block (one consumer batch); collection resumes after it.

    A batch's objects live until its end (its state) or die by reference counting, so collecting during it only
    walked them again and again: with the thresholds above still a sixth of profiles' consumer CPU. A batch is
    bounded, so what cyclic garbage it makes waits at most one batch.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
