"""Power/small-signal MOSFET: ngspice ``VDMOS`` (N and P channel) from the datasheet.

Simulated test points and the parameters fitted to them:

* VGS(th) at its ID with VDS = VGS (gate tied to drain)          -> VTO
* RDS(on) at its VGS and ID                                      -> RD (and KP through gfs)
* gfs at its VDS and ID (the gate servoed to hold the drain current) -> KP
* VSD (body diode) at its IS with VGS = 0                        -> IS of the body diode
* Ciss, Crss, Coss at their VDS (AC at the datasheet frequency)  -> CGS, CGDMIN, CJO

Derived, not simulated: RG from the datasheet gate resistance, BV = |VDS max|, TT = trr / ln 2.
Defaults when the datasheet is silent (each flagged in the report): KP so the channel is half of
RDS(on) when there is no gfs; RS 5 % of RDS(on); body diode N = 1 with its ohmic part taking the
forward drop above 0.8 V; CGDMAX 5 x CGDMIN; VJ 0.8 V, M 0.5; RG 2 Ω; VGS(th) current 250 µA.
"""

from __future__ import annotations

import math

from circuit.units import format_value

from .device import Device
from .fitting import Bench, Free, Target, ac_at, fit_stage, num, run_bench, signed
from .model import VT, DeviceModel, ModelError
from .verification import Verification

__all__ = ["build_mosfet", "is_p_channel"]

_GAIN = 1000.0  # gate servo gain: the drain sits within VGS/1000 of the test VDS


def is_p_channel(dev: Device) -> bool:
    if dev.polarity:
        return str(dev.polarity).lower().startswith("p")
    text = dev.text()
    if "p-channel" in text or "p channel" in text or "pchan" in text:
        return True
    for q in ("VDS_max", "ID_cont", "VGS_th"):
        v = dev.value(q)
        if v is not None and v < 0:
            return True
    return False


def _fmt_cond(**kw) -> str:
    units = {"VGS": "V", "VDS": "V", "ID": "A", "IS": "A", "f": "Hz"}
    return ", ".join(f"{k}={format_value(v, units.get(k, ''))}" for k, v in kw.items())


def _card(p: dict, pchan: bool, name: str, with_caps: bool = True) -> str:
    keys = ["VTO", "KP", "RD", "RS", "RG", "IS", "N", "RB"]
    if with_caps:
        keys += ["CGS", "CGDMAX", "CGDMIN", "CJO", "VJ", "M"]
    body = " ".join(f"{k}={num(-p[k] if (k == 'VTO' and pchan) else p[k])}" for k in keys if k in p)
    return f".model {name} VDMOS({'pchan' if pchan else 'nchan'} {body})"


def build_mosfet(dev: Device, name: str) -> DeviceModel:
    pchan = is_p_channel(dev)
    s = -1.0 if pchan else 1.0
    defaults: dict[str, str] = {}
    p: dict[str, float] = {}

    th = dev.spec("VGS_th", keys=("ID",))
    rds = dev.spec("RDS_on", keys=("VGS", "ID"))
    gfs = dev.spec("gfs", keys=("VDS", "ID"))
    vsd = dev.spec("VSD", keys=("IS",))
    if th is None or th.target is None or rds is None or rds.target is None:
        missing = [n for n, x in (("VGS(th)", th), ("RDS(on)", rds)) if x is None or x.target is None]
        raise ModelError(f"{dev.short_part}: a MOSFET model needs {' and '.join(missing)} from the datasheet")
    id_rated = abs(dev.rating("ID_cont") or 0.0)

    # ---- test conditions
    i_th = abs(th.cond("ID") or 0.0)
    if not i_th:
        i_th = 250e-6
        defaults["VGS_th test current"] = "250 µA: the usual VGS(th) test current (not stated)"
    vgs_r = abs(rds.cond("VGS") or 0.0)
    if not vgs_r:
        vgs_r = 10.0
        defaults["RDS_on VGS"] = "10 V: RDS(on) gate voltage not stated"
    id_r = abs(rds.cond("ID") or 0.0)
    if not id_r:
        id_r = 0.5 * id_rated if id_rated else 0.1
        defaults["RDS_on ID"] = f"{format_value(id_r, 'A')}: RDS(on) drain current not stated"
    r_on = abs(rds.target)
    v_th = abs(th.target)

    # ---- starting point
    p["VTO"] = v_th
    p["RS"] = 0.05 * r_on
    defaults["RS"] = f"{format_value(p['RS'], 'Ω')}: 5 % of RDS(on) (source resistance is not in datasheets)"
    vov = max(vgs_r - v_th, 0.3)
    targets_dc: list[Target] = []
    free_dc = [Free("VTO", 0.05, max(3 * v_th, 1.0), log=False, step=1e-3)]
    gfs_pt = None
    if gfs is not None and gfs.target:
        vds_g = abs(gfs.cond("VDS") or 0.0) or max(vgs_r, 10.0)
        id_g = abs(gfs.cond("ID") or 0.0) or id_r
        gm = abs(gfs.target)
        p["KP"] = gm * gm / (2 * id_g)
        gfs_pt = (vds_g, id_g)
        free_dc.append(Free("KP", 1e-4, 1e4))
    else:
        p["KP"] = 1.0 / (0.5 * r_on * vov)
        defaults["KP"] = f"{p['KP']:.4g} (A per V squared): no gfs in the datasheet, so the channel is taken as half of RDS(on)"
    r_ch = 1.0 / (p["KP"] * vov)
    p["RD"] = max(r_on - r_ch - p["RS"], 0.02 * r_on)
    free_dc.append(Free("RD", 1e-5 * r_on, 10 * r_on))

    targets_dc.append(Target("VGS_th", "VDS=VGS, " + _fmt_cond(ID=i_th),
                             th.target, th.basis, "V"))
    targets_dc.append(Target("RDS_on", _fmt_cond(VGS=vgs_r, ID=id_r), rds.target, rds.basis, "ohm"))
    if gfs_pt:
        targets_dc.append(Target("gfs", _fmt_cond(VDS=gfs_pt[0], ID=gfs_pt[1]), gfs.target, gfs.basis, "S"))

    # body diode
    p["N"] = 1.0
    i_sd = None
    if vsd is not None and vsd.target:
        i_sd = abs(vsd.cond("IS") or 0.0) or (id_rated or id_r)
        v_sd = abs(vsd.target)
        vj = min(v_sd, 0.8)
        p["RB"] = max((v_sd - vj) / i_sd, 1e-6)
        p["IS"] = i_sd * math.exp(-vj / (p["N"] * VT))
        targets_dc.append(Target("VSD", _fmt_cond(IS=i_sd, VGS=0.0), vsd.target, vsd.basis, "V"))
        defaults["N"] = "1: body-diode emission coefficient (one VSD point)"
        if v_sd > 0.8:  # the ohmic part carries the drop above 0.8 V: fit RB, keep IS at 0.8 V
            free_dc.append(Free("RB", 1e-6, 1e3))
            defaults["IS"] = f"{format_value(p['IS'], 'A')}: body-diode junction at 0.8 V at IS; RB fitted to VSD"
        else:
            p["RB"] = 0.0
            free_dc.append(Free("IS", 1e-30, 1.0))
            defaults["RB"] = "0: the whole VSD is the junction"
    else:
        p["IS"], p["RB"] = 1e-12, 0.0
        defaults["IS"] = "1 pA: body diode saturation current (no VSD in the datasheet)"

    rg = dev.spec("RG")
    if rg is not None and rg.target:
        p["RG"] = abs(rg.target)
    else:
        p["RG"] = 2.0
        defaults["RG"] = "2 Ω: internal gate resistance (not in the datasheet)"

    def dc_body(variants: list[dict]) -> list[str]:
        lines = []
        for v, pv in enumerate(variants):
            lines.append(_card(pv, pchan, f"MM{v}", with_caps=False))
            # VGS(th): gate tied to drain, the test current forced in
            lines.append(f"Ith{v} 0 t{v} DC {num(s * i_th)}")
            lines.append(f"Mth{v} t{v} t{v} 0 MM{v}")
            # RDS(on)
            lines.append(f"Vgr{v} gr{v} 0 DC {num(s * vgs_r)}")
            lines.append(f"Ir{v} 0 dr{v} DC {num(s * id_r)}")
            lines.append(f"Mr{v} dr{v} gr{v} 0 MM{v}")
            if gfs_pt:
                # drain held at VDS; the gate node integrates (target - drain current) through a large
                # resistor, so the drain current settles at the target (two points for the slope)
                vds_g, id_g = gfs_pt
                vgs0 = pv["VTO"] + math.sqrt(2 * id_g / pv["KP"])
                r_loop = 1e4 * max(vgs0, 1.0) / id_g
                for k, f in (("a", 1.05), ("b", 0.95)):
                    lines.append(f"Vd{v}{k} dg{v}{k} 0 DC {num(s * vds_g)}")
                    lines.append(f"Ig{v}{k} 0 gg{v}{k} DC {num(s * id_g * f)}")
                    lines.append(f"Fg{v}{k} gg{v}{k} 0 Vd{v}{k} -1")
                    lines.append(f"Rg{v}{k} gg{v}{k} 0 {num(r_loop)}")
                    lines.append(f"Mg{v}{k} dg{v}{k} gg{v}{k} 0 MM{v}")
                    lines.append(f".nodeset V(gg{v}{k})={num(s * vgs0)}")
            if i_sd:
                if pchan:  # body diode anode at the drain
                    lines.append(f"Isd{v} 0 sd{v} DC {num(i_sd)}")
                    lines.append(f"Msd{v} sd{v} 0 0 MM{v}")
                else:
                    lines.append(f"Isd{v} 0 sd{v} DC {num(i_sd)}")
                    lines.append(f"Msd{v} 0 sd{v} sd{v} MM{v}")
        lines.append(".op")
        return lines

    def dc_measure(res, v: int) -> list[float]:
        out = [signed(res.node(f"t{v}"), th.target), signed(res.node(f"dr{v}") / (s * id_r), rds.target)]
        if gfs_pt:
            di = abs(res.current(f"vd{v}a")) - abs(res.current(f"vd{v}b"))
            dv = abs(res.node(f"gg{v}a")) - abs(res.node(f"gg{v}b"))
            out.append(signed(di / dv if dv else math.nan, gfs.target))
        if i_sd:
            out.append(signed(res.node(f"sd{v}"), vsd.target))
        return out

    dc = Bench("mosfet dc", targets_dc, dc_body, dc_measure)
    fit_info = {"dc": fit_stage(dc, p, free_dc)}

    # ---- capacitances
    ciss, coss, crss = (dev.spec(q, keys=("VDS",)) for q in ("Ciss", "Coss", "Crss"))
    cap_spec = next((c for c in (ciss, crss, coss) if c is not None), None)
    vds_c = abs(cap_spec.cond("VDS") or 25.0) if cap_spec else 25.0
    f_c = abs(cap_spec.cond("f") or 1e6) if cap_spec else 1e6
    p["VJ"], p["M"] = 0.8, 0.5
    c_iss = abs(ciss.target) if ciss and ciss.target else None
    c_rss = abs(crss.target) if crss and crss.target else None
    c_oss = abs(coss.target) if coss and coss.target else None
    free_ac: list[Free] = []
    targets_ac: list[Target] = []
    cond_c = _fmt_cond(VGS=0.0, VDS=vds_c, f=f_c)
    if c_rss:
        p["CGDMIN"] = c_rss
        free_ac.append(Free("CGDMIN", 1e-16, 1e-6))
    else:
        p["CGDMIN"] = 0.1 * (c_iss or 100e-12)
        defaults["CGDMIN"] = f"{format_value(p['CGDMIN'], 'F')}: 10 % of Ciss (no Crss in the datasheet)"
    p["CGDMAX"] = 5 * p["CGDMIN"]
    defaults["CGDMAX"] = "5 x CGDMIN: the gate-drain capacitance at low VDS is not in the datasheet tables"
    if c_iss:
        p["CGS"] = max(c_iss - p["CGDMIN"], 0.1 * c_iss)
        free_ac.append(Free("CGS", 1e-16, 1e-6))
    else:
        p["CGS"] = 10 * p["CGDMIN"]
        defaults["CGS"] = f"{format_value(p['CGS'], 'F')}: no Ciss in the datasheet"
    if c_oss:
        p["CJO"] = max(c_oss - p["CGDMIN"], 0.1 * c_oss) * (1 + vds_c / p["VJ"]) ** p["M"]
        free_ac.append(Free("CJO", 1e-16, 1e-5))
    else:
        p["CJO"] = p["CGS"]
        defaults["CJO"] = f"{format_value(p['CJO'], 'F')}: no Coss in the datasheet"
    if free_ac:
        defaults["VJ"] = "0.8 V: body junction potential (not in the datasheet)"
        defaults["M"] = "0.5: body junction grading (not in the datasheet)"
    for label, spec in (("Ciss", ciss), ("Crss", crss), ("Coss", coss)):
        if spec is not None and spec.target:
            targets_ac.append(Target(label, cond_c, abs(spec.target), spec.basis, "F"))

    def ac_body(variants: list[dict]) -> list[str]:
        lines = []
        for v, pv in enumerate(variants):
            lines.append(_card(pv, pchan, f"MC{v}"))
            lines.append(f"Vga{v} ga{v} 0 DC 0 AC 1")
            lines.append(f"Vda{v} da{v} 0 DC {num(s * vds_c)}")
            lines.append(f"Ma{v} da{v} ga{v} 0 MC{v}")
            lines.append(f"Vdb{v} db{v} 0 DC {num(s * vds_c)} AC 1")
            lines.append(f"Mb{v} db{v} 0 0 MC{v}")
        lines.append(f".ac lin 1 {num(f_c)} {num(f_c)}")
        return lines

    def ac_measure(res, v: int) -> list[float]:
        w = 2 * math.pi * f_c
        vals = {
            "Ciss": abs(ac_at(res, f"vga{v}#branch", f_c).imag) / w,
            "Crss": abs(ac_at(res, f"vda{v}#branch", f_c).imag) / w,
            "Coss": abs(ac_at(res, f"vdb{v}#branch", f_c).imag) / w,
        }
        return [vals[t.name] for t in targets_ac]

    ac = Bench("mosfet capacitance", targets_ac, ac_body, ac_measure)
    if targets_ac:
        fit_info["capacitance"] = fit_stage(ac, p, free_ac)

    # ---- derived
    vds_max = dev.rating("VDS_max")
    if vds_max:
        p["BV"] = abs(vds_max)
        p["IBV"] = 250e-6
        defaults["IBV"] = "250 µA: the V(BR)DSS test current"
    trr = dev.spec("trr")
    if trr is not None and trr.target:
        p["TT"] = abs(trr.target) / math.log(2)

    verification = Verification(dev.short_part, defaults=defaults, fit=fit_info)
    for bench in (dc, ac):
        pts, err = run_bench(bench, p)
        verification.points += pts
        if err:
            verification.errors.append(err)
    order = ["VTO", "KP", "RD", "RS", "RG", "CGS", "CGDMAX", "CGDMIN", "CJO", "VJ", "M", "IS", "N", "RB",
             "BV", "IBV", "TT"]
    params = {k: (-p[k] if (k == "VTO" and pchan) else p[k]) for k in order if k in p}
    if params.get("RB") == 0.0:
        params.pop("RB")
    return DeviceModel(
        part=dev.short_part, device_class="mosfet", kind="pmos" if pchan else "nmos", name=name, params=params,
        terminals=["D", "G", "S"], device=dev, verification=verification, model_type="VDMOS",
        flags=["pchan" if pchan else "nchan"], defaults=defaults,
        notes=["P-channel" if pchan else "N-channel"],
    )
