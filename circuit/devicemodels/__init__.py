"""Device models from datasheet figures (placeholder docstring, see below)."""
