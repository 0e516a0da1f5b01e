"""Datasheet PDFs -> normalised parameters with provenance.

- :mod:`.ingest` reads PDFs (text of every page; word geometry of the pages that matter) and
  refuses bad files with a clear reason (:class:`DatasheetError`).
- :mod:`.layout` rebuilds lines and words from characters (subscripts, Symbol-font glyphs).
- :mod:`.tables` is the row model (symbol / parameter / conditions / min / typ / max / unit).
- :mod:`.focus` narrows a family datasheet to the target part.
- :mod:`.catalog` names the canonical parameters per class and the vendor vocabulary for them.
- :mod:`.retrieval` finds each parameter section -> table -> row -> cell.
- :mod:`.normalize` parses numbers, units and test conditions into SI values.
- :mod:`.extract` is the deterministic extractor; :mod:`.llm_fill` the evidence-checked LLM pass.
- :mod:`.scoring` compares an extraction with hand-checked labels.
"""

from knowledge.datasheet.extract import extract_datasheet as _run
from knowledge.datasheet.ingest import DatasheetError
from knowledge.datasheet.model import Extraction, ParamValue

__all__ = ["DatasheetError", "Extraction", "ParamValue", "extract_datasheet"]


def extract_datasheet(path, part=None) -> Extraction:
    return _run(path, part)
