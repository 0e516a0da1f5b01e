"""The domain core every pipeline shares: CircuitJSON, units and E-series, ERC, SPICE netlisting and simulation, SVG rendering, exporters."""
