"""The web chat (``circuitsmith serve``): designs, datasheets and sizing in a browser."""
