"""The extract job: a batch with good and bad files, the outputs per device, a resumed rerun, the
CLI with --json, and the record a ``kb add`` takes."""

import json
import shutil

import pytest
import yaml

from pipelines.cli import main
from pipelines.datasheet_batch import DONE_DIR, run_batch
from tests.pdfgen import Page, write_pdf
from tests.test_datasheet_extract import _synthetic_mosfet


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory, shared_dir):
    d = tmp_path_factory.mktemp("batch-in")
    src = shared_dir / "datasets" / "datasheets" / "pdfs"
    shutil.copy(src / "1N5711__st_kholia.pdf", d / "1N5711.pdf")  # ST sheet with a distributor page appended
    _synthetic_mosfet(d / "AX2301.pdf")
    (d / "notes.pdf").write_text("this is not a pdf")
    write_pdf(d / "locked.pdf", [Page().text(50, 50, "x")], user_password="pw")
    return d


def test_batch_outputs_and_resume(tmp_path, batch_dir):
    out = tmp_path / "out"
    done = []
    rows = run_batch([batch_dir], out, jobs=2, on_done=done.append)
    by = {r["file"]: r for r in rows}
    assert len(rows) == 4 and len(done) == 4
    assert by["notes.pdf"]["status"] == "error" and by["notes.pdf"]["reason"] == "not_pdf"
    assert by["locked.pdf"]["status"] == "error" and by["locked.pdf"]["reason"] == "encrypted"
    for f, part in (("1N5711.pdf", "1N5711"), ("AX2301.pdf", "AX2301")):
        r = by[f]
        assert r["status"] == "ok" and r["part"] == part
        d = out / part
        for name in ("PARAMS.json", "MODEL.lib", "report.md", "record.yaml", "plot1.png"):
            assert (d / name).is_file(), name
        pj = json.loads((d / "PARAMS.json").read_text())
        assert pj["part"] == part and pj["params"]
        assert pj["model"]["status"] in ("verified", "failed")
        assert "| Test | Conditions | Datasheet | Simulated | Error | Result |" in (d / "report.md").read_text()
        assert ".model" in (d / "MODEL.lib").read_text()
    assert json.loads((out / "AX2301" / "PARAMS.json").read_text())["params"]["VDS_max"]["value"] == 30
    assert len(list((out / DONE_DIR).glob("*.json"))) == 2

    # rerun: finished files are skipped, bad ones are tried again
    mtime = (out / "AX2301" / "PARAMS.json").stat().st_mtime_ns
    rows2 = run_batch([batch_dir], out, jobs=1)
    by2 = {r["file"]: r for r in rows2}
    assert by2["AX2301.pdf"]["status"] == "skipped" and by2["1N5711.pdf"]["status"] == "skipped"
    assert by2["notes.pdf"]["status"] == "error"
    assert (out / "AX2301" / "PARAMS.json").stat().st_mtime_ns == mtime
    # an interrupted run leaves no marker: that file is done again
    for m in (out / DONE_DIR).glob("*.json"):
        if json.loads(m.read_text())["file"] == "AX2301.pdf":
            m.unlink()
    rows3 = {r["file"]: r for r in run_batch([batch_dir], out, jobs=1)}
    assert rows3["AX2301.pdf"]["status"] == "ok" and rows3["1N5711.pdf"]["status"] == "skipped"


def test_record_is_a_valid_library_part(tmp_path, batch_dir):
    from knowledge.library import Library, parse_record, read_records

    out = tmp_path / "out"
    run_batch([batch_dir / "AX2301.pdf"], out)
    rec_path = out / "AX2301" / "record.yaml"
    rec = parse_record(str(rec_path), yaml.safe_load(rec_path.read_text()))
    assert rec.key == "ax2301" and rec.spice.kind == "nmos" and rec.spice.model.startswith("VDMOS(")
    assert rec.ratings.vds_max == 30
    # what `circuitsmith kb add` reads, and the library it must still load with the record in it
    assert [r.key for _, _, r in read_records(rec_path)] == ["ax2301"]
    lib_dir = tmp_path / "parts"
    lib_dir.mkdir()
    shutil.copy(rec_path, lib_dir / "ax2301.yaml")
    assert Library.from_dirs([lib_dir]).get("ax2301").name.startswith("AX2301")


def test_cli_json_lines_and_summary(tmp_path, batch_dir, capsys):
    code = main(["extract", str(batch_dir / "AX2301.pdf"), str(batch_dir / "notes.pdf"), "-o", str(tmp_path / "o"), "--json"])
    out, err = capsys.readouterr()
    lines = [json.loads(ln) for ln in out.splitlines() if ln.strip()]
    assert code == 1  # one file could not be read
    ok = next(ln for ln in lines if ln["file"] == "AX2301.pdf")
    bad = next(ln for ln in lines if ln["file"] == "notes.pdf")
    assert ok["params"]["RDS_on_typ"] == {**ok["params"]["RDS_on_typ"], "value": pytest.approx(0.035), "kind": "typ", "unit": "Ω"}
    assert ok["params"]["RDS_on_typ"]["conditions"] == {"VGS": 10.0, "ID": 4.0} and ok["params"]["RDS_on_typ"]["page"] == 2
    assert bad["status"] == "error" and "not a PDF" in bad["error"]
    assert "could not be read" in err


def test_cli_refuses_nothing_to_do(tmp_path, capsys):
    assert main(["extract", str(tmp_path / "missing"), "-o", str(tmp_path / "o")]) in (1, 2)
