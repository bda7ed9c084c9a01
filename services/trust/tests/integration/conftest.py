"""Trust's integration fixtures (defined in support.py, beside the helpers the tests import)."""

from .support import database_url, maintenance_url, other_database_url, settings, topic_prefix

__all__ = ["database_url", "maintenance_url", "other_database_url", "settings", "topic_prefix"]
