"""``circuitsmith extract``: datasheet PDFs -> parameters, verified SPICE models and reports."""

from __future__ import annotations

import argparse

from pipelines.flags import float_range, int_range

NAME = "extract"
MAX_JOBS = 64        # worker processes
MAX_TIMEOUT = 3600   # seconds for one file
HELP = "Read datasheet PDFs into normalised parameters and SPICE models checked by simulation."
EXAMPLE = (
    "circuitsmith extract datasheets/ -o out/ --jobs 2\n"
    "  circuitsmith extract LM358.pdf -o out/ --part LM358 --json\n"
    "  circuitsmith kb add out/LM358/record.yaml     # the extracted part, with its model, into your library"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="PDF files or folders of PDFs (searched recursively)")
    parser.add_argument("-o", "--out", required=True, metavar="OUT", help="output folder (one sub-folder per device)")
    parser.add_argument("--part", metavar="PN", help="the part number to focus on in multi-part datasheets (e.g. 1N4007, L7805C)")
    parser.add_argument("--jobs", type=int_range(1, MAX_JOBS), default=1, metavar="N",
                        help=f"files processed in parallel, in separate processes, 1 to {MAX_JOBS} (default 1)")
    parser.add_argument("--json", action="store_true", help="print one JSON line per device (parameters, kinds, units, conditions, pages)")
    parser.add_argument("--force", action="store_true", help="process files again even if a previous run finished them")
    parser.add_argument("--no-llm", action="store_true", help="rules only, even when an LLM is configured")
    parser.add_argument("--timeout", type=float_range(1, MAX_TIMEOUT, "s"), default=300.0, metavar="S",
                        help=f"give up on one file after S seconds, 1 to {MAX_TIMEOUT} (default 300)")
    parser.add_argument("--ray", metavar="ADDRESS", help="run the files on a Ray cluster: 'auto' (this machine's cluster, or a "
                        "local one) or an address (ray://host:10001); needs the 'ray' extra. Default: local worker processes")
