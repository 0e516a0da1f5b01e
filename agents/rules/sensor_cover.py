"""Quantities a request wants measured (temperature, humidity, pressure, distance, light ...),
covered by as few sensors as the library allows: the sensor whose record answers for the most of
them first (a BME280 for temperature, humidity and pressure), skipping what a named sensor covers.
"""

from __future__ import annotations

import re

from agents.models import Need
from agents.rules import concepts as K
from knowledge.library import Library
from knowledge.record import ComponentRecord


def sensors_for_quantities(lib: Library, low: str, needs: list[Need]) -> list[Need]:
    asked = [q for q, (pat, _) in K.QUANTITIES.items() if re.search(pat, low)]
    if not asked:
        return []
    have = set()
    for n in needs:
        if n.key and lib[n.key].category == "sensor":
            words = _full_words(lib[n.key])
            for q in asked:
                if any(w in words for w in K.QUANTITIES[q][1]):
                    have.add(q)
    todo = [q for q in asked if q not in have]
    out: list[Need] = []
    sensors = [r for r in lib if r.category == "sensor"]
    while todo:
        best = None
        for r in sensors:
            words = _full_words(r)
            cover = [q for q in todo if any(w in words for w in K.QUANTITIES[q][1])]
            if not cover:
                continue
            # the sensor that covers most; among equals, the one that names it in its name/aliases
            strong = _record_words(r)
            named = sum(1 for q in cover if any(w in strong for w in K.QUANTITIES[q][1]))
            score = (len(cover), named, -len(r.pins))
            if best is None or score > best[0]:
                best = (score, r, cover)
        if best is None:
            break
        _, r, cover = best
        out.append(Need(phrase=" and ".join(cover) + " sensing", key=r.key, qty=1, role="part", explicit=False,
                        why=f"measures {', '.join(cover)}"))
        todo = [q for q in todo if q not in cover]
    return out


def _full_words(rec: ComponentRecord) -> set[str]:
    from agents.rules.part_search import record_words

    words = record_words(rec)
    text = (rec.name + " " + " ".join(rec.aliases) + " " + rec.description).lower()
    for phrase in ("air quality", "load cell"):
        if phrase in text:
            words.add(phrase)
    return words


def _record_words(rec: ComponentRecord) -> set[str]:
    from agents.rules.text import tokens

    return set(tokens(" ".join([rec.key.replace("-", " "), rec.name, " ".join(rec.aliases)])))
