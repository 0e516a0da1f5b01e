"""The USB connector a request names, read against the connector kinds the records type (``ComponentRecord.usb``).

"an arduino nano with a usb-c socket", "the nano with the old mini usb connector", "micro usb": the vocabulary is
the typed values' own words ("usb-c", "micro-b", "mini-b", "usb-b"): a value's word that no other value has ("c",
"micro", "mini"), or all of its words where it has none of its own (the full-size "b"), within a few tokens of "usb",
or the value's compact form ("usbc"). A value whose words another named value holds too ("b" beside "micro") is that
other one.
"""

from __future__ import annotations

from typing import Callable, Iterable, Sequence

__all__ = ["NEAR", "connector_words", "named_connectors"]

NEAR = 2  # a connector's word within this many tokens of "usb" ("usb type c", "micro usb")


def connector_words(kinds: Iterable[str]) -> dict[str, frozenset[str]]:
    """Each connector kind's own words ({"usb-c": {"c"}, "micro-b": {"micro"}, "usb-b": {"b"}}); "none" is none."""
    kinds = sorted({k for k in kinds if k and k != "none"})
    words = {k: set(k.split("-")) - {"usb"} for k in kinds}
    return {k: frozenset((w - set().union(*(words[o] for o in kinds if o != k))) or w) for k, w in words.items()}


def named_connectors(toks: Sequence[str], words: dict[str, frozenset[str]],
                     skip: Callable[[int], bool] = lambda i: False) -> frozenset[str]:
    """The connector kinds the tokens name (``skip``: positions of "usb" that name no connector of the part wanted,
    such as one named after a context cue)."""
    near = {toks[j] for i, t in enumerate(toks) if t == "usb" and not skip(i)
            for j in range(max(0, i - NEAR), min(len(toks), i + NEAR + 1)) if j != i}
    found = {k for k, w in words.items() if w & near or k.replace("-", "") in toks}
    return frozenset(k for k in found if not any(o != k and words[k] <= set(o.split("-")) for o in found))
