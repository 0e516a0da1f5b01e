"""Plain geometry for the schematic: boxes, directions, the drawing grid, text sizes."""

from __future__ import annotations

import re
from dataclasses import dataclass

GRID = 10  # px; every pin tip and part origin lies on this grid, wires run along it

# Pin directions: the way a pin points out of its part.
UP, DOWN, LEFT, RIGHT = (0, -1), (0, 1), (-1, 0), (1, 0)
DIRS = {"up": UP, "down": DOWN, "left": LEFT, "right": RIGHT}


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle: ``x``, ``y`` is the top-left corner (SVG coordinates)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def moved(self, dx: float, dy: float) -> "Box":
        return Box(self.x + dx, self.y + dy, self.w, self.h)

    def grown(self, m: float) -> "Box":
        return Box(self.x - m, self.y - m, self.w + 2 * m, self.h + 2 * m)

    def overlaps(self, other: "Box", gap: float = 0.0) -> bool:
        """True when the boxes share area, or come closer than ``gap``."""
        return (
            self.x < other.right + gap
            and other.x < self.right + gap
            and self.y < other.bottom + gap
            and other.y < self.bottom + gap
        )

    def contains(self, x: float, y: float) -> bool:
        return self.x <= x <= self.right and self.y <= y <= self.bottom

    def union(self, other: "Box") -> "Box":
        x0, y0 = min(self.x, other.x), min(self.y, other.y)
        x1, y1 = max(self.right, other.right), max(self.bottom, other.bottom)
        return Box(x0, y0, x1 - x0, y1 - y0)

    @staticmethod
    def around(points: list[tuple[float, float]], pad: float = 0.0) -> "Box":
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        return Box(min(xs) - pad, min(ys) - pad, max(xs) - min(xs) + 2 * pad, max(ys) - min(ys) + 2 * pad)


def snap(v: float, step: int = GRID) -> int:
    return int(round(v / step)) * step


def snap_up(v: float, step: int = GRID) -> int:
    return -int(-v // step) * step


def rotate(point: tuple[float, float], deg: int) -> tuple[float, float]:
    """Rotate clockwise on screen (SVG y points down) by 0/90/180/270 degrees."""
    x, y = point
    deg %= 360
    if deg == 0:
        return (x, y)
    if deg == 90:
        return (-y, x)
    if deg == 180:
        return (-x, -y)
    if deg == 270:
        return (y, -x)
    raise ValueError(f"rotation must be a multiple of 90, not {deg}")


# ---- text ---------------------------------------------------------------------------
# XML 1.0 forbids most control characters; a title with one would make the SVG unreadable.
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean_text(value: object, limit: int = 60) -> str:
    """User text made safe to put in a text node: one line, XML-legal, at most ``limit`` chars.

    Markup characters stay as they are; svgwrite (ElementTree) escapes them on output.
    """
    text = _XML_BAD.sub("", str(value)).replace("\r", " ").replace("\n", " ").replace("\t", " ").strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def text_width(text: str, size: float) -> float:
    """Approximate rendered width of sans-serif text (DejaVu Sans / Arial; no font metrics offline)."""
    em = 0.0
    for ch in text:
        if ch in "il.,:;|!'1 ()[]/-" or ch == "\u2009":
            em += 0.36
        elif ch in "MWmw@%Ω":
            em += 0.9
        elif ch.isupper() or ch.isdigit():
            em += 0.68
        else:
            em += 0.58
    return size * em
