"""The rules implementations behind the design agents: engineering from part records, one concept per module."""
