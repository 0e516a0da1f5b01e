"""Records built from the project's own datasheet extraction (issue 18, item 3): each says which
fields were extracted from which PDF and which were curated, and its extracted ratings agree with
the hand-checked labels of that datasheet in ../shared/datasets/datasheets/labels."""

from __future__ import annotations

import json

import pytest

from knowledge.library import BUILTIN_DIR, Library

LIB = Library.from_dirs([BUILTIN_DIR])
EXTRACTED = [r for r in LIB if r.provenance.extracted_from]

# record rating -> the label parameters that state it (magnitudes; P-channel and PNP labels are negative)
_RATING_LABELS = {
    "vr_max": ("VRRM", "VR"), "if_max": ("IF_avg", "IF_cont"), "vce_max": ("VCEO",), "ic_max": ("IC_max",),
    "vds_max": ("VDS_max",), "vgs_max": ("VGS_max",), "id_max": ("ID_cont",), "i_out_max": ("IOUT_max",),
    "v_in_max": ("VIN_max",),
}


def test_the_library_holds_records_from_extraction():
    assert len(EXTRACTED) >= 10, [r.key for r in EXTRACTED]


@pytest.mark.parametrize("rec", EXTRACTED, ids=lambda r: r.key)
def test_provenance_names_its_datasheet_and_splits_extracted_from_curated(rec, shared_dir):
    prov = rec.provenance
    pdf = shared_dir / "datasets" / "datasheets" / "pdfs" / prov.extracted_from
    assert pdf.is_file(), f"{rec.key}: provenance names {prov.extracted_from}, not in the shared datasheets"
    assert prov.extracted and prov.curated, f"{rec.key}: say which fields were extracted and which curated"
    assert not set(prov.extracted) & set(prov.curated), f"{rec.key}: a field is both extracted and curated"
    assert prov.extracted_from in rec.source


@pytest.mark.parametrize("rec", EXTRACTED, ids=lambda r: r.key)
def test_extracted_ratings_agree_with_the_hand_checked_labels(rec, shared_dir):
    stem = rec.provenance.extracted_from.rsplit(".", 1)[0]
    label = json.loads((shared_dir / "datasets" / "datasheets" / "labels" / f"{stem}.json").read_text())
    params = {**label.get("extra_params", {}), **label["params"]}
    ratings = rec.ratings.model_dump(exclude_none=True)
    checked = 0
    for field, names in _RATING_LABELS.items():
        if field not in ratings:
            continue
        stated = next((params[n]["value"] for n in names if n in params), None)
        if stated is None:
            continue
        assert ratings[field] == pytest.approx(abs(float(stated)), rel=0.01), (rec.key, field, stated)
        checked += 1
    if rec.spice.kind == "opamp":
        assert rec.supply.current_typ == pytest.approx(abs(float(params["IQ"]["value"])), rel=0.01)
        checked += 1
    assert checked, f"{rec.key}: no extracted rating could be compared with its label"
