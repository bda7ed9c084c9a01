"""Sightline trust: explainable trust snapshots of researchers."""
