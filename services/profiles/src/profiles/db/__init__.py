"""Profiles' database: tables, repositories and the unit of work."""
