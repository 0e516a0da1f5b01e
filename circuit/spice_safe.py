"""Safe SPICE text: everything that turns names, words and model cards into deck text.

A deck is line-oriented and ngspice acts on some lines no matter where they come from
(``.control``, ``.include``, ``shell``, a ``+`` continuation, a ``*#`` control comment).
User and LLM text therefore never reaches a deck verbatim:

* names become ``[A-Za-z0-9_]`` tokens (:class:`NameRegistry`, built on :func:`circuit.sim.spice_name`);
* numbers are floats printed by :func:`circuit.sim.spice_number`;
* comments and the title line keep a small safe alphabet on one line and always start
  ``"* "``, so they can neither open a control block nor continue a previous line;
* model cards come only from component records, and even those are re-parsed into
  ``TYPE(name=number ...)`` and printed again (:func:`parse_model`), so a record cannot
  smuggle a second line or a dot-command either.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from circuit.sim import spice_name, spice_number

__all__ = [
    "SpiceTextError",
    "comment",
    "comment_text",
    "title_line",
    "NameRegistry",
    "pin_token",
    "ModelCard",
    "parse_model",
    "parse_spice_number",
    "check_analysis",
    "MODEL_TYPES",
]


class SpiceTextError(ValueError):
    """Text that cannot be turned into safe SPICE (a model card we do not accept, a bad analysis)."""


_TRANSLIT = {"Ω": "Ohm", "Ω": "Ohm", "µ": "u", "μ": "u", "°": "deg", "±": "+-", "→": "->", "×": "x"}
_COMMENT_UNSAFE = re.compile(r"[^A-Za-z0-9 _.,:()%+=<>\-]")
_DOT_WORD = re.compile(r"(?<![A-Za-z0-9])\.+(?=[A-Za-z])")  # ".control" -> "control"; "1.5" stays
_SPACES = re.compile(r"\s+")


def comment_text(text: object, limit: int = 160) -> str:
    """One line of plain words: no newline, no control characters, nothing ngspice acts on."""
    s = str(text)
    for a, b in _TRANSLIT.items():
        s = s.replace(a, b)
    s = _SPACES.sub(" ", s)  # newlines, tabs, CR, vertical tabs... all become one space
    s = _COMMENT_UNSAFE.sub(" ", s)
    s = _DOT_WORD.sub("", s)
    s = _SPACES.sub(" ", s).strip()
    if len(s) > limit:
        s = s[: limit - 3].rstrip() + "..."
    return s


def comment(text: object) -> str:
    """A full comment line, ``* words``; the space after ``*`` keeps ngspice from reading ``*#`` control lines."""
    return "* " + comment_text(text)


def title_line(title: object) -> str:
    """The deck's first line (ngspice ignores it, but it must still be one harmless line)."""
    words = comment_text(title, limit=100)
    return "circuitsmith DC operating point" + (f": {words}" if words else "")


def pin_token(pin: str) -> str:
    """A pin name as a name fragment: ``+`` → ``P``, ``-`` → ``M``, others → ``_``; never empty."""
    out = []
    for ch in str(pin):
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        elif ch == "+":
            out.append("P")
        elif ch == "-":
            out.append("M")
        else:
            out.append("_")
    tok = "".join(out)[:24]
    return tok or "pin"


class NameRegistry:
    """Unique SPICE names (ngspice folds case, so uniqueness is case-insensitive)."""

    def __init__(self, reserved: tuple[str, ...] = ("0", "gnd")) -> None:
        self._used: set[str] = {r.lower() for r in reserved}

    def take(self, base: str, letter: str = "") -> str:
        """A fresh name made of ``letter`` + a sanitised ``base``; suffixes ``_2``, ``_3`` on a clash."""
        clean = spice_name(base)
        name = f"{letter}{'_' if letter else ''}{clean}" if letter else clean
        cand, i = name, 2
        while cand.lower() in self._used:
            cand = f"{name}_{i}"
            i += 1
        self._used.add(cand.lower())
        return cand

    def reserve(self, name: str) -> None:
        self._used.add(name.lower())


# ---- numbers and model cards ---------------------------------------------------------------

_SCALE = {"t": 1e12, "g": 1e9, "meg": 1e6, "k": 1e3, "m": 1e-3, "u": 1e-6, "n": 1e-9, "p": 1e-12, "f": 1e-15, "": 1.0}
_NUM = re.compile(r"^([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(meg|[tgkmunpf])?$", re.IGNORECASE)


def parse_spice_number(text: str) -> float:
    """A SPICE number (``2.52n``, ``1e-14``, ``10u``, ``1meg``) as a float; nothing else is accepted."""
    m = _NUM.match(text.strip())
    if not m:
        raise SpiceTextError(f"{text!r} is not a SPICE number")
    v = float(m.group(1)) * _SCALE[(m.group(2) or "").lower()]
    if not math.isfinite(v):
        raise SpiceTextError(f"{text!r} is not finite")
    return v


# The device model types a record may use, and the flags each accepts.
MODEL_TYPES: dict[str, set[str]] = {
    "D": set(),
    "NPN": set(),
    "PNP": set(),
    "VDMOS": {"pchan", "nchan"},
    "NMOS": set(),
    "PMOS": set(),
}
_PARAM_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,15}$")
_MODEL = re.compile(r"^([A-Za-z]+)\s*\(([^()\n\r]*)\)$")


@dataclass
class ModelCard:
    """A parsed ``.model`` body: type, numeric parameters and bare flags."""

    type: str
    params: dict[str, float] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)

    def get(self, name: str, default: float | None = None) -> float | None:
        for k, v in self.params.items():
            if k.lower() == name.lower():
                return v
        return default

    def set(self, name: str, value: float) -> None:
        for k in list(self.params):
            if k.lower() == name.lower():
                del self.params[k]
        self.params[name] = float(value)

    def card(self, model_name: str) -> str:
        """The ``.model`` line, printed from numbers only."""
        parts = list(self.flags) + [f"{k}={spice_number(v)}" for k, v in self.params.items()]
        return f".model {model_name} {self.type}({' '.join(parts)})"


def parse_model(text: str | None) -> ModelCard:
    """Parse a record's model text such as ``D(IS=2.52n N=1.752 RS=0.568)`` strictly.

    Only ``TYPE(name=number ... flag ...)`` on one line passes; anything else (a second line,
    a dot-command, an expression, an unknown type) raises :class:`SpiceTextError`.
    """
    if text is None:
        raise SpiceTextError("no model text")
    if not isinstance(text, str) or "\n" in text or "\r" in text:
        raise SpiceTextError("model text must be one line")
    m = _MODEL.match(text.strip())
    if not m:
        raise SpiceTextError(f"model text {text[:60]!r} is not of the form TYPE(name=value ...)")
    mtype = m.group(1).upper()
    if mtype not in MODEL_TYPES:
        raise SpiceTextError(f"model type {m.group(1)!r} is not one of {', '.join(MODEL_TYPES)}")
    card = ModelCard(type=mtype)
    body = m.group(2).replace(",", " ")
    body = re.sub(r"\s*=\s*", "=", body)
    for tok in body.split():
        if "=" in tok:
            k, v = tok.split("=", 1)
            if not _PARAM_NAME.match(k):
                raise SpiceTextError(f"model parameter name {k[:20]!r} is not a plain name")
            card.set(k, parse_spice_number(v))
        elif tok.lower() in MODEL_TYPES[mtype]:
            card.flags.append(tok.lower())
        else:
            raise SpiceTextError(f"model text has {tok[:20]!r}, which is neither name=value nor a known flag")
    return card


_ANALYSIS = re.compile(r"^\.(op|tran|ac|dc|tf|noise)(\s+[A-Za-z0-9.+\-_ ]*)?$", re.IGNORECASE)


def check_analysis(analysis: str) -> str:
    """An analysis card we agree to print: ``.op``, ``.tran 1u 10m``, ``.ac dec 10 1 1meg``..."""
    if not isinstance(analysis, str) or "\n" in analysis or "\r" in analysis:
        raise SpiceTextError("the analysis must be one line such as .op or .tran 1u 10m")
    a = analysis.strip()
    if not _ANALYSIS.match(a):
        raise SpiceTextError(f"analysis {analysis[:40]!r} is not .op, .tran, .ac, .dc, .tf or .noise with numbers")
    return a
