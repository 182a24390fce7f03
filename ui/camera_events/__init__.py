"""Camera events on the console: suggested-sighting cards, the events list, tile flashes."""
