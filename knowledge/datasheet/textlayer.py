"""Text-layer recovery: pages whose glyphs did not decode, and pages that are only an image.

pdfium reads most PDFs exactly. Two kinds of page defeat it:

- **undecodable glyphs**: fonts without a Unicode map come out as control characters or
  "(cid:NN)". Poppler's ``pdftotext -bbox-layout`` (Debian poppler-utils) decodes many of these
  from the glyph names in the embedded fonts; its words and boxes become the same
  :class:`~knowledge.datasheet.layout.Line` model the table builder reads. A font with neither a
  Unicode map nor glyph names decodes to a substitution cipher in every reader; that page is
  judged unreadable and goes on to OCR.
- **image-only pages** (scans): no text at all, one picture covering the page. OCR
  (:mod:`knowledge.datasheet.ocr`) is the last resort, with a per-page time budget.

Each page records where its text came from (``Page.source``: "pdf", "poppler" or "ocr"), and
every parameter read from it carries that source.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from knowledge.datasheet.layout import Line, Word
from knowledge.datasheet.ocr import OcrError, ocr_available, ocr_page

__all__ = ["garbled", "readable", "poppler_lines", "recover_pages", "OCR_MAX_PAGES", "OCR_TOTAL_SECONDS"]

OCR_MAX_PAGES = 4  # scanned pages read by OCR per document (the front pages hold the tables)
OCR_TOTAL_SECONDS = 150.0

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]|\(cid:\d+\)")
# words every readable datasheet page prints; a cipher-decoded page prints none of them
_VOCAB = re.compile(
    r"\b(voltage|current|max(imum)?|min(imum)?|typ(ical)?|temperature|units?|symbol|parameters?|ratings?|"
    r"characteristics?|test|conditions?|power|forward|reverse|input|output|gate|drain|source|collector|"
    r"emitter|base|supply|package|features|description|the|and|for|with|at|of|to|resistance|capacitance|time)\b",
    re.I,
)


def garbled(text: str) -> bool:
    """Most glyphs of the page did not decode (control characters, U+FFFD, "(cid:NN)")."""
    t = re.sub(r"\s", "", text)
    if len(t) < 20:
        return False
    bad = sum(len(m.group(0)) for m in _CONTROL.finditer(text))
    return bad / len(t) > 0.15


def readable(text: str) -> bool:
    """Text a person could read: enough common datasheet words among its words."""
    words = re.findall(r"[A-Za-z]{2,}", text)
    if len(words) < 6:
        return False
    hits = len(_VOCAB.findall(text))
    return hits >= 3 and hits / len(words) >= 0.04 and not garbled(text)


def poppler_lines(pdf: str | Path, number: int, timeout: float = 20.0) -> list[Line] | None:
    """Page ``number`` read by poppler's pdftotext with word boxes; None when poppler is missing or fails."""
    if shutil.which("pdftotext") is None:
        return None
    try:
        res = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(number), "-l", str(number), str(pdf), "-"],
                             capture_output=True, timeout=timeout, check=True)
    except (subprocess.SubprocessError, OSError):
        return None
    xml = re.sub(rb"<!DOCTYPE[^>]*>", b"", res.stdout)
    xml = re.sub(rb'xmlns="[^"]*"', b"", xml, count=1)
    try:
        root = ET.fromstring(xml)
    except ET.ParseError:
        return None
    words: list[Word] = []
    for w in root.iter("word"):
        text = (w.text or "").strip()
        if not text:
            continue
        x0, y0, x1, y1 = (float(w.get(k, 0)) for k in ("xMin", "yMin", "xMax", "yMax"))
        words.append(Word(text, x0, x1, y0, y1, max(1.0, (y1 - y0) * 0.85)))
    # poppler cuts a page into flows (a table's columns can be separate blocks): rows are
    # rebuilt from the word boxes, words whose vertical centres agree share a line
    words.sort(key=lambda w: ((w.top + w.bottom) / 2, w.x0))
    lines: list[Line] = []
    for w in words:
        c = (w.top + w.bottom) / 2
        if lines:
            cur = lines[-1]
            cc = (cur.top + cur.bottom) / 2
            if abs(c - cc) <= 0.35 * max(w.bottom - w.top, cur.bottom - cur.top):
                cur.words.append(w)
                continue
        lines.append(Line([w]))
    for ln in lines:
        ln.words.sort(key=lambda w: w.x0)
    lines.sort(key=lambda l: (round(l.bottom, 1), l.x0))
    return lines


_RATINGS = re.compile(r"absolute\s*maximum|maximum\s*ratings|limiting\s*values", re.I)
_CHARS = re.compile(r"electrical\s*(characteristics|specifications)", re.I)


def _tables_found(doc) -> bool:
    """The readable pages already hold a ratings and a characteristics table (OCR can stop)."""
    text = "\n".join(p.text for p in doc.pages if not p.cover and not garbled(p.text))
    return bool(_RATINGS.search(text)) and bool(_CHARS.search(text)) and len(re.findall(r"\b(min|typ|max)\b", text, re.I)) >= 3


def _text_of(lines: list[Line]) -> str:
    return "\n".join(ln.text for ln in lines)


def recover_pages(doc, image_pages: set[int]) -> None:
    """Re-read the pages of ``doc`` whose text layer is unusable (in place): poppler for
    undecodable glyphs, OCR for what is still unreadable and for image-only pages."""
    pending = [p for p in doc.pages if not p.cover and (garbled(p.text) or p.number in image_pages)]
    if not pending:
        return
    ocr_left, t0 = OCR_MAX_PAGES, time.perf_counter()
    unread: list[int] = []
    for page in pending:
        if garbled(page.text):
            lines = poppler_lines(doc.path, page.number)
            if lines and readable(_text_of(lines)):
                page.lines, page.text, page.source = lines, _text_of(lines), "poppler"
                continue
        if not ocr_available():
            unread.append(page.number)
            doc.ocr_missing = True
            continue
        left_s = OCR_TOTAL_SECONDS - (time.perf_counter() - t0)
        if ocr_left <= 0 or left_s <= 5 or _tables_found(doc):
            unread.append(page.number)
            continue
        try:
            lines = ocr_page(doc.path, page.number, budget_s=min(40.0, left_s))
        except OcrError as e:
            doc.warnings.append(str(e))
            unread.append(page.number)
            continue
        ocr_left -= 1
        if lines and readable(_text_of(lines)):
            page.lines, page.text, page.source = lines, _text_of(lines), "ocr"
        else:
            unread.append(page.number)
    if unread:
        what = ("OCR is unavailable (install tesseract-ocr)" if doc.ocr_missing
                else "OCR read the pages up to the ratings and characteristics tables")
        doc.warnings.append(f"pages {_ranges(unread)} have no readable text layer; {what}")
    for page in doc.pages:
        if page.number in unread and garbled(page.text):
            page.text = ""  # cipher text would only mislead classification and page selection


def _ranges(nums: list[int]) -> str:
    out, start, prev = [], None, None
    for n in sorted(nums):
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            out.append(f"{start}" if start == prev else f"{start}-{prev}")
            start = prev = n
    if start is not None:
        out.append(f"{start}" if start == prev else f"{start}-{prev}")
    return ", ".join(out)
