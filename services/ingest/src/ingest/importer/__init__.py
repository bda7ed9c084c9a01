"""The bulk importer: stream files through an adapter and post batches of sightings to the crawler API."""
