"""The public HTTP API of trust: snapshots with evidence, history, source reputations; health and progress."""

from trust.api.app import create_app
from trust.api.schemas import TrustOut

__all__ = ["TrustOut", "create_app"]
