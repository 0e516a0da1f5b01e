"""SPICE-model benchmark: build a model from every parameter file (the hand-checked labels under
``datasets/datasheets/labels`` by default: a fair test of the modelling half on its own) and
verify it by simulating the datasheet's own test conditions.

Prints, per device, every test point (datasheet value and basis, simulated value, error), then a
per-class table, then ONE summary line with the fraction of verification points within 10 %
(target >= 90 %). The extraction side runs the same on its PARAMS.json files:

    python benchmarks/model_bench.py [DIR_OR_FILES ...] [--plots OUT_DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rich.console import Console  # noqa: E402
from rich.progress import track  # noqa: E402
from rich.table import Table  # noqa: E402

from circuit.devicemodels import DeviceError, ModelError, build_model, load_device, plot_verification  # noqa: E402
from circuit.devicemodels.verification import TOLERANCE, format_quantity  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "datasheets" / "labels"


def _files(args: list[str]) -> list[Path]:
    paths = [Path(a) for a in args] or [DEFAULT]
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(list(p.glob("*.json")) + list(p.glob("*/PARAMS.json")))
        elif p.exists():
            out.append(p)
        else:
            print(f"error: {p}: no such file or folder", file=sys.stderr)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", help="parameter JSON files or folders (default: the labelled datasheets)")
    ap.add_argument("--plots", metavar="DIR", help="also write one verification plot per device into DIR")
    ap.add_argument("--json", action="store_true", help="print one JSON line per device instead of the tables")
    args = ap.parse_args(argv)
    files = _files(args.paths)
    if not files:
        print("error: no parameter files found", file=sys.stderr)
        return 2
    con = Console(highlight=False, soft_wrap=False, width=150)
    results = []
    failures: list[str] = []
    t0 = time.perf_counter()
    for path in track(files, description="building and verifying models", console=con, transient=True,
                      disable=args.json or not con.is_terminal):
        t = time.perf_counter()
        try:
            model = build_model(load_device(path))
        except (DeviceError, ModelError) as e:
            failures.append(f"{path.name}: {e}")
            continue
        secs = time.perf_counter() - t
        results.append((path, model, secs))
        if args.plots:
            plot_verification(model, Path(args.plots) / f"{path.stem}.png")
    total_s = time.perf_counter() - t0

    points = [p for _, m, _ in results for p in m.verification.points]
    n_ok = sum(p.passed for p in points)
    verified = sum(m.verification.passed for _, m, _ in results)
    if args.json:
        for path, m, secs in results:
            print(json.dumps({"file": path.name, "part": m.part, "class": m.device_class, "seconds": round(secs, 3),
                              **m.verification.as_dict()}))
    else:
        for path, m, secs in results:
            v = m.verification
            table = Table(title=f"{m.part} ({m.device_class}, {path.name}): {v.n_passed}/{len(v.points)} within "
                                f"{TOLERANCE:.0%}, {secs:.2f} s", title_justify="left")
            for col in ("test", "conditions", "datasheet", "basis", "simulated", "error", ""):
                table.add_column(col)
            for p in v.points:
                e = p.error
                table.add_row(p.name, p.conditions, format_quantity(p.datasheet, p.unit), p.basis,
                              format_quantity(p.simulated, p.unit), "-" if e is None else f"{e * 100:+.1f} %",
                              "pass" if p.passed else "[red]FAIL[/]")
            con.print(table)
            for err in v.errors:
                con.print(f"  [red]simulation error:[/] {err}")
        by_class = Table(title="per class", title_justify="left")
        for col in ("class", "devices", "verified", "points within 10 %", "mean s/device"):
            by_class.add_column(col)
        for cls in sorted({m.device_class for _, m, _ in results}):
            rs = [(m, s) for _, m, s in results if m.device_class == cls]
            pts = [p for m, _ in rs for p in m.verification.points]
            by_class.add_row(cls, str(len(rs)), str(sum(m.verification.passed for m, _ in rs)),
                             f"{sum(p.passed for p in pts)}/{len(pts)}", f"{sum(s for _, s in rs) / len(rs):.2f}")
        con.print(by_class)
        for f in failures:
            con.print(f"[red]not modelled:[/] {f}")
    frac = n_ok / len(points) if points else 0.0
    print(f"SUMMARY models: {len(results)}/{len(files)} devices modelled, {verified} fully verified; "
          f"{n_ok}/{len(points)} verification points within {TOLERANCE:.0%} ({frac * 100:.1f} %, target >= 90 %); "
          f"{total_s / max(len(files), 1):.2f} s per device")
    return 0


if __name__ == "__main__":
    sys.exit(main())
