"""A CircuitJSON built from short tuples, for the drawing and export tests."""
from circuit.model import Circuit

SVG = "{http://www.w3.org/2000/svg}"


def circuit(title: str, parts: list[tuple], wires: list[tuple[str, str]]) -> Circuit:
    """``parts``: (id, type[, attrs]); ``wires``: ("R1:1", "U1:D2") pairs."""
    return Circuit.model_validate({
        "version": 1, "title": title,
        "parts": [{"id": p[0], "type": p[1], "attrs": p[2] if len(p) > 2 else {}} for p in parts],
        "connections": [[a, b, "green", []] for a, b in wires],
    })
