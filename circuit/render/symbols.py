"""Schematic symbols drawn with svgwrite, in their canonical frame.

Two-terminal symbols are vertical with terminal ``a`` at (0, -30) and ``b`` at (0, 30);
current flows a → b (anode on top for diodes and LEDs, + on top for batteries and polarised
capacitors). Transistors have the base/gate on the left at (-30, 0) and the other two
terminals at (10, ±30). The caller rotates the group; text is never drawn here (it would
rotate with the symbol) except through :func:`centre_letter`.

Resistors use the zigzag (ANSI) symbol throughout, potentiometers included.
"""

from __future__ import annotations

import svgwrite
from svgwrite.container import Group

INK = "#111"
LW = 1.6


def _line(dwg: svgwrite.Drawing, g: Group, *pts: tuple[float, float], width: float = LW) -> None:
    g.add(dwg.polyline(points=list(pts), fill="none", stroke=INK, stroke_width=width,
                       stroke_linejoin="round", stroke_linecap="round"))


def _arrowhead(dwg: svgwrite.Drawing, g: Group, tip: tuple[float, float], frm: tuple[float, float],
               size: float = 5.0, fill: str = INK) -> None:
    dx, dy = tip[0] - frm[0], tip[1] - frm[1]
    n = (dx * dx + dy * dy) ** 0.5 or 1.0
    ux, uy = dx / n, dy / n
    bx, by = tip[0] - ux * size, tip[1] - uy * size
    px, py = -uy * size * 0.55, ux * size * 0.55
    g.add(dwg.polygon(points=[tip, (bx + px, by + py), (bx - px, by - py)], fill=fill, stroke=fill, stroke_width=0.6))


def _zigzag(dwg: svgwrite.Drawing, g: Group) -> None:
    pts = [(0, -30), (0, -15)]
    for i in range(6):
        pts.append((6 if i % 2 == 0 else -6, -12.5 + i * 5))
    pts += [(0, 15), (0, 30)]
    _line(dwg, g, *pts)


def resistor(dwg, g, shape) -> None:
    _zigzag(dwg, g)


def potentiometer(dwg, g, shape) -> None:
    _zigzag(dwg, g)
    _line(dwg, g, (30, 0), (14, 0))
    _arrowhead(dwg, g, (8, 0), (14, 0), 7)


def capacitor(dwg, g, shape) -> None:
    _line(dwg, g, (0, -30), (0, -4))
    _line(dwg, g, (0, 4), (0, 30))
    _line(dwg, g, (-11, -4), (11, -4), width=2.4)
    _line(dwg, g, (-11, 4), (11, 4), width=2.4)


def capacitor_polarized(dwg, g, shape) -> None:
    _line(dwg, g, (0, -30), (0, -4))
    _line(dwg, g, (0, 3), (0, 30))
    _line(dwg, g, (-11, -4), (11, -4), width=2.4)
    g.add(dwg.path(d="M -11,8 Q 0,1 11,8", fill="none", stroke=INK, stroke_width=2.4))
    _line(dwg, g, (-12, -11), (-6, -11), width=1.2)
    _line(dwg, g, (-9, -14), (-9, -8), width=1.2)


def inductor(dwg, g, shape) -> None:
    _line(dwg, g, (0, -30), (0, -16))
    _line(dwg, g, (0, 16), (0, 30))
    g.add(dwg.path(d="M 0,-16 a 4,4 0 0 1 0,8 a 4,4 0 0 1 0,8 a 4,4 0 0 1 0,8 a 4,4 0 0 1 0,8",
                   fill="none", stroke=INK, stroke_width=LW))


def coil(dwg, g, shape) -> None:
    """A solenoid or relay coil: the winding in a box."""
    inductor(dwg, g, shape)
    g.add(dwg.rect((-9, -19), (18, 38), fill="none", stroke=INK, stroke_width=1.2))


def _diode_body(dwg, g, fill: str = INK) -> None:
    _line(dwg, g, (0, -30), (0, -8))
    _line(dwg, g, (0, 8), (0, 30))
    g.add(dwg.polygon(points=[(-9, -8), (9, -8), (0, 8)], fill=fill, stroke=INK, stroke_width=LW,
                      stroke_linejoin="round"))


def diode(dwg, g, shape) -> None:
    _diode_body(dwg, g)
    _line(dwg, g, (-9, 8), (9, 8), width=2)


def zener(dwg, g, shape) -> None:
    _diode_body(dwg, g)
    _line(dwg, g, (-12, 11), (-9, 8), (9, 8), (12, 5), width=2)


def led(dwg, g, shape) -> None:
    _diode_body(dwg, g, fill=shape.color or "#fff")
    _line(dwg, g, (-9, 8), (9, 8), width=2)
    for y in (-4, 3):
        _line(dwg, g, (11, y), (19, y - 6), width=1.2)
        _arrowhead(dwg, g, (22, y - 8.25), (19, y - 6), 5)


def switch(dwg, g, shape) -> None:
    """Normally-open push button: two contacts, a bridging bar and the plunger."""
    _line(dwg, g, (0, -30), (0, -12))
    _line(dwg, g, (0, 12), (0, 30))
    for y in (-12, 12):
        g.add(dwg.circle(center=(0, y), r=2.2, fill="#fff", stroke=INK, stroke_width=1.2))
    _line(dwg, g, (-8, -15), (-8, 15), width=2)
    _line(dwg, g, (-8, 0), (-14, 0), width=1.4)
    _line(dwg, g, (-14, -5), (-14, 5), width=1.4)


def battery(dwg, g, shape) -> None:
    """A power source drawn by its kind (``shape.look``): cells, a wall adapter, a USB port, a bench
    supply, a solar panel, or a plain DC source."""
    look = getattr(shape, "look", None) or "battery"
    if look != "battery":
        _source(dwg, g, look)
        return
    _line(dwg, g, (0, -30), (0, -7))
    _line(dwg, g, (0, 7), (0, 30))
    _line(dwg, g, (-12, -7), (12, -7), width=1.6)
    _line(dwg, g, (-6, -3), (6, -3), width=3.2)
    _line(dwg, g, (-12, 3), (12, 3), width=1.6)
    _line(dwg, g, (-6, 7), (6, 7), width=3.2)
    _line(dwg, g, (8, -15), (14, -15), width=1.2)
    _line(dwg, g, (11, -18), (11, -12), width=1.2)


def _source(dwg, g, look: str) -> None:
    """A DC source: a circle with + and − (IEC voltage source). An adapter adds a mains sine over the DC
    bar, inside a plug outline; USB is a connector receptacle; a bench supply sits in a cabinet with knobs;
    a solar panel has light arrows pointing in."""
    _line(dwg, g, (0, -30), (0, -13))
    _line(dwg, g, (0, 13), (0, 30))
    if look == "usb":
        g.add(dwg.rect((-12, -13), (24, 26), rx=2, fill="#fff", stroke=INK, stroke_width=LW))
        g.add(dwg.rect((-7, -8), (14, 6), fill=INK, stroke=INK, stroke_width=0.6))   # the tongue
        _line(dwg, g, (-5, 4), (5, 4), width=1.2)
        _line(dwg, g, (-5, 8), (5, 8), width=1.2)
    else:
        if look == "bench":
            g.add(dwg.rect((-17, -17), (34, 34), rx=3, fill="#fff", stroke=INK, stroke_width=1.2))
            for y in (-11, 11):
                g.add(dwg.circle(center=(12, y), r=2, fill="none", stroke=INK, stroke_width=1))
        g.add(dwg.circle(center=(0, 0), r=13, fill="#fff", stroke=INK, stroke_width=LW))
        if look == "solar":
            # a photovoltaic source: light arrows pointing in at the circle
            for y in (-24, -16):
                _line(dwg, g, (-26, y - 6), (-17, y + 1), width=1.1)
                g.add(dwg.path(d=f"M -17,{y + 1} l -4,-1 l 2,-3 z", fill=INK, stroke=INK, stroke_width=0.6))
        if look == "adapter":
            g.add(dwg.path(d="M -7,-3 q 3.5,-5 7,0 t 7,0", fill="none", stroke=INK, stroke_width=1.3))
            _line(dwg, g, (-7, 3), (7, 3), width=1.3)
            _line(dwg, g, (-7, 7), (-3, 7), width=1.3)
            _line(dwg, g, (-1, 7), (1, 7), width=1.3)
            _line(dwg, g, (3, 7), (7, 7), width=1.3)
        else:
            _line(dwg, g, (0, -3), (0, 3), width=1.2)
            _line(dwg, g, (-3, 0), (3, 0), width=1.2)
    _line(dwg, g, (10, -19), (16, -19), width=1.2)
    _line(dwg, g, (13, -22), (13, -16), width=1.2)


def load(dwg, g, shape) -> None:
    _line(dwg, g, (0, -30), (0, -14))
    _line(dwg, g, (0, 14), (0, 30))
    g.add(dwg.circle(center=(0, 0), r=14, fill="#fff", stroke=INK, stroke_width=LW))


def _bjt(dwg, g, pnp: bool) -> None:
    g.add(dwg.circle(center=(2, 0), r=20, fill="none", stroke=INK, stroke_width=1.2))
    _line(dwg, g, (-30, 0), (-8, 0))
    _line(dwg, g, (-8, -12), (-8, 12), width=2.6)
    _line(dwg, g, (-8, -6), (10, -16), (10, -30))
    _line(dwg, g, (-8, 6), (10, 16), (10, 30))
    if pnp:   # emitter on top, arrow pointing in
        _arrowhead(dwg, g, (-6, -7.1), (3, -12.1), 7)
    else:     # emitter at the bottom, arrow pointing out
        _arrowhead(dwg, g, (6.4, 14), (-2.6, 9), 7)


def npn(dwg, g, shape) -> None:
    _bjt(dwg, g, False)


def pnp(dwg, g, shape) -> None:
    _bjt(dwg, g, True)


def _mos(dwg, g, pmos: bool) -> None:
    g.add(dwg.circle(center=(2, 0), r=20, fill="none", stroke=INK, stroke_width=1.2))
    _line(dwg, g, (-30, 0), (-12, 0))
    _line(dwg, g, (-12, -12), (-12, 12), width=2)
    for y0, y1 in ((-14, -8), (-3, 3), (8, 14)):
        _line(dwg, g, (-6, y0), (-6, y1), width=2.4)
    _line(dwg, g, (-6, -11), (10, -11), (10, -30))
    _line(dwg, g, (-6, 11), (10, 11), (10, 30))
    if pmos:   # source on top, body tied to it, arrow pointing out of the channel
        _line(dwg, g, (-6, 0), (10, 0), (10, -11))
        _arrowhead(dwg, g, (5, 0), (-4, 0), 6)
    else:      # source at the bottom, arrow pointing into the channel
        _line(dwg, g, (-6, 0), (10, 0), (10, 11))
        _arrowhead(dwg, g, (-5, 0), (4, 0), 6)


def nmos(dwg, g, shape) -> None:
    _mos(dwg, g, False)


def pmos(dwg, g, shape) -> None:
    _mos(dwg, g, True)


DRAW = {
    "resistor": resistor, "potentiometer": potentiometer, "capacitor": capacitor,
    "capacitor_polarized": capacitor_polarized, "inductor": inductor, "coil": coil, "diode": diode, "zener": zener,
    "led": led, "switch": switch, "battery": battery, "load": load,
    "npn": npn, "pnp": pnp, "nmos": nmos, "pmos": pmos,
}


# ---- ground and rail symbols (canonical: the pin points down for ground, up for a rail) ----
def ground(dwg, g) -> None:
    _line(dwg, g, (0, 0), (0, 12))
    _line(dwg, g, (-10, 12), (10, 12), width=1.8)
    _line(dwg, g, (-6, 16), (6, 16), width=1.8)
    _line(dwg, g, (-2, 20), (2, 20), width=1.8)
