"""Adapters: turn the formats scholarly sources publish into crawler-API sightings, record by record."""
