"""The schedule families, grouped by the shape of their rate."""
