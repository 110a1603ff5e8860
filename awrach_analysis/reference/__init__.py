"""The outside world: communes and census, place names, published programme figures."""
