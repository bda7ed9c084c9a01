"""Plumbing every Sightline service shares: settings, database, outbox relay, Kafka, telemetry, health."""
