"""Ingest database layer: tables, repositories and the unit of work."""
