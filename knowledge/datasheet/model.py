"""What extraction produces: parameter values with provenance, per device."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

__all__ = ["ParamValue", "Extraction", "Kind", "KIND_ORDER"]

Kind = Literal["rating", "min", "typ", "max"]
KIND_ORDER = ("rating", "min", "typ", "max")


class ParamValue(BaseModel):
    name: str = Field(description="Canonical quantity (RDS_on, VF, hFE, ...)")
    kind: Kind
    value: float = Field(description="SI value (V, A, Ω, F, C, s, S, W, Hz); dB, %, %/V and V/V as printed")
    unit: str
    conditions: dict[str, float | str | list[float | None]] = Field(default_factory=dict)
    conditions_text: str = ""
    page: int = Field(ge=0, description="1-based PDF page index")
    source: str = Field(description="The text it was read from, as printed")
    method: Literal["table", "text", "llm"] = "table"
    text_source: Literal["pdf", "poppler", "ocr"] = Field(default="pdf", description="Where the page's text came from: the PDF text layer, poppler, or OCR")
    section: str = ""

    @property
    def label_name(self) -> str:
        return self.name


class Extraction(BaseModel):
    file: str
    part: str | None = None
    device_class: str
    class_scores: dict[str, float] = Field(default_factory=dict)
    manufacturer: str | None = None
    pages: int = 0
    pages_read: list[int] = Field(default_factory=list)
    params: list[ParamValue] = Field(default_factory=list)
    points: list[ParamValue] = Field(
        default_factory=list,
        description="Further rows of the same quantities at other test conditions (VF at other IF, hFE at other IC), for model fitting",
    )
    traits: list[str] = Field(default_factory=list, description="schottky, p-channel, rail-to-rail, adjustable ...")
    warnings: list[str] = Field(default_factory=list)
    members: list[str] = Field(
        default_factory=list,
        description="Family members the tables give values for, when no part was given and none could be told from the file name or title",
    )
    llm_tokens: int = 0
    llm_used: bool = False
    seconds: float = 0.0

    def get(self, name: str, kind: str | None = None) -> ParamValue | None:
        """The value of a quantity: of that kind, or the headline one (typ, else max, min, rating)."""
        vals = [p for p in self.params if p.name == name]
        if kind is not None:
            return next((p for p in vals if p.kind == kind), None)
        for k in ("typ", "max", "min", "rating"):
            for p in vals:
                if p.kind == k:
                    return p
        return None

    def value(self, name: str, kind: str | None = None, default: float | None = None) -> float | None:
        p = self.get(name, kind)
        return p.value if p is not None else default

    def named(self) -> dict[str, ParamValue]:
        """Parameters under label-style names: the bare name when a quantity has one kind,
        NAME_min / NAME_typ / NAME_max when it has several."""
        by: dict[str, list[ParamValue]] = {}
        for p in self.params:
            by.setdefault(p.name, []).append(p)
        out: dict[str, ParamValue] = {}
        for name, vals in by.items():
            if len(vals) == 1:
                out[name] = vals[0]
            else:
                for p in vals:
                    out[f"{name}_{p.kind}"] = p
        return out

    def as_json(self) -> dict:
        return {
            "file": self.file,
            "part": self.part,
            "class": self.device_class,
            "pages": self.pages,
            "params": {
                k: {
                    "value": p.value,
                    "kind": p.kind,
                    "unit": p.unit,
                    "conditions": p.conditions,
                    "page": p.page,
                    "source": p.source,
                    "method": p.method,
                    "text_source": p.text_source,
                }
                for k, p in self.named().items()
            },
            "warnings": self.warnings,
            "llm_tokens": self.llm_tokens,
        }
