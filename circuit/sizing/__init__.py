"""Sizing engine: building blocks with SPICE testbenches, E-series optimisation, tolerance analysis."""
