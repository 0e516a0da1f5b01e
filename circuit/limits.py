"""The edge of every command: input is read and measured against limits before anything trusts it.

Whatever arrives (a CircuitJSON file, a part record, a sizing spec, an LLM's answer), it is
checked here first, in time linear in its size:

- only regular files are read (``/dev/zero``, a FIFO or a folder is refused without opening it),
  and never more than :attr:`Limits.max_bytes`;
- JSON numbers are read without Python's own limits biting (a 5,000-digit integer is a clear
  error, not a traceback), nesting deeper than :attr:`Limits.max_depth` is refused;
- every string, key, list and the whole tree have a bound; lone surrogates (which no terminal or
  file can hold) become U+FFFD;
- a CircuitJSON document is bounded in parts, connections and pins per net.

A rejection raises :class:`InputLimitError`, whose message is one line naming the limit and the
field (``parts[3].type: string of 1048576 characters; the limit is 10000``).
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Limits", "DEFAULT_LIMITS", "InputLimitError", "read_input_file", "parse_json", "check_tree",
           "check_circuit_size", "clean_string"]


class InputLimitError(ValueError):
    """Input beyond a limit (or not a regular file). ``str(e)`` is one line naming field and limit."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 8 * 1024 * 1024       # one input file
    max_depth: int = 32                     # nesting of lists and objects
    max_string: int = 10_000                # characters in one string value
    max_key: int = 200                      # characters in one object key
    max_items: int = 100_000                # entries in one list or object
    max_nodes: int = 2_000_000              # values in the whole tree (anchored YAML cannot explode)
    max_int_digits: int = 30                # digits of one integer
    max_parts: int = 20_000                 # CircuitJSON parts
    max_connections: int = 50_000           # CircuitJSON connections
    max_pins_per_net: int = 20_000          # endpoints joined into one net


DEFAULT_LIMITS = Limits()

_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_string(text: str) -> str:
    """A string any file or terminal can hold: lone surrogates become U+FFFD."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def read_input_file(path: str | Path, limits: Limits = DEFAULT_LIMITS, what: str = "input") -> str:
    """Text of a regular file of at most ``limits.max_bytes`` (UTF-8), checked before it is opened."""
    p = Path(path)
    try:
        st = os.stat(p)
    except OSError as e:
        raise InputLimitError(str(p), f"cannot read the {what}: {e.strerror or e}") from None
    if not stat.S_ISREG(st.st_mode):
        kind = ("a folder" if stat.S_ISDIR(st.st_mode) else "a pipe (FIFO)" if stat.S_ISFIFO(st.st_mode)
                else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "not a regular file")
        raise InputLimitError(str(p), f"the {what} is {kind}; only regular files are read")
    if st.st_size > limits.max_bytes:
        raise InputLimitError(str(p), f"the {what} is {st.st_size} bytes; the limit is {limits.max_bytes} bytes")
    try:
        with open(p, "rb") as fh:
            data = fh.read(limits.max_bytes + 1)
    except OSError as e:
        raise InputLimitError(str(p), f"cannot read the {what}: {e.strerror or e}") from None
    if len(data) > limits.max_bytes:
        raise InputLimitError(str(p), f"the {what} is over {limits.max_bytes} bytes; the limit is {limits.max_bytes} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputLimitError(str(p), f"the {what} is not UTF-8 text (byte {e.start})") from None


class _BigInt(str):
    """An integer literal longer than the limit, kept as text until the walk names its field."""


def parse_json(text: str, limits: Limits = DEFAULT_LIMITS, field: str = "document") -> Any:
    """``json.loads`` within the limits; JSONDecodeError passes through for the caller to word."""
    if len(text) > limits.max_bytes:
        raise InputLimitError(field, f"{len(text)} characters; the limit is {limits.max_bytes}")

    def parse_int(s: str) -> Any:
        return _BigInt(s) if len(s.lstrip("-")) > limits.max_int_digits else int(s)

    try:
        data = json.loads(text, parse_int=parse_int)
    except RecursionError:
        raise InputLimitError(field, f"nested deeper than the limit of {limits.max_depth} levels") from None
    return check_tree(data, limits, field)


def check_tree(data: Any, limits: Limits = DEFAULT_LIMITS, root: str = "document") -> Any:
    """Walk a parsed document once (iteratively); raise on the first value beyond a limit.

    Strings holding lone surrogates are replaced in place by their clean form."""
    stack: list[tuple[Any, str, int, Any, Any]] = [(data, root, 0, None, None)]
    nodes = 0
    while stack:
        value, where, depth, parent, key = stack.pop()
        nodes += 1
        if nodes > limits.max_nodes:
            raise InputLimitError(root, f"more than {limits.max_nodes} values; the limit is {limits.max_nodes}")
        if isinstance(value, _BigInt):
            raise InputLimitError(where, f"an integer of {len(value.lstrip('-'))} digits; "
                                         f"the limit is {limits.max_int_digits} digits")
        if isinstance(value, str):
            if len(value) > limits.max_string:
                raise InputLimitError(where, f"a string of {len(value)} characters; the limit is {limits.max_string}")
            cleaned = clean_string(value)
            if cleaned is not value and parent is not None:
                parent[key] = cleaned
            continue
        if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > limits.max_int_digits * 4:
            raise InputLimitError(where, f"an integer beyond {limits.max_int_digits} digits")
        if isinstance(value, (dict, list)):
            if depth >= limits.max_depth:
                raise InputLimitError(where, f"nested deeper than the limit of {limits.max_depth} levels")
            if len(value) > limits.max_items:
                raise InputLimitError(where, f"{len(value)} entries; the limit is {limits.max_items}")
            if isinstance(value, dict):
                for k in list(value.keys()):
                    name = str(k)
                    if len(name) > limits.max_key:
                        raise InputLimitError(f"{where}.{name[:40]}…",
                                              f"a key of {len(name)} characters; the limit is {limits.max_key}")
                    if isinstance(k, str) and _SURROGATE.search(k):
                        value[clean_string(k)] = value.pop(k)
                        k = clean_string(k)
                    stack.append((value[k], f"{where}.{name}", depth + 1, value, k))
            else:
                for i, v in enumerate(value):
                    stack.append((v, f"{where}[{i}]", depth + 1, value, i))
    return data


def check_circuit_size(data: dict, limits: Limits = DEFAULT_LIMITS) -> None:
    """Parts, connections and pins per net of a CircuitJSON document within their limits."""
    parts = data.get("parts")
    if isinstance(parts, list) and len(parts) > limits.max_parts:
        raise InputLimitError("parts", f"{len(parts)} parts; the limit is {limits.max_parts}")
    conns = data.get("connections")
    if not isinstance(conns, list):
        return
    if len(conns) > limits.max_connections:
        raise InputLimitError("connections", f"{len(conns)} connections; the limit is {limits.max_connections}")
    parent: dict[str, str] = {}
    size: dict[str, int] = {}

    def find(x: str) -> str:
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for c in conns:
        ends = [c.get("source"), c.get("target")] if isinstance(c, dict) else c[:2] if isinstance(c, list) else []
        ends = [e for e in ends if isinstance(e, str)]
        if len(ends) != 2:
            continue
        a, b = find(ends[0]), find(ends[1])
        size.setdefault(a, 1)
        size.setdefault(b, 1)
        if a == b:
            continue
        if size[a] < size[b]:
            a, b = b, a
        parent[b] = a
        size[a] += size.pop(b)
        if size[a] > limits.max_pins_per_net:
            raise InputLimitError("connections", f"a net of more than {limits.max_pins_per_net} pins "
                                                 f"(it holds {ends[0]}); the limit is {limits.max_pins_per_net}")
