"""Size limits of a sighting, shared by the crawler API's checks and the adapters that respect them."""

MAX_AUTHORS = 10_000
MAX_KEYWORDS = 200
