"""Last-resort text for pages without a usable text layer: OCR with Debian's tesseract.

A page is rendered by poppler (``pdftoppm``) at 300 dpi in grey, the table rulings are erased
(long horizontal and vertical runs of dark pixels: tesseract otherwise reads them as "|", "[" or
"—" glued to the values), and tesseract reads it as one uniform block (``--psm 6``), which keeps a
table row on one line. Its TSV output gives every word with a box; words become the same
:class:`~knowledge.datasheet.layout.Line` / ``Word`` model as a text layer, so the table builder
does not know where the text came from.

Every call has a time budget; a page that does not finish in time costs that page only. Decimal
points are kept: tesseract's own dictionary correction is off (``load_system_dawg=0``,
``load_freq_dawg=0``), so "0.117" is not "0117" or "0.1 17" rewritten to a word.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from knowledge import lazy_imports
from knowledge.datasheet.layout import Line, Word

__all__ = ["ocr_available", "ocr_page", "OcrError", "OCR_DPI", "OCR_PAGE_SECONDS"]

OCR_DPI = 300
OCR_PAGE_SECONDS = 40.0


class OcrError(Exception):
    """OCR could not read a page (missing tools, time budget spent, unreadable image)."""


def ocr_available() -> bool:
    return shutil.which("tesseract") is not None and shutil.which("pdftoppm") is not None


def _erase_rulings(path: Path, dpi: int) -> None:
    ndimage = lazy_imports.scipy_ndimage()
    img = np.asarray(Image.open(path).convert("L"))
    dark = img < 140
    span = max(20, int(dpi * 0.6))  # a ruling is a dark run longer than ~15 mm; glyphs are far shorter
    horiz = ndimage.binary_opening(dark, structure=np.ones((1, span), bool))
    vert = ndimage.binary_opening(dark, structure=np.ones((span, 1), bool))
    lines = horiz | vert
    out = img.copy()
    out[lines] = 255
    Image.fromarray(out).save(path)


# Unit glyphs tesseract doubles or lower-cases when they stand alone in a unit column.
_UNIT_FIX = {"Ww": "W", "WW": "W", "Vv": "V", "VV": "V", "v": "V", "Vv_": "V", "V_": "V", "A_": "A", "Q": "Ω", "mi": "mJ"}


def _clean(text: str) -> list[str]:
    """One OCR word -> the words it really is: table rulings read as "|", "[" or "]" split glued
    cells ("min.[Typ.Max." -> "min.", "Typ.", "Max."); stray rule marks and underscores go."""
    parts = [p.strip("_‘’\"'`,;:") if len(p) > 1 else p for p in re.split(r"[|\[\]{}]+", text)]
    out = []
    for p in parts:
        p = p.strip()
        if not p or re.fullmatch(r"[_\-—–=~.:;,'\"`]*_[_\-—–=~]*", p):
            continue
        out.append(_UNIT_FIX.get(p, p))
    return out


def ocr_page(pdf: str | Path, number: int, *, dpi: int = OCR_DPI, budget_s: float = OCR_PAGE_SECONDS) -> list[Line]:
    """The lines of page ``number`` (1-based) read by OCR, in PDF points; raises OcrError."""
    if not ocr_available():
        raise OcrError("OCR unavailable: install tesseract-ocr and poppler-utils")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory(prefix="cs-ocr-") as tmp:
        stem = Path(tmp) / "page"
        try:
            subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile", "-f", str(number), "-l", str(number), str(pdf), str(stem)],
                           check=True, capture_output=True, timeout=budget_s / 2, env=env)
            png = stem.with_suffix(".png")
            _erase_rulings(png, dpi)
            res = subprocess.run(["tesseract", str(png), "stdout", "--psm", "6", "-c", "load_system_dawg=0", "-c", "load_freq_dawg=0",
                                  "-c", "preserve_interword_spaces=1", "tsv"],
                                 check=True, capture_output=True, timeout=budget_s, env=env, text=True)
        except subprocess.TimeoutExpired as e:
            raise OcrError(f"page {number}: OCR took longer than its {budget_s:.0f} s budget") from e
        except subprocess.CalledProcessError as e:
            raise OcrError(f"page {number}: OCR failed ({(e.stderr or b'')[:120]!r})") from e
        except OSError as e:
            raise OcrError(f"page {number}: OCR could not run ({e})") from e
    return _tsv_lines(res.stdout, 72.0 / dpi)


def _tsv_lines(tsv: str, scale: float) -> list[Line]:
    groups: dict[tuple[int, int, int], list[tuple[float, float, float, float, str]]] = {}
    for row in tsv.splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12 or f[0] != "5":
            continue
        pieces = _clean(f[11])
        if not pieces:
            continue
        try:
            left, top, width, height, conf = (float(x) for x in f[6:11])
        except ValueError:
            continue
        if conf < 0:
            continue
        key = (int(f[2]), int(f[3]), int(f[4]))
        # a glued word's pieces share its box in proportion to their lengths
        total = sum(len(p) for p in pieces) + len(pieces) - 1
        x = left
        for p in pieces:
            w = width * len(p) / max(total, 1)
            groups.setdefault(key, []).append((x * scale, top * scale, (x + w) * scale, (top + height) * scale, p))
            x += w + width / max(total, 1)
    lines: list[Line] = []
    for words in groups.values():
        top = min(w[1] for w in words)
        bottom = max(w[3] for w in words)
        hs = sorted(w[3] - w[1] for w in words)
        size = max(4.0, hs[len(hs) // 2])
        ws = [Word(t, x0, x1, top, bottom, size) for x0, _, x1, _, t in sorted(words)]
        lines.append(Line(ws))
    lines.sort(key=lambda ln: (round(ln.bottom, 1), ln.x0))
    return lines
