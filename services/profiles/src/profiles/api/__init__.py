"""The public HTTP API of profiles: researchers, works, the research graph; health, readiness and progress."""

from profiles.api.app import create_app
from profiles.api.schemas import Researcher, Work

__all__ = ["Researcher", "Work", "create_app"]
