"""Process tuning every service applies once at start-up."""

from __future__ import annotations

import gc

# Request handling allocates tens of thousands of short-lived objects per batch that reference counting frees
# anyway; at CPython's default gen-0 threshold (700) the cyclic collector runs hundreds of times per request
# and rescans every long-lived object (modules, the app, caches) on each older-generation pass.
GEN0_THRESHOLD = 50_000


def tune_gc() -> None:
    """Move everything alive at start-up out of the collector's sight and collect young objects less often."""
    gc.collect()
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GEN0_THRESHOLD, gen1, gen2)
