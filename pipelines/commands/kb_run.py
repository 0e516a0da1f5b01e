"""What ``circuitsmith kb`` does once its arguments are parsed (the interface: pipelines/commands/kb.py)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

import yaml
from rich.console import Console
from rich.table import Table

from circuit.limits import DEFAULT_LIMITS, InputLimitError, check_tree, parse_json, read_input_file
from circuit.units import format_value
from knowledge.completeness import check, kind_of
from knowledge.embedding import EmbeddingError
from knowledge.index import RetrievalError
from knowledge.library import Library, LibraryError, _library_dirs, read_records, user_parts_dir
from knowledge.retrieval import Retriever
from pipelines.terminal import plain, safe as escape


# ---- helpers ----------------------------------------------------------------------------------
def _err(msg: str) -> None:
    print(f"error: {plain(msg)}", file=sys.stderr)


def _console():
    return Console(highlight=False, soft_wrap=False)


def _library():
    return Library.default()


def run(args: argparse.Namespace) -> int:
    handlers = {"search": _search, "show": _show, "list": _list, "add": _add, "check": _check}
    handler = handlers.get(getattr(args, "kb_command", None) or "")
    if handler is None:
        print("usage: circuitsmith kb {search,show,list,add,check} ...  (circuitsmith kb SUBCOMMAND --help)", file=sys.stderr)
        return 2
    try:
        return handler(args)
    except LibraryError as e:
        _err(f"the component library has a bad record: {e}")
        return 2
    except (RetrievalError, EmbeddingError) as e:
        _err(str(e))
        return 1


# ---- search -----------------------------------------------------------------------------------
def _search(args) -> int:
    if args.k < 1:
        _err("-k must be at least 1")
        return 2
    if args.batch:
        if args.query:
            _err("give either a query or --batch FILE, not both")
            return 2
        try:
            text = sys.stdin.read(8 * 1024 * 1024) if args.batch == "-" else read_input_file(args.batch, what="query file")
        except InputLimitError as e:
            _err(str(e))
            return 2
        except (OSError, UnicodeDecodeError) as e:
            _err(f"cannot read {args.batch}: {getattr(e, 'strerror', None) or e}")
            return 2
        queries = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        if not queries:
            _err(f"{args.batch} holds no queries (one per line)")
            return 2
        results = Retriever.default().search_batch(queries, k=args.k)
        if args.json:
            for r in results:
                print(json.dumps(r.as_dict(), ensure_ascii=False))
        else:
            con = _console()
            for r in results:
                head = r.matches[0] if r.matches else None
                if r.ood:
                    near = ", ".join(m.key for m in r.matches[:3]) or "-"
                    con.print(f"{escape(r.query):40} -> [yellow]not in library[/] (nearest: {escape(near)})", markup=True)
                else:
                    con.print(plain(f"{r.query!s:40} -> {head.key} ({head.score:.2f})"), markup=False)
        return 0
    query = " ".join(args.query).strip()
    if not query:
        _err('give a query, e.g. circuitsmith kb search "ultrasonic distance sensor", or --batch FILE')
        return 2
    res = Retriever.default().search(query, k=args.k)
    if not res.matches and "library is empty" in res.note:
        _err(res.note)
        return 1
    if args.json:
        print(json.dumps(res.as_dict(), ensure_ascii=False))
        return 0
    _print_result(res)
    return 0


def _print_result(res) -> None:
    con = _console()
    if res.note and not res.matches:
        con.print(f"[yellow]{escape(res.note)}[/]")
        return
    if res.ood:
        con.print(
            f"[yellow]'{escape(res.query)}' is not in the library[/] (confidence {res.confidence:.2f}); "
            "the closest parts are:"
        )
        if getattr(res, "unserved", None):  # a quantity to measure that no record measures (knowledge.measurands)
            con.print(f"[yellow]no part in the library measures {escape(res.unserved.replace('-', ' '))}[/]")
        elif getattr(res, "product", None):  # a finished product no record is, and its parts the library has
            con.print(f"[yellow]{escape(res.note)}[/]")
    else:
        con.print(f"best match for '{escape(res.query)}': [bold]{escape(res.matches[0].key)}[/] "
                  f"(confidence {res.confidence:.2f})")
    table = Table(show_header=True, header_style="bold")
    table.add_column("#", justify="right")
    table.add_column("key")
    table.add_column("name")
    table.add_column("score", justify="right")
    for i, m in enumerate(res.matches, 1):
        table.add_row(str(i), escape(m.key), escape(m.name), f"{m.score:.3f}")
    con.print(table)


# ---- show -------------------------------------------------------------------------------------
def _fmt(value, unit: str) -> str:
    return format_value(value, unit)


def _pin_limits(pin) -> str:
    parts = []
    if pin.v_min is not None or pin.v_max is not None:
        lo = _fmt(pin.v_min, "V") if pin.v_min is not None else "?"
        hi = _fmt(pin.v_max, "V") if pin.v_max is not None else "?"
        parts.append(f"{lo} .. {hi}")
    if pin.v_range is not None:
        parts.append(f"works {_fmt(pin.v_range[0], 'V')} .. {_fmt(pin.v_range[1], 'V')}")
    if pin.v_out is not None:
        parts.append(f"out {_fmt(pin.v_out, 'V')}")
    if pin.i_max is not None:
        parts.append(f"max {_fmt(pin.i_max, 'A')}")
    if pin.pullup:
        parts.append("pull-up")
    if pin.pulldown:
        parts.append("pull-down")
    return ", ".join(parts)


def _show(args) -> int:
    lib = _library()
    rec = lib.get(args.key)
    if rec is None:
        retr = Retriever.default()
        hit = retr.resolve(args.key)
        if hit is None:
            near = ", ".join(m.key for m in retr.search(args.key, k=3).matches) or "none"
            _err(f"no part {args.key!r} in the library; closest: {near} (see 'circuitsmith kb list')")
            return 1
        rec = lib[hit.key]
    if args.json:
        print(json.dumps(rec.model_dump(mode="json", exclude_none=True), ensure_ascii=False, indent=2))
        return 0
    con = _console()
    con.print(f"[bold]{escape(rec.name)}[/]  ({escape(rec.key)}, {rec.category}, designator {escape(rec.designator)})")
    if rec.aliases:
        con.print(f"aliases: {escape(', '.join(rec.aliases))}")
    con.print(escape(rec.description))
    if rec.typical_use:
        con.print(f"typical use: {escape(rec.typical_use)}")
    s = rec.supply
    supply = []
    if s.v_min is not None or s.v_max is not None:
        supply.append(f"{_fmt(s.v_min, 'V') if s.v_min is not None else '?'} .. {_fmt(s.v_max, 'V') if s.v_max is not None else '?'}")
    if s.v_abs_max is not None:
        supply.append(f"abs max {_fmt(s.v_abs_max, 'V')}")
    if s.logic_level is not None:
        supply.append(f"logic {_fmt(s.logic_level, 'V')}" + (" (5 V tolerant)" if s.five_v_tolerant else ""))
    if s.current_typ is not None:
        supply.append(f"{_fmt(s.current_typ, 'A')} {'rated' if s.typical_is_rated else 'typical'}")
    if s.current_max is not None:
        supply.append(f"{_fmt(s.current_max, 'A')} max")
    if supply:
        con.print(f"supply: {', '.join(supply)}")
    units = {"vf": "V", "if_nom": "A", "if_max": "A", "vr_max": "V", "vz": "V", "power_max": "W", "v_rated": "V",
             "i_rated": "A", "i_stall": "A", "r_coil": "Ω", "vce_max": "V", "ic_max": "A", "vbe_on": "V",
             "vce_sat": "V", "vds_max": "V", "vgs_max": "V", "id_max": "A", "vgs_th": "V", "rds_on": "Ω",
             "rds_on_vgs": "V", "v_out": "V", "i_out_max": "A", "dropout": "V", "v_in_max": "V",
             "capacity_ah": "Ah", "v_nominal": "V"}
    ratings = []
    for name, value in rec.ratings.model_dump(exclude_none=True).items():
        if isinstance(value, bool):
            if value:
                ratings.append(name)
        elif name in units:
            ratings.append(f"{name} {_fmt(value, units[name])}")
        elif name == "tolerance":
            ratings.append(f"tolerance {value * 100:g} %")
        else:
            ratings.append(f"{name} {value:g}")
    if ratings:
        con.print(f"ratings: {escape(', '.join(ratings))}")
    flags = [k for k, v in rec.flags.model_dump().items() if v]
    if flags:
        con.print(f"flags: {', '.join(flags)}")
    if rec.actuator:
        con.print(f"actuator: {rec.actuator}")
    if rec.drives:
        con.print(f"drives: {', '.join(rec.drives)}")
    if rec.spice.kind != "none":
        model = f" {rec.spice.model}" if rec.spice.model else ""
        con.print(f"spice: {rec.spice.kind}{escape(model)}")
    for line in _provides_lines(rec) + _requires_lines(rec) + _safety_lines(rec):
        con.print(escape(line))
    con.print(f"source: {escape(rec.source)}")
    prov = rec.provenance
    if prov.extracted_from:
        con.print(escape(f"provenance: extracted from {prov.extracted_from}: {', '.join(prov.extracted)}; "
                         f"curated: {', '.join(prov.curated)}"))
    if rec.notes:
        con.print(f"notes: {escape(rec.notes)}")
    table = Table(title="pinout", show_header=True, header_style="bold", title_justify="left")
    table.add_column("pin")
    table.add_column("type")
    table.add_column("functions")
    table.add_column("limits")
    for p in rec.pins:
        label = p.name + (f" ({', '.join(p.aliases)})" if p.aliases else "")
        table.add_row(escape(label), p.type, escape(", ".join(p.functions)), escape(_pin_limits(p)))
    con.print(table)
    return 0


def _provides_lines(rec) -> list[str]:
    """What the part can do (``provides``), one line per capability with its direction, the person's role
    in it and the other typed fields, then the phrasings it is matched by, for ``kb show``."""
    groups: dict[tuple, list[str]] = {}
    for c in rec.provides:
        key = (c.capability, c.direction, c.person, c.end, c.behaviour, c.emulates, c.range_m)
        groups.setdefault(key, []).append(c.description)
    out = ["provides:"] if groups else []
    for (slug, direction, person, end, behaviour, emulates, range_m), descriptions in groups.items():
        extra = [direction] + [f"{label} {value}" for label, value in
                               (("person", person), ("end", end), ("behaviour", behaviour), ("emulates", emulates),
                                ("range", _fmt(range_m, "m") if range_m else None))
                               if value]
        out.append(f"  {slug} ({', '.join(extra)}): {'; '.join(descriptions)}")
    return out


def _requires_lines(rec) -> list[str]:
    """What the part needs from the circuit (``requires``), one line per kind, for ``kb show``."""
    req, out = rec.requires, []
    if req.peak_current is not None or req.own_supply:
        bits = [f"peak {_fmt(req.peak_current, 'A')}"] if req.peak_current is not None else []
        if req.peak_pins:
            bits.append(f"on {', '.join(req.peak_pins)}")
        if req.own_supply:
            bits.append("needs its own supply (not a board's rail)")
        out.append("requires: " + ", ".join(bits))
    if req.required_pins:
        out.append(f"required inputs (driven or biased): {', '.join(req.required_pins)}")
    if req.free_pins:
        out.append(f"left unconnected in the usual wiring: {', '.join(req.free_pins)}")
    if req.input_common_mode is not None:
        lo, hi = req.input_common_mode
        out.append(f"input common mode: V- {lo:+g} V to V+ {hi:+g} V")
    if req.signal_drive:
        out.append("needs a changing signal (a tone or audio), not steady DC")
    if req.small_signal:
        out.append("small-signal output (millivolts): needs an amplifier or comparator stage before an input")
    for c in req.companions:
        unit = "F" if c.kind.endswith("capacitor") else "Ω"
        rng = " .. ".join(_fmt(v, unit) if v is not None else "?" for v in (c.min, c.max)) if c.max else (
            f">= {_fmt(c.min, unit)}" if c.min is not None else "")
        typ = f", typical {_fmt(c.typical, unit)}" if c.typical is not None else ""
        where = f" ({c.where})" if c.where else ""
        out.append(f"companion: {c.kind} on {'-'.join(c.pins)} {rng}{typ}{where} [{c.severity}]")
    return out


def _safety_lines(rec) -> list[str]:
    """Isolation barriers and safety facts (mains source, cell chemistry, fuse) for ``kb show``."""
    out = [f"isolation: {', '.join(b.side_a)} | {', '.join(b.side_b)}"
           + (f" ({_fmt(b.v_isolation, 'V')})" if b.v_isolation else "") for b in rec.isolation]
    facts = {k: v for k, v in rec.safety.model_dump().items() if v not in (None, False)}
    if facts:
        out.append("safety: " + ", ".join(f"{k} {v}" if v is not True else k for k, v in facts.items()))
    return out


# ---- list -------------------------------------------------------------------------------------
def _list(args) -> int:
    lib = _library()
    records = sorted(lib, key=lambda r: (r.category, r.key))
    if args.category:
        cats = sorted({r.category for r in lib})
        records = [r for r in records if r.category == args.category.lower()]
        if not records:
            _err(f"no parts of category {args.category!r}; categories in the library: {', '.join(cats) or 'none'}")
            return 1
    if args.json:
        print(json.dumps([{"key": r.key, "name": r.name, "category": r.category} for r in records], indent=1))
        return 0
    if not records:
        print("the component library is empty; add parts with 'circuitsmith kb add FILE'")
        return 0
    table = Table(show_header=True, header_style="bold")
    table.add_column("key")
    table.add_column("name")
    table.add_column("category")
    table.add_column("pins", justify="right")
    for r in records:
        table.add_row(escape(r.key), escape(r.name), r.category, str(len(r.pin_names)))
    con = _console()
    con.print(table)
    con.print(f"{len(records)} part(s)")
    return 0


# ---- check ------------------------------------------------------------------------------------
def _check(args) -> int:
    lib = _library()
    gaps = check(lib)
    for key, fields in sorted(gaps.items()):
        print(plain(f"{key} ({kind_of(lib[key])}): missing {', '.join(fields)}"))
    n = sum(len(v) for v in gaps.values())
    print(f"{len(lib)} records checked, {len(gaps)} incomplete, {n} missing")
    return 1 if n else 0


# ---- add --------------------------------------------------------------------------------------
def _add(args) -> int:
    path = Path(args.file)
    if not path.is_file():
        _err(f"{path}: no such file")
        return 2
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        _err(f"{path}: a part record must be a .yaml, .yml or .json file")
        return 2
    problem = _over_limits(path)
    if problem:
        _err(f"{problem} (nothing was added)")
        return 2
    try:
        found = read_records(path)
    except LibraryError as e:
        _err(f"{e}\n(nothing was added; fix the record and run 'circuitsmith kb add {path}' again)")
        return 2
    keys = [rec.key for _, _, rec in found]
    dup_in_file = sorted({k for k in keys if keys.count(k) > 1})
    if dup_in_file:
        _err(f"{path}: key(s) {', '.join(dup_in_file)} defined more than once in the file; nothing was added")
        return 2

    lib = _library()
    user_dir = user_parts_dir()
    user_dir_res = user_dir.resolve()
    replaced: dict[str, str] = {}
    for _, _, rec in found:
        if rec.key not in lib:
            continue
        where = lib.sources.get(rec.key, "the library")
        src = Path(where.split(" parts[")[0])
        if not args.replace:
            _err(f"{path}: a part with key {rec.key!r} already exists ({where}); "
                 "choose another key, or use --replace to replace a part you added")
            return 1
        if src.resolve().parent != user_dir_res:
            _err(f"{path}: {rec.key!r} is a built-in part ({where}); --replace only replaces parts you added "
                 f"(in {user_dir}); give yours another key")
            return 1
        replaced[rec.key] = where

    # write each record to its own file, keeping a copy of what it replaces
    user_dir.mkdir(parents=True, exist_ok=True)
    backups: dict[Path, str | None] = {}

    def remember(p: Path) -> None:
        if p not in backups:
            backups[p] = p.read_text(encoding="utf-8") if p.exists() else None

    try:
        for key, where in replaced.items():
            src = Path(where.split(" parts[")[0])
            remember(src)
            _remove_record(src, key)
        for _, data, rec in found:
            target = user_dir / f"{rec.key}.yaml"
            remember(target)
            if target.exists():
                _err(f"{target} already exists and holds other parts; nothing was added")
                raise _Rollback
            target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        Library.from_dirs(_library_dirs())  # the whole library must still load
    except _Rollback:
        _restore(backups)
        return 1
    except OSError as e:  # a disk full, a name the file system refuses: all or nothing
        _restore(backups)
        _err(f"cannot write the part records to {user_dir}: {e.strerror or e}; nothing was added")
        return 1
    except LibraryError as e:
        _restore(backups)
        _err(f"adding {path} would break the library: {e}; nothing was added")
        return 1

    for _, _, rec in found:
        verb = "replaced" if rec.key in replaced else "added"
        print(f"{verb} {rec.key} ({rec.name}, {len(rec.pin_names)} pins) -> {user_dir / (rec.key + '.yaml')}")
    retr = Retriever.default()
    rep = retr.index.report
    if rep is not None:
        print(f"search index updated: {rep.embedded} text(s) embedded, {rep.reused} reused, {rep.deleted} removed")
    return 0


class _Rollback(Exception):
    pass


# A part record is small: a few dozen pins, a handful of aliases. These bound what one file may hold.
RECORD_LIMITS_ITEMS = 1000


def _over_limits(path: Path) -> str | None:
    """Why a record file is beyond the input limits (circuit.limits), or None when it is within them."""
    limits = dataclasses.replace(DEFAULT_LIMITS, max_items=RECORD_LIMITS_ITEMS, max_bytes=2 * 1024 * 1024)
    try:
        text = read_input_file(path, limits, "part record file")
        if path.suffix.lower() == ".json":
            parse_json(text, limits)
        else:
            check_tree(yaml.safe_load(text), limits)
    except InputLimitError as e:
        return str(e)
    except RecursionError:
        return f"{path}: nested deeper than the limit of {limits.max_depth} levels"
    except (ValueError, yaml.YAMLError):
        return None  # not a limit: read_records words the syntax error with its line
    return None


def _remove_record(path: Path, key: str) -> None:
    """Delete the record ``key`` from a user file (the file itself when it holds only that record)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and isinstance(data.get("parts"), list):
        rest = [p for p in data["parts"] if not (isinstance(p, dict) and p.get("key") == key)]
        if rest:
            data["parts"] = rest
            path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
            return
    path.unlink()


def _restore(backups: dict) -> None:
    for p, text in backups.items():
        if text is None:
            p.unlink(missing_ok=True)
        else:
            p.write_text(text, encoding="utf-8")
