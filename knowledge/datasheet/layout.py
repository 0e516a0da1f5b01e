"""Page geometry: characters into lines and words, with subscripts kept on their line.

Datasheet symbols are typeset with subscripts (V + "DS", R + "DS(on)"); plain text extraction
puts those on a line of their own and loses the symbol. Here every character joins the line it
overlaps most (larger characters first define the lines), and a smaller, lowered character right
after a word is glued to it, so "V", "GS" becomes the word "VGS". Raised small characters (note
markers, exponents) are kept behind a "^" so numbers never swallow a footnote digit.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

__all__ = ["Word", "Line", "build_lines"]


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool = False

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Line:
    words: list[Word] = field(default_factory=list)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def size(self) -> float:
        return max(w.size for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def between(self, x0: float, x1: float) -> list[Word]:
        """Words whose centre lies in [x0, x1)."""
        return [w for w in self.words if x0 <= w.xc < x1]


class _Band:
    __slots__ = ("top", "bottom", "size", "chars")

    def __init__(self, c):
        self.top, self.bottom, self.size, self.chars = c["top"], c["bottom"], c["size"], [c]

    @property
    def centre(self) -> float:
        return (self.top + self.bottom) / 2


_JUNK = {"\u00ad", "\x00"}
UNKNOWN = "\ufffd"

# Adobe Symbol encoding: fonts without a Unicode map hand out the Latin letter at that code.
_SYMBOL_FONT = {
    "m": "µ", "W": "Ω", "D": "Δ", "q": "θ", "t": "τ", "a": "α", "b": "β", "p": "π", "s": "σ",
    "w": "ω", "l": "λ", "h": "η", "e": "ε", "f": "φ", "r": "ρ", "y": "ψ", "£": "≤", "³": "≥",
    "´": "×", "»": "≈", "¹": "≠", "®": "→", "Ö": "√", "¥": "∞",
}
_SYMBOL_CID = {176: "°", 163: "≤", 179: "≥", 177: "±", 180: "×", 187: "≈", 109: "µ", 87: "Ω", 68: "Δ", 113: "θ", 214: "√"}


def _private_use(ch: str) -> str:
    """Symbol-font glyphs at U+F020..U+F0FF (the font's code + 0xF000)."""
    code = ord(ch) - 0xF000
    if code in _SYMBOL_CID:
        return _SYMBOL_CID[code]
    if code == 0xB7:
        return "•"
    c = chr(code)
    return _SYMBOL_FONT.get(c, c if c.isprintable() else UNKNOWN)


def _clean_char(text: str, fontname: str = "") -> str:
    if any(0xF020 <= ord(ch) <= 0xF0FF for ch in text):
        text = "".join(_private_use(ch) if 0xF020 <= ord(ch) <= 0xF0FF else ch for ch in text)
    symbol = "symbol" in fontname.lower()
    if text.startswith("(cid:"):
        if symbol:
            try:
                return _SYMBOL_CID.get(int(text[5:-1]), UNKNOWN)
            except ValueError:
                return UNKNOWN
        return UNKNOWN
    if symbol and text in _SYMBOL_FONT:
        return _SYMBOL_FONT[text]
    return "".join(ch for ch in text if ch not in _JUNK)


def build_lines(chars: list[dict]) -> list[Line]:
    """Group pdfplumber character dicts (text, x0, x1, top, bottom, size, fontname, upright)
    into lines of words, top to bottom."""
    usable = []
    for c in chars:
        if not c.get("upright", True):
            continue
        t = _clean_char(c.get("text", ""), str(c.get("fontname", "")))
        h = c["bottom"] - c["top"]
        if not t or h <= 0.5 or c.get("size", 0) <= 0:
            continue
        usable.append({**c, "text": t})
    # Big characters first: they define the lines; smaller ones (subscripts) join the line they overlap most.
    usable.sort(key=lambda c: (-round(c["size"], 1), c["top"]))
    bands: list[_Band] = []
    centres: list[float] = []
    for c in usable:
        h = c["bottom"] - c["top"]
        cm = (c["top"] + c["bottom"]) / 2
        i = bisect.bisect_left(centres, cm)
        best, best_ov = None, 0.0
        for j in range(max(0, i - 3), min(len(bands), i + 3)):
            b = bands[j]
            ov = min(b.bottom, c["bottom"]) - max(b.top, c["top"])
            if ov <= 0:
                continue
            bh = b.bottom - b.top
            small = c["size"] < 0.85 * b.size
            ratio = ov / h
            if small:
                ok = ratio >= 0.4
            else:
                ok = ratio >= 0.5 and ov / max(bh, 1e-6) >= 0.5
            if ok and ratio > best_ov:
                best, best_ov = b, ratio
        if best is None:
            b = _Band(c)
            k = bisect.bisect_left(centres, cm)
            bands.insert(k, b)
            centres.insert(k, cm)
        else:
            best.chars.append(c)
            if c["size"] >= 0.85 * best.size:
                best.top = min(best.top, c["top"])
                best.bottom = max(best.bottom, c["bottom"])
    lines = [_words(b) for b in bands]
    lines = [ln for ln in lines if ln.words]
    lines.sort(key=lambda ln: (round(ln.bottom, 1), ln.x0))
    return _glue_fragments(lines)


def _glue_fragments(lines: list[Line]) -> list[Line]:
    """A short word that starts exactly where a word on the line just above or below ends is
    part of it (a subscript set too low, a unit glyph from another font set too high)."""
    for i, ln in enumerate(lines):
        keep = []
        for w in ln.words:
            host = None
            if len(w.text) <= 8:
                for j in (i - 1, i + 1):
                    if not 0 <= j < len(lines) or lines[j] is ln:
                        continue
                    other = lines[j]
                    if not other.words:
                        continue
                    h = max(w.size, other.size)
                    if abs((other.top + other.bottom) / 2 - (w.top + w.bottom) / 2) > 0.75 * h:
                        continue
                    for cand in other.words:
                        if -0.5 <= w.x0 - cand.x1 <= 1.2 and cand.size >= w.size * 0.95:
                            host = cand
                            break
                    if host:
                        break
            if host is not None and (w.size < 0.85 * host.size or not any(ch.isdigit() for ch in w.text)):
                host.text += w.text
                host.x1 = max(host.x1, w.x1)
            else:
                keep.append(w)
        ln.words = keep
    return [ln for ln in lines if ln.words]


def _words(band: _Band) -> Line:
    chars = sorted(band.chars, key=lambda c: c["x0"])
    words: list[Word] = []
    cur: list[dict] = []
    base = None  # the last full-size character, reference for sub/superscripts
    out_text: list[str] = []

    def flush():
        nonlocal cur, out_text
        if cur:
            text = "".join(out_text).strip()
            if text:
                normal = [c for c in cur if c.get("_role") == "n"] or cur
                words.append(
                    Word(
                        text=text,
                        x0=min(c["x0"] for c in cur),
                        x1=max(c["x1"] for c in cur),
                        top=min(c["top"] for c in normal),
                        bottom=max(c["bottom"] for c in normal),
                        size=max(c["size"] for c in normal),
                        bold="bold" in str(normal[0].get("fontname", "")).lower(),
                    )
                )
        cur, out_text = [], []

    prev = None
    for c in chars:
        t = c["text"]
        role = "n"
        if base is not None and c["size"] < 0.85 * base["size"]:
            bh = base["bottom"] - base["top"]
            if c["bottom"] < base["bottom"] - 0.2 * bh:
                role = "sup"
            elif c["top"] > base["top"] + 0.15 * bh:
                role = "sub"
        c["_role"] = role
        if t.isspace():
            flush()
            prev = None
            continue
        if prev is not None:
            gap = c["x0"] - prev["x1"]
            ref = max(prev["size"], c["size"]) if role == "n" else base["size"]
            limit = 0.25 * ref if role == "n" else 0.6 * ref
            if gap > limit:
                flush()
        if role == "sup" and (not out_text or prev is None or prev.get("_role") != "sup"):
            out_text.append("^")
        cur.append(c)
        out_text.append(t)
        if role == "n":
            base = c
        prev = c
    flush()
    return Line(words)
