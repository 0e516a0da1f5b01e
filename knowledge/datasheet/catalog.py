"""The canonical parameters per device class, and the vendor vocabulary that names them.

Each :class:`ParamSpec` says what a quantity is called in tables (symbol patterns and name
phrases, as different vendors print them), what it is measured in, where it lives (absolute
maximum ratings, recommended operating conditions, electrical characteristics), which rows to
avoid (a pulsed drain current is not the continuous one, a temperature coefficient is not the
threshold voltage), and which test condition makes a row the headline one when several rows
specify the same quantity (RDS(on) at the highest gate drive, VF at the highest forward current).

Names follow the label convention of the development set (VDS_max, RDS_on, VGS_th, hFE, VF, ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["ParamSpec", "CATALOG", "DEVICE_CLASSES", "classify_device", "specs_for"]

DEVICE_CLASSES = ("mosfet", "bjt", "diode", "opamp", "regulator")


@dataclass
class ParamSpec:
    name: str
    unit: str  # canonical unit: V, A, Ω, F, C, s, S, W, Hz, 1, dB, V/V, V/s, % ...
    symbols: list[str] = field(default_factory=list)  # regexes on the normalised symbol (upper case)
    names: list[str] = field(default_factory=list)  # regexes on the parameter name (case-insensitive)
    exclude: list[str] = field(default_factory=list)  # regexes on name + symbol + conditions
    sections: tuple[str, ...] = ("characteristics",)
    rating: bool = False  # an absolute-maximum quantity (kind "rating")
    default_kind: str = "typ"  # kind of a lone "Value" column in a characteristics table
    prefer: str = ""  # condition preference: "max:VGS", "max:IF", "rated", "first"
    alt_units: tuple[str, ...] = ()  # other acceptable units (AVOL in dB or V/V)
    text_patterns: list[str] = field(default_factory=list)  # free-text phrases (features lists)
    signed: bool = True  # keep the printed sign (P-channel, PNP)
    strict: bool = False  # only the listed sections (no fallback to other tables)
    magnitude_only: bool = False  # "±20 V" style: keep the magnitude

    def symbol_re(self) -> list[re.Pattern]:
        return [re.compile(rf"^(?:{p})$") for p in self.symbols]

    def name_re(self) -> list[re.Pattern]:
        return [re.compile(p, re.I) for p in self.names]

    def exclude_re(self) -> list[re.Pattern]:
        return [re.compile(p, re.I) for p in self.exclude]

    @property
    def units(self) -> tuple[str, ...]:
        return (self.unit,) + self.alt_units


_TEMPCO = r"temp(erature)?\.?\s*coeff|drift|/\s*°C|∆|Δ|/∆T|change"
_RATING = ("ratings",)

CATALOG: dict[str, list[ParamSpec]] = {
    "mosfet": [
        ParamSpec("VDS_max", "V", [r"V\(?BR\)?DSS", r"VDSS?", r"VDS\(MAX\)", r"BVDSS"],
                  [r"drain[- ]?(to[- ])?source[- ]?(breakdown[- ])?voltage", r"drain[- ]source-voltage"],
                  [r"gate|on[- ]?(state|voltage)|temp|coefficient|leakage|zero gate|∆"], _RATING, rating=True,
                  text_patterns=[r"\bV\s*\(?BR\)?\s*DSS\b|\bVDSS?\b|\bV\s*DS\b"]),
        ParamSpec("VGS_max", "V", [r"±?VGSS?", r"VGS\(MAX\)", r"VGS MAX"],
                  [r"gate[- ]?(to[- ])?source[- ]?voltage", r"gate-source-voltage"],
                  [r"threshold|\(th\)|tp\s*<|t\s*p\s*<|pulse|transient|AC\b|non-?repetitive"], _RATING, rating=True, magnitude_only=True,
                  text_patterns=[r"\bVGS\s*(max)?\b"]),
        ParamSpec("ID_cont", "A", [r"I\s*D", r"ID\(CONT\)", r"ID@.*"],
                  [r"(continuous\s+)?drain\s*current", r"drain current continuo"],
                  [r"puls|peak|IDM|\bI\s*DM\b|avalanche|on[- ]?state|zero|leakage|diode|source current|125|100\s*°|70\s*°|\bTC\s*=\s*100|\bTA\s*=\s*70"],
                  _RATING, rating=True, prefer="first", text_patterns=[r"\bI\s*D\b"]),
        ParamSpec("PD", "W", [r"P\s*D", r"PTOT", r"P\s*TOT", r"PD@.*", r"PC"],
                  [r"power\s*dissipation", r"total\s*(device\s*)?dissipation", r"verlustleistung"],
                  [r"derat|linear|/°C|W/°C|70\s*°|100\s*°|TC\s*=\s*100"], _RATING, rating=True, prefer="first"),
        ParamSpec("RDS_on", "Ω", [r"R\s*DS\s*\(?ON\)?", r"RDS\(ON\)", r"RDSON", r"R\s*DS\(ON\)"],
                  [r"on[- ]?(state[- ])?resistance", r"drain[- ]?(to[- ])?source on", r"einschaltwiderstand"],
                  [_TEMPCO, r"125\s*°|150\s*°|TJ\s*=\s*1[02]5|gate resistance|thermal"], prefer="max:VGS"),
        ParamSpec("VGS_th", "V", [r"V\s*GS\s*\(?TH\)?", r"VGS\(TH\)", r"VTH", r"VGS\(TO\)", r"V\(TH\)"],
                  [r"(gate[- ]?(to[- ])?source\s*)?threshold\s*voltage", r"gate[- ]threshold", r"schwellspannung"],
                  [_TEMPCO, r"125\s*°|150\s*°"]),
        ParamSpec("gfs", "S", [r"G\s*FS", r"GFS", r"YFS", r"\|?YFS\|?", r"GM"],
                  [r"forward\s*trans\s*-?\s*conductance", r"transconductance", r"übertragungssteilheit"], []),
        ParamSpec("Ciss", "F", [r"C\s*ISS"], [r"input\s*capacitance", r"eingangskapazit"], [r"reverse|output"]),
        ParamSpec("Coss", "F", [r"C\s*OSS"], [r"output\s*capacitance", r"ausgangskapazit"], [r"effective|energy|time related|\(er\)|\(tr\)"]),
        ParamSpec("Crss", "F", [r"C\s*RSS"], [r"reverse\s*transfer\s*capacitance", r"rückwirkungskapazit", r"feedback capacitance"], []),
        ParamSpec("Qg", "C", [r"Q\s*G", r"QG\(TOT\)", r"QG\s*\(TOT\)", r"QT"], [r"total\s*gate\s*charge", r"gate\s*charge\s*total"],
                  [r"gate[- ]?(to[- ])?(source|drain)|QGS|QGD|threshold|plateau|switching"], prefer="max:VGS"),
        ParamSpec("VSD", "V", [r"V\s*SD", r"VF", r"VSD"], [r"(body[- ]?)?diode\s*(forward\s*)?voltage", r"source[- ]?(to[- ])?drain\s*(diode\s*)?(forward\s*)?voltage", r"forward\s*on\s*voltage"],
                  [_TEMPCO, r"125\s*°"], prefer="first"),
        ParamSpec("trr", "s", [r"T\s*RR"], [r"reverse\s*recovery\s*time"], [r"charge"]),
        ParamSpec("td_on", "s", [r"T\s*D\s*\(?ON\)?", r"TD\(ON\)"], [r"turn[- ]?on\s*delay(\s*time)?"], [r"rise"]),
        ParamSpec("tr", "s", [r"T\s*R"], [r"^(turn[- ]?on\s*)?rise\s*time", r"\brise\s*time"], [r"recovery|delay"]),
        ParamSpec("td_off", "s", [r"T\s*D\s*\(?OFF\)?", r"TD\(OFF\)"], [r"turn[- ]?off\s*delay(\s*time)?"], [r"fall"]),
        ParamSpec("tf", "s", [r"T\s*F"], [r"^(turn[- ]?off\s*)?fall\s*time", r"\bfall\s*time"], [r"delay"]),
    ],
    "bjt": [
        ParamSpec("VCEO", "V", [r"V\s*CEO", r"VCE0", r"V\(BR\)CEO", r"BVCEO", r"VCEO\(SUS\)"],
                  [r"collector[- ]?(to[- ])?emitter\s*(breakdown\s*)?voltage"], [r"saturation|sat\)|cut-?off|VCES|VCER|R\s*BE"], _RATING, rating=True, prefer="first"),
        ParamSpec("VCBO", "V", [r"V\s*CBO", r"VCB0", r"V\(BR\)CBO", r"BVCBO"], [r"collector[- ]?(to[- ])?base\s*(breakdown\s*)?voltage"], [r"cut-?off"], _RATING, rating=True, prefer="first"),
        ParamSpec("VEBO", "V", [r"V\s*EBO", r"VEB0", r"V\(BR\)EBO", r"BVEBO"], [r"emitter[- ]?(to[- ])?base\s*(breakdown\s*)?voltage"], [r"cut-?off"], _RATING, rating=True, prefer="first"),
        ParamSpec("IC_max", "A", [r"I\s*C", r"IC\(DC\)"], [r"collector\s*current"], [r"peak|puls|ICM|cut-?off|ICBO|ICEO|ICEX|base"], _RATING, rating=True, prefer="first"),
        ParamSpec("PD", "W", [r"P\s*D", r"P\s*TOT", r"P\s*C", r"PTOT"], [r"power\s*dissipation", r"total\s*(device\s*)?dissipation", r"collector\s*(power\s*)?dissipation"],
                  [r"derat|/°C|W/°C"], _RATING, rating=True, prefer="first"),
        ParamSpec("hFE", "1", [r"H\s*FE", r"HFE", r"β"], [r"dc\s*current\s*gain", r"forward\s*current\s*(transfer\s*ratio|gain)"],
                  [r"small[- ]signal|hfe\s*groups|classification"], prefer="both"),
        ParamSpec("VCE_sat", "V", [r"V\s*CE\s*\(?SAT\)?", r"VCE\(SAT\)"], [r"collector[- ]?(to[- ])?emitter\s*saturation\s*voltage"], [], prefer="first", default_kind="max"),
        ParamSpec("VBE_sat", "V", [r"V\s*BE\s*\(?SAT\)?", r"VBE\(SAT\)"], [r"base[- ]?(to[- ])?emitter\s*saturation\s*voltage"], [], prefer="first", default_kind="max"),
        ParamSpec("VBE_on", "V", [r"V\s*BE\s*\(?ON\)?", r"VBE"], [r"base[- ]?(to[- ])?emitter\s*(on\s*)?voltage"], [r"sat"], prefer="first", default_kind="max"),
        ParamSpec("fT", "Hz", [r"F\s*T", r"FT"], [r"(current[- ]?)?gain[- ]?bandwidth\s*product", r"transition\s*frequency"], [], default_kind="min"),
        ParamSpec("Cob", "F", [r"C\s*OBO?", r"COB", r"CCB", r"C\s*OB", r"CC"], [r"output\s*capacitance", r"collector[- ]?base\s*capacitance", r"^collector\s*capacitance"], [r"input|emitter\s*capacitance"]),
    ],
    "diode": [
        ParamSpec("VRRM", "V", [r"V\s*RRM", r"VRRM", r"VRM"], [r"(peak\s*)?repetitive\s*(peak\s*)?reverse\s*voltage", r"peak\s*repetitive\s*reverse"],
                  [r"rms|non[- ]?repetitive|surge"], _RATING, rating=True, prefer="first"),
        ParamSpec("IF_avg", "A", [r"I\s*F\s*\(?AV\)?", r"IFAV", r"I\s*\(AV\)", r"I\s*O\s*\(AV\)", r"I\s*O", r"IF\(AV\)", r"IO", r"I\s*F", r"IF"],
                  [r"average\s*(forward\s*)?(rectified\s*)?(forward\s*|output\s*)?current", r"average\s*forward", r"(forward\s*continuous|continuous\s*forward)\s*current", r"^forward\s*current"],
                  [r"surge|peak|repetitive peak"], _RATING, rating=True, prefer="first"),
        ParamSpec("IFSM", "A", [r"I\s*FSM", r"IFSM"], [r"surge", r"non[- ]?repetitive\s*peak\s*forward"], [], _RATING, rating=True, prefer="first"),
        ParamSpec("PD", "W", [r"P\s*D", r"P\s*TOT", r"PTOT"], [r"power\s*dissipation"], [r"derat|/°C"], _RATING, rating=True, prefer="t25"),
        ParamSpec("VF", "V", [r"V\s*F", r"VFM", r"V\s*FM", r"VF"], [r"forward\s*voltage", r"instantaneous\s*forward"], [_TEMPCO, r"100\s*°|125\s*°|150\s*°"], prefer="max:IF", default_kind="max"),
        ParamSpec("IR", "A", [r"I\s*R", r"IRM", r"I\s*RM", r"IR"], [r"reverse\s*(leakage\s*)?current", r"leakage\s*current"], [r"recovery|100\s*°|125\s*°|150\s*°"], prefer="rated", default_kind="max"),
        ParamSpec("trr", "s", [r"T\s*RR"], [r"reverse\s*recovery\s*time"], [r"charge|carrier|lifetime|krakauer"], default_kind="max"),
        ParamSpec("CJ", "F", [r"C\s*J", r"CD", r"C\s*T", r"CT", r"C"], [r"(junction|diode|total)\s*capacitance", r"^capacitance"], [], default_kind="typ"),
    ],
    "opamp": [
        ParamSpec("VS", "V", [r"V\s*S", r"V\s*DD", r"V\s*CC", r"V\+", r"VS", r"VDD", r"VCC", r"V\+?-V-", r"VDD-VSS"],
                  [r"supply\s*voltage", r"supply\s*voltage\s*range", r"operating\s*voltage"], [r"rejection|current|sensitivity|change"],
                  ("recommended", "characteristics"), text_patterns=[r"single\s*supply", r"supply\s*range", r"supply\s*voltage"]),
        ParamSpec("VOS", "V", [r"V\s*OS", r"V\s*IO", r"VOS", r"VIO"], [r"input\s*offset\s*voltage"], [_TEMPCO, r"average|trim|adjust"], prefer="first",
                  text_patterns=[r"input\s*offset\s*voltage"]),
        ParamSpec("IB", "A", [r"I\s*B", r"I\s*IB", r"IB", r"IIB", r"I\s*BIAS"], [r"input\s*bias\s*current"], [_TEMPCO, r"85\s*°|125\s*°"], prefer="first", signed=False),
        ParamSpec("IOS", "A", [r"I\s*OS", r"I\s*IO", r"IOS", r"IIO"], [r"input\s*offset\s*current"], [_TEMPCO, r"short[- ]?circuit|output"], prefer="first", signed=False),
        ParamSpec("GBW", "Hz", [r"GBW", r"GBWP", r"GBP", r"B1", r"BW"], [r"gain[- ]?bandwidth", r"unity[- ]?gain\s*(bandwidth|frequency|crossover)", r"bandwidth\s*\(unity"],
                  [r"power\s*bandwidth|full[- ]power|-3\s*db|phase"], text_patterns=[r"gain[- ]?bandwidth", r"bandwidth\s*\(unity\s*gain\)", r"unity[- ]gain\s*(bandwidth|frequency)"]),
        ParamSpec("SR", "V/s", [r"SR", r"S\s*R"], [r"slew\s*rate"], [], text_patterns=[r"slew\s*rate"]),
        ParamSpec("AVOL", "V/V", [r"A\s*VOL", r"A\s*OL", r"A\s*VD", r"AVOL", r"AOL", r"AVD", r"A\s*V"], [r"open[- ]?loop\s*(voltage\s*)?gain", r"large[- ]?signal\s*(differential\s*)?voltage\s*gain", r"voltage\s*gain"],
                  [r"bandwidth"], alt_units=("dB",), prefer="first"),
        ParamSpec("CMRR", "dB", [r"CMRR", r"K\s*CMR", r"CMR"], [r"common[- ]?mode\s*rejection"], [], prefer="first"),
        ParamSpec("PSRR", "dB", [r"PSRR", r"K\s*SVR", r"SVR", r"PSR", r"K\s*SVS"], [r"(power\s*)?supply\s*(voltage\s*)?rejection"], [], prefer="first"),
        ParamSpec("IQ", "A", [r"I\s*Q", r"I\s*CC", r"I\s*DD", r"I\s*S", r"IQ", r"ICC", r"IDD", r"I\s*SY"], [r"supply\s*current", r"quiescent\s*current"],
                  [r"short|output|change"], prefer="defaults"),
    ],
    "regulator": [
        ParamSpec("VIN_max", "V", [r"V\s*I", r"V\s*IN", r"VIN", r"VI", r"V\s*IN\(MAX\)"], [r"(dc\s*)?input\s*voltage", r"^input voltage"],
                  [r"differential|output|[-–]\s*V\s*O|VI\s*-\s*VO"], _RATING, rating=True, prefer="first", strict=True,
                  text_patterns=[r"maximum\s*input\s*voltage", r"input\s*voltage"]),
        ParamSpec("VOUT_nom", "V", [r"V\s*O", r"V\s*OUT", r"VO", r"VOUT"], [r"output\s*voltage"], [r"drift|noise|range|swing|temperature|change|dropout|differential|adjust"], prefer="first", strict=True),
        ParamSpec("VREF", "V", [r"V\s*REF", r"VREF"], [r"reference\s*voltage"], [r"drift|change|temperature"], prefer="first"),
        ParamSpec("VDROP", "V", [r"V\s*D", r"V\s*DO", r"V\s*DROP", r"VDO", r"VD"], [r"dropout\s*voltage"], [], prefer="max:IOUT|IO|IL|ILOAD"),
        ParamSpec("IOUT_max", "A", [r"I\s*O", r"I\s*OUT", r"IO", r"IOUT", r"I\s*L"], [r"output\s*current", r"load\s*current"],
                  [r"short|peak|minimum|change|quiescent|limit|adjust"], ("recommended", "ratings"), rating=True, prefer="first",
                  text_patterns=[r"output\s*current", r"up\s*to\s*[\d.]+\s*A"]),
        ParamSpec("line_reg", "V", [r"∆\s*V\s*O", r"REG\s*LINE", r"ΔVO", r"∆VO", r"ΔVOUT", r"∆VOUT"], [r"line\s*regulation"], [r"load\s*regulation"], alt_units=("%", "%/V"), prefer="rows_typ"),
        ParamSpec("load_reg", "V", [r"∆\s*V\s*O", r"REG\s*LOAD", r"ΔVO", r"∆VO", r"ΔVOUT", r"∆VOUT"], [r"load\s*regulation"], [r"line\s*regulation"], alt_units=("%",), prefer="rows_typ"),
        ParamSpec("IQ", "A", [r"I\s*Q", r"I\s*D", r"I\s*GND", r"IQ", r"ID", r"IGND", r"I\s*B"], [r"quiescent\s*current", r"ground\s*(pin\s*)?current", r"bias\s*current"],
                  [r"change|∆|Δ"], prefer="first"),
    ],
}


def specs_for(device_class: str) -> list[ParamSpec]:
    return CATALOG.get(device_class, [])


_CLASS_WORDS = {
    "mosfet": [r"mosfet", r"drain[- ]?(to[- ])?source", r"gate[- ]?(to[- ])?source", r"r\s*ds\s*\(on\)", r"n-channel", r"p-channel",
               r"enhancement mode", r"field effect transistor", r"v\s*gs\s*\(th\)"],
    "bjt": [r"\bnpn\b", r"\bpnp\b", r"collector[- ]?(to[- ])?emitter", r"\bh\s*fe\b", r"\bv\s*ceo\b", r"bipolar", r"current gain",
            r"collector[- ]?base"],
    "diode": [r"\brectifier\b", r"\bdiodes?\b", r"schottky", r"\bv\s*rrm\b", r"reverse recovery", r"forward voltage", r"\bzener\b",
              r"reverse voltage"],
    "opamp": [r"operational amplifier", r"\bop[- ]?amps?\b", r"slew rate", r"gain[- ]?bandwidth", r"input offset voltage", r"\bcmrr\b",
              r"rail[- ]to[- ]rail", r"common[- ]mode"],
    "regulator": [r"regulator", r"dropout", r"line regulation", r"load regulation", r"\bldo\b", r"output voltage",
                  r"quiescent current", r"ripple rejection"],
}


def classify_device(text: str) -> tuple[str, dict[str, float]]:
    """The device class with the strongest vocabulary in ``text`` (the first pages), and all scores."""
    low = text.lower()
    scores: dict[str, float] = {}
    for cls, pats in _CLASS_WORDS.items():
        s = 0.0
        for p in pats:
            n = len(re.findall(p, low))
            s += min(n, 12) ** 0.5
        scores[cls] = s
    # body diodes and protection diodes appear in every transistor sheet
    if scores["mosfet"] >= 4:
        scores["diode"] *= 0.4
    if scores["bjt"] >= 4:
        scores["diode"] *= 0.6
    if scores["regulator"] >= 4 and scores["opamp"] < 6:
        scores["opamp"] *= 0.5
    best = max(scores, key=scores.get)
    return best, scores
