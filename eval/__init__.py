"""Offline quality measurements of Sightline's engines on the real sample data (../shared/data)."""
