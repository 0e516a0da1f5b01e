"""Text-layer recovery: undecodable glyphs, image-only pages (OCR), and what a user is told when
neither works. The scanned page is made here: a generated datasheet page rendered to a picture by
poppler and wrapped in a PDF with no text layer at all."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from knowledge.datasheet import DatasheetError, extract_datasheet
from knowledge.datasheet.ingest import read_document
from knowledge.datasheet.textlayer import garbled, poppler_lines, readable
from tests.pdfgen import Page, write_pdf

needs_ocr = pytest.mark.skipif(not (shutil.which("tesseract") and shutil.which("pdftoppm")), reason="tesseract/poppler not installed")


def _sheet() -> Page:
    pg = Page().text(60, 40, "QX7 N-Channel Enhancement Mode MOSFET", 16)
    pg.text(60, 90, "ABSOLUTE MAXIMUM RATINGS", 12)
    pg.text(60, 115, "Symbol", 11).text(160, 115, "Parameter", 11).text(380, 115, "Value", 11).text(460, 115, "Unit", 11)
    for k, (sym, name, val, unit) in enumerate([("VDS", "Drain-Source Voltage", "60", "V"), ("VGS", "Gate-Source Voltage", "20", "V"),
                                                ("ID", "Continuous Drain Current", "0.35", "A"), ("PD", "Power Dissipation", "1.5", "W")]):
        y = 140 + 22 * k
        pg.text(60, y, sym, 11).text(160, y, name, 11).text(380, y, val, 11).text(460, y, unit, 11)
    return pg


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    return _scan(tmp_path_factory.mktemp("scan"))


def _scan(tmp_path, pages: int = 1):
    """An image-only PDF of the generated sheet (what a scanner produces)."""
    from PIL import Image

    text_pdf = write_pdf(tmp_path / "text.pdf", [_sheet()] * pages)
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", str(text_pdf), str(tmp_path / "img")], check=True, timeout=60)
    imgs = [Image.open(p).convert("L") for p in sorted(tmp_path.glob("img*.png"))]
    out = tmp_path / "scan.pdf"
    imgs[0].save(out, "PDF", resolution=150.0, save_all=True, append_images=imgs[1:])
    return out


def test_garbled_and_readable_text():
    assert garbled("\x01\x04\x05\x06\x07\x08 \t\n\x06\x0b\x06\x07\x01\x06\x0c\x05\t \x0c\x0b \t\x04\x0c" * 3)
    assert garbled("(cid:1)(cid:2)(cid:3)(cid:4)(cid:3)(cid:5)(cid:6)(cid:7)(cid:5)(cid:8)")
    assert not garbled("Drain-Source Voltage VDS 60 V")
    # a font decoded to a substitution cipher reads as letters but not as a datasheet
    assert not readable("RFDTJGJFR SQFDJBMJSTS VPMTBHF RBOHF 2 75 kg 95 Vgdkj DURRFOT 2 835 Beh^i^j Mgn jnbk abf fgbj")
    assert readable("Maximum Recurrent Peak Reverse Voltage VRRM 40 Volts; Maximum forward current at TA = 25 C")


def test_poppler_reads_words_with_boxes(tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils not installed")
    p = write_pdf(tmp_path / "t.pdf", [_sheet()])
    lines = poppler_lines(p, 1)
    row = next(ln for ln in lines if ln.words[0].text == "VDS")
    assert [w.text for w in row.words] == ["VDS", "Drain-Source", "Voltage", "60", "V"]
    assert abs(row.words[3].x0 - 380) < 2  # positions in PDF points, as the table builder expects


@needs_ocr
def test_image_only_page_is_read_by_ocr(tmp_path, scan):
    assert not read_document(write_pdf(tmp_path / "t.pdf", [_sheet()])).pages[0].source != "pdf"
    doc = read_document(scan)
    assert doc.pages[0].source == "ocr"
    ex = extract_datasheet(scan)
    assert ex.device_class == "mosfet"
    vds, idc = ex.get("VDS_max"), ex.get("ID_cont")
    assert vds is not None and vds.value == pytest.approx(60) and vds.text_source == "ocr"
    assert idc is not None and idc.value == pytest.approx(0.35)  # the decimal point survives OCR


@needs_ocr
def test_without_ocr_the_error_says_so(scan, monkeypatch):
    import knowledge.datasheet.textlayer as tl

    monkeypatch.setattr(tl, "ocr_available", lambda: False)
    with pytest.raises(DatasheetError) as e:
        read_document(scan)
    assert e.value.reason == "no_text"
    assert "text layer unreadable and OCR unavailable" in e.value.message
