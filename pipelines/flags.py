"""Numeric command-line flags with a range: a value outside it is refused by argparse (exit 2) with a
message that gives the range, e.g. ``--mc: 100000000 is out of range; give an integer from 0 to 10000``."""

from __future__ import annotations

import argparse
import math

__all__ = ["int_range", "float_range"]


def int_range(lo: int, hi: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not an integer; give one from {lo} to {hi}") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"{value} is out of range; give an integer from {lo} to {hi}")
        return value

    parse.__name__ = "integer"
    return parse


def float_range(lo: float, hi: float, unit: str = ""):
    suffix = f" {unit}" if unit else ""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number; give one from {lo:g} to {hi:g}{suffix}") from None
        if not math.isfinite(value) or not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"{text} is out of range; give a number from {lo:g} to {hi:g}{suffix}")
        return value

    parse.__name__ = "number"
    return parse
