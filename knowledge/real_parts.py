"""Is a typed part number itself a real part? (KiCad's symbol library, as a list of names.)

A request's part number one character off a library part is either a slip of that part or another
real part of the same family: BME208 is a slip of the BME280, but MCP2551 (a CAN transceiver) is not
a slip of the MCP2515 (a CAN controller), nor ATmega328PB of the ATmega328P. Edit shape cannot tell
them apart (both are a swapped pair); whether the typed string names a real part can. This module
answers that from KiCad's symbol library (about 18 000 manufacturer part numbers, the
``kicad-symbols`` package), distilled into ``knowledge/real_part_numbers.txt`` by

    python -m knowledge.real_parts [--symbols /usr/share/kicad/symbols]

so a fresh install needs no KiCad. ``knowledge.lexical`` adds the part numbers the library's own
records name in their texts (an MPU-6500 in the MPU-9250's notes) on top.

A line of the file is one symbol's name with punctuation dropped and lower-cased (``mcp2551ip``,
``atmega328pba``); KiCad's ``x`` placeholders for a grade or voltage digit (``HT75xx``) are kept
as ``?`` and match one letter or digit. A name's piece before a hyphenated package or grade code is
listed too (``ATmega328PB-A``: ``atmega328pb``).
"""

from __future__ import annotations

import argparse
import bisect
import re
import sys
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "real_part_numbers.txt"
SYMBOLS = Path("/usr/share/kicad/symbols")

_SYMBOL = re.compile(r'^\s*\(symbol "([^"]+)"', re.M)
_UNIT = re.compile(r"_\d+_\d+$")  # a symbol's drawing units (LM358_1_1), not a part


def normalise(name: str) -> str:
    """Lower case, letters and digits only (``MCP2551-I/P`` -> ``mcp2551ip``)."""
    return re.sub(r"[^a-z0-9?]", "", name.lower())


def _shapes(name: str) -> set[str]:
    """A symbol name as lines of the data file: the whole name, and the piece before a hyphenated
    package or grade code when that piece is a part number itself (``ATmega328PB-A`` is also
    ``atmega328pb``); none for power flags, generic R/C/LED symbols and connectors."""
    base = name.split("_")[0]  # MCP23017_SP: the package follows the underscore
    # placeholders: a lower-case x after a digit or a hyphen stands for a grade/voltage character
    base = re.sub(r"(?<=[0-9\-])x", "?", base)
    base = re.sub(r"(?<=\?)x", "?", base)
    out = set()
    for piece in {base, base.split("-")[0]}:
        n = normalise(piece)
        if len(n) >= 4 and re.search(r"\d", n) and re.search(r"[a-z]", n) and not n.startswith(("conn", "test")):
            out.add(n)
    return out


def build(symbols: Path = SYMBOLS, out: Path = DATA) -> int:
    """Distil the symbol names of a KiCad symbol folder into the data file; returns the count."""
    files = sorted(Path(symbols).glob("*.kicad_sym"))
    if not files:
        raise SystemExit(f"no KiCad symbol files in {symbols}: install the kicad-symbols package")
    names: set[str] = set()
    for f in files:
        for name in _SYMBOL.findall(f.read_text(encoding="utf-8", errors="ignore")):
            if _UNIT.search(name):
                continue
            names |= _shapes(name)
    out.write_text("# KiCad symbol names as part numbers (python -m knowledge.real_parts)\n"
                   + "\n".join(sorted(names)) + "\n", encoding="utf-8")
    return len(names)


def _fits(pattern: str, typed: str) -> bool:
    """Whether a typed part number fits a name with placeholders (``ht75??``: ``ht7533``), letters after it
    allowed (its package or grade)."""
    if len(typed) < len(pattern) or not typed[len(pattern):].isalpha() and len(typed) > len(pattern):
        return False
    return all(p == c or (p == "?" and c.isalnum()) for p, c in zip(pattern, typed))


class RealParts:
    """Membership in a sorted list of real part numbers, ordering suffixes tolerated."""

    def __init__(self, names):
        exact, wild = set(), {}
        for n in names:
            if "?" in n:
                wild.setdefault(n[:2], []).append(n)
            else:
                exact.add(n)
        self._exact = exact
        self._sorted = sorted(exact)
        self._wild = wild

    def __len__(self) -> int:
        return len(self._exact) + sum(len(v) for v in self._wild.values())

    def knows(self, part_number: str) -> bool:
        """Whether a typed part number is a real part: a listed name, or one with a letter suffix
        (its package, grade or temperature range: ``mcp2551`` is ``MCP2551-I/P``)."""
        t = normalise(part_number)
        if len(t) < 4:
            return False
        if t in self._exact:
            return True
        if len(t) < 5:
            return False  # four characters with a suffix after them fit too many names to tell anything
        i = bisect.bisect_left(self._sorted, t)
        while i < len(self._sorted) and self._sorted[i].startswith(t):
            if t[-1].isdigit() and self._sorted[i][len(t)].isalpha():
                return True
            i += 1
        return any(_fits(p, t) for p in self._wild.get(t[:2], ()))

    def base_of(self, part_number: str) -> bool:
        """Whether the typed string is itself listed (no suffix added): a part in its own right."""
        return normalise(part_number) in self._exact


@lru_cache(maxsize=1)
def real_parts() -> RealParts:
    """The shipped list (empty when the file is missing: nothing is known to be real)."""
    if not DATA.is_file():
        return RealParts(())
    lines = DATA.read_text(encoding="utf-8").splitlines()
    return RealParts(l.strip() for l in lines if l.strip() and not l.startswith("#"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Distil KiCad's symbol names into knowledge/real_part_numbers.txt")
    ap.add_argument("--symbols", type=Path, default=SYMBOLS)
    ap.add_argument("--out", type=Path, default=DATA)
    args = ap.parse_args(argv)
    n = build(args.symbols, args.out)
    print(f"{n} part numbers -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
