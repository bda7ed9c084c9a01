"""Sightline profiles: canonical works, researchers (author disambiguation) and the research graph."""
