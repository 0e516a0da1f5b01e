"""Bad input: each bad file is refused with a reason that says what to do, fast, and a batch with
bad files in it still processes the good ones."""

import os
import time

import pytest

from knowledge.datasheet.ingest import DatasheetError, read_document
from knowledge.datasheet.extract import extract_datasheet
from tests.pdfgen import Page, write_pdf


def _reason(path):
    with pytest.raises(DatasheetError) as e:
        read_document(path)
    return e.value.reason, e.value.message


def test_not_a_pdf(tmp_path):
    p = tmp_path / "page.pdf"
    p.write_text("<!DOCTYPE html><html><body>Datasheet download</body></html>")
    reason, msg = _reason(p)
    assert reason == "not_pdf" and "HTML" in msg and "web page" in msg


def test_empty_file(tmp_path):
    p = tmp_path / "empty.pdf"
    p.write_bytes(b"")
    assert _reason(p)[0] == "empty"


def test_corrupt_bytes(tmp_path):
    p = tmp_path / "corrupt.pdf"
    p.write_bytes(b"%PDF-1.4\n" + os.urandom(4000))
    reason, msg = _reason(p)
    assert reason == "corrupt" and "download it again" in msg


def test_truncated_real_pdf(tmp_path, shared_dir):
    src = shared_dir / "datasets" / "datasheets" / "pdfs" / "1N4148__vishay_turicas.pdf"
    p = tmp_path / "truncated.pdf"
    p.write_bytes(src.read_bytes()[:3000])
    assert _reason(p)[0] == "corrupt"


def test_encrypted(tmp_path):
    page = Page().text(60, 60, "SECRET DATASHEET", 12)
    p = write_pdf(tmp_path / "locked.pdf", [page], user_password="secret")
    reason, msg = _reason(p)
    assert reason == "encrypted" and "password" in msg


def test_scanned_no_text(tmp_path):
    page = Page()
    page.rects.append((50, 50, 400, 300))  # an image-like page: graphics, no text layer
    p = write_pdf(tmp_path / "scan.pdf", [page, page])
    reason, msg = _reason(p)
    assert reason == "no_text" and "OCR" in msg


def test_too_many_pages_refused_quickly(tmp_path):
    pages = [Page().text(60, 60, f"page {i}", 9) for i in range(400)]
    p = write_pdf(tmp_path / "databook.pdf", pages)
    t = time.perf_counter()
    reason, msg = _reason(p)
    assert reason == "too_many_pages" and "400 pages" in msg
    assert time.perf_counter() - t < 5


def test_long_document_reads_a_bounded_number_of_pages(tmp_path):
    """A 200-page document: text of the first pages only, geometry of a handful; it finishes."""
    pages = [Page().text(60, 60, f"Application note page {i} about nothing in particular", 9) for i in range(199)]
    sheet = Page().text(60, 40, "QX9 N-Channel MOSFET", 14).text(60, 80, "ABSOLUTE MAXIMUM RATINGS", 10)
    sheet.text(60, 100, "Symbol", 9).text(200, 100, "Parameter", 9).text(360, 100, "Value", 9).text(430, 100, "Unit", 9)
    sheet.text(60, 116, "VDS", 9).text(200, 116, "Drain-Source Voltage", 9).text(360, 116, "55", 9).text(430, 116, "V", 9)
    p = write_pdf(tmp_path / "long.pdf", [sheet] + pages)
    t = time.perf_counter()
    ex = extract_datasheet(p)
    assert time.perf_counter() - t < 20
    assert len(ex.pages_read) <= 7
    assert any("only the first" in w for w in ex.warnings)
    assert ex.get("VDS_max").value == 55


def test_a_file_with_no_parameters_is_a_clear_failure(tmp_path):
    from pipelines.datasheet import process_datasheet

    p = write_pdf(tmp_path / "letter.pdf", [Page().text(60, 60, "Dear customer, thank you for your order.", 10)])
    row = process_datasheet(p, tmp_path / "out")
    assert row["status"] == "error" and "no parameter table" in row["error"]
