"""Reading a datasheet PDF: fast text of every page, then word geometry for the pages that matter.

Two libraries, each for what it does best. pypdfium2 (Apache-2.0/BSD) reads the text of every page
in milliseconds; that text classifies the device, finds the part numbers and scores pages.
pdfplumber (MIT) then gives characters with positions and fonts for the few pages that hold the
parameter tables (and the front page), which :mod:`knowledge.datasheet.layout` turns into lines of
words with subscripts kept. Pages are opened and closed one at a time, so memory stays bounded on
long documents.

Bad input raises :class:`DatasheetError` with a ``reason`` code and a message that says what to
do: not a PDF, damaged, encrypted, no text layer (a scan), too many pages, too large.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from knowledge import lazy_imports
from knowledge.datasheet.layout import Line, build_lines
from knowledge.datasheet.textlayer import recover_pages

__all__ = ["DatasheetError", "Page", "Document", "read_document", "MAX_PAGES", "MAX_BYTES"]

MAX_PAGES = 300
MAX_BYTES = 150 * 1024 * 1024
SCAN_PAGES = 120  # pages whose text is read for classification and focus
DETAIL_PAGES = 7  # pages parsed with word geometry


class DatasheetError(Exception):
    """A file that cannot be read as a datasheet; ``reason`` is a short code for summaries."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass
class Page:
    number: int  # 1-based PDF page index
    text: str  # plain text (pdfium), always present
    width: float = 0.0
    height: float = 0.0
    lines: list[Line] | None = None  # word geometry, only for detail pages
    cover: bool = False  # a distributor cover or trailer sheet
    source: str = "pdf"  # where the text came from: "pdf" (text layer), "poppler", "ocr"

    @property
    def detailed(self) -> bool:
        return self.lines is not None


@dataclass
class Document:
    path: Path
    n_pages: int
    pages: list[Page] = field(default_factory=list)  # scanned pages (first SCAN_PAGES)
    warnings: list[str] = field(default_factory=list)
    ocr_missing: bool = False  # a page needed OCR and no OCR engine is installed

    def page(self, number: int) -> Page | None:
        if 1 <= number <= len(self.pages):
            return self.pages[number - 1]
        return None

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.pages if not p.cover)


_COVER = re.compile(
    r"authori[sz]ed distributor|click to view pricing|distributor of|buy now from|"
    r"mouser electronics|digi-?key|arrow\.com|lcsc|datasheet4u|alldatasheet|"
    r"(?:has been |was )?download(?:ed)? from|datasheets? for electronic|\bis now (?:a )?part of\b|"
    r"(?:has been|was) acquired by|now (?:owned|offered) by|visit (?:our|the) website",
    re.I,
)


def _is_cover(text: str) -> bool:
    if not _COVER.search(text):
        return False
    # a real datasheet page that merely names a distributor has tables and lots of text
    words = len(text.split())
    return words < 250 and not re.search(r"\b(min|typ|max)\b\.?\s", text, re.I)


def _check_file(path: Path) -> None:
    if not path.exists():
        raise DatasheetError("missing", f"{path}: no such file")
    if not path.is_file():
        raise DatasheetError("not_a_file", f"{path}: not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise DatasheetError("empty", f"{path.name}: the file is empty (0 bytes); download it again")
    if size > MAX_BYTES:
        raise DatasheetError(
            "too_large", f"{path.name}: {size / 1e6:.0f} MB is over the {MAX_BYTES // 2**20} MB limit for one datasheet"
        )
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        kind = "HTML" if b"<html" in head.lower() or b"<!doctype" in head.lower() else "not a PDF"
        raise DatasheetError(
            "not_pdf",
            f"{path.name}: {kind} (no %PDF header); save the datasheet itself as a PDF, not the web page",
        )


def read_document(path: str | Path, *, max_pages: int = MAX_PAGES, scan_pages: int = SCAN_PAGES) -> Document:
    """Open a PDF and read the plain text of its first ``scan_pages`` pages (page by page)."""
    pdfium = lazy_imports.pypdfium2()

    path = Path(path)
    _check_file(path)
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        msg = str(e).lower()
        if "password" in msg or "security" in msg:
            raise DatasheetError(
                "encrypted", f"{path.name}: the PDF is password-protected; open it with the password and save an unprotected copy"
            ) from e
        raise DatasheetError("corrupt", f"{path.name}: the PDF is damaged and cannot be opened ({e}); download it again") from e
    try:
        n = len(pdf)
        if n == 0:
            raise DatasheetError("empty", f"{path.name}: the PDF has no pages")
        if n > max_pages:
            raise DatasheetError(
                "too_many_pages",
                f"{path.name}: {n} pages is more than the {max_pages}-page limit for one datasheet "
                "(a data book?); extract the device's pages into their own PDF",
            )
        doc = Document(path=path, n_pages=n)
        image_pages: set[int] = set()
        if n > scan_pages:
            doc.warnings.append(f"only the first {scan_pages} of {n} pages were read")
        for i in range(min(n, scan_pages)):
            try:
                page = pdf[i]
            except Exception as e:  # a broken page object: skip it, keep the rest
                doc.warnings.append(f"page {i + 1} could not be read ({e})")
                doc.pages.append(Page(number=i + 1, text=""))
                continue
            try:
                w, h = page.get_size()
                tp = page.get_textpage()
                try:
                    text = tp.get_text_range()
                finally:
                    tp.close()
            except Exception as e:
                doc.warnings.append(f"page {i + 1} text could not be read ({e})")
                text, w, h = "", 0.0, 0.0
            finally:
                page.close()
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            doc.pages.append(Page(number=i + 1, text=text, width=w, height=h, cover=_is_cover(text)))
            if len(re.findall(r"[A-Za-z]{2,}", text)) < 40 and _image_covered(pdf, i, w, h):
                image_pages.add(i + 1)
    finally:
        pdf.close()
    recover_pages(doc, image_pages)
    if not any(p.text.strip() for p in doc.pages):
        if doc.ocr_missing:
            raise DatasheetError(
                "no_text",
                f"{path.name}: text layer unreadable and OCR unavailable; install tesseract-ocr "
                "(apt-get install tesseract-ocr) or run `ocrmypdf in.pdf out.pdf` first",
            )
        raise DatasheetError(
            "no_text",
            f"{path.name}: no readable text: the text layer is missing or undecodable and OCR found no text "
            "(a blank or image-only file?)",
        )
    return doc


def _image_covered(pdf, index: int, w: float, h: float) -> bool:
    """The page is mostly one picture (a scan)."""
    pdfium_c = lazy_imports.pypdfium2().raw
    if w <= 0 or h <= 0:
        return False
    try:
        page = pdf[index]
    except Exception:
        return False
    try:
        area = 0.0
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
            left, bottom, right, top = obj.get_bounds()
            area = max(area, max(0.0, min(right, w) - max(left, 0.0)) * max(0.0, min(top, h) - max(bottom, 0.0)))
        return area >= 0.3 * w * h
    except Exception:
        return False
    finally:
        page.close()


def _dedupe(chars: list[dict]) -> list[dict]:
    """Drop characters printed twice at the same place (fake bold: "DDrraaiinn")."""
    seen: set[tuple] = set()
    out = []
    for c in chars:
        key = (c.get("text"), round(c["x0"]), round(c["top"]), round(c.get("size", 0)))
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    return out


def load_geometry(doc: Document, numbers: list[int]) -> None:
    """Parse word geometry for the given 1-based page numbers (pdfplumber), page by page."""
    pdfplumber = lazy_imports.pdfplumber()

    wanted = sorted({n for n in numbers if 1 <= n <= len(doc.pages) and not doc.pages[n - 1].detailed})
    if not wanted:
        return
    try:
        with pdfplumber.open(str(doc.path)) as pdf:
            for n in wanted:
                try:
                    page = pdf.pages[n - 1]
                    doc.pages[n - 1].lines = build_lines(_dedupe(page.chars))
                    page.close()
                except Exception as e:  # one unreadable page costs that page only
                    doc.warnings.append(f"page {n}: layout could not be read ({type(e).__name__})")
                    doc.pages[n - 1].lines = []
    except Exception as e:
        doc.warnings.append(f"layout reader failed ({type(e).__name__}: {e}); using plain text only")
        for n in wanted:
            doc.pages[n - 1].lines = doc.pages[n - 1].lines or []
