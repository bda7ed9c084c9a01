"""Trust's use cases: apply a consumer batch, rescore researchers, recompute everything under a new policy."""

from trust.service.batch import BatchApplier
from trust.service.events import Publishing
from trust.service.recompute_all import recompute_all

__all__ = ["BatchApplier", "Publishing", "recompute_all"]
