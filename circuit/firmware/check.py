"""Does the starter sketch build? A real compile for AVR boards, a syntax check elsewhere.

AVR boards (Uno, Nano, Mega, Leonardo) compile offline with Debian's ``arduino-builder``,
``arduino-core-avr``, ``gcc-avr`` and ``avr-libc``. Their gcc 5.4 needs ``DECIMAL_DIG`` defined. The
compiled core is cached under the user's cache folder, so later sketches take a few seconds.
Boards whose toolchains need downloads (ESP32, RP2040, ...) get ``g++ -fsyntax-only`` against the
small API stand-in in ``stub/``; the result says "syntax-only", never "compiled".
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from circuit.firmware.sketch import Sketch
from knowledge.library import user_home

__all__ = ["FirmwareCheck", "check_sketch", "toolchain_ready"]

STUB = Path(__file__).parent / "stub"
ARDUINO_HARDWARE = Path("/usr/share/arduino/hardware")
BUILDER_PLATFORM = Path("/usr/share/arduino-builder")
_ARCH_DEFINE = {"esp32": "ARDUINO_ARCH_ESP32", "rp2040": "ARDUINO_ARCH_RP2040", "esp8266": "ARDUINO_ARCH_ESP8266",
                "stm32": "ARDUINO_ARCH_STM32", "attiny": "ARDUINO_ARCH_AVR", "megaavr": "ARDUINO_ARCH_MEGAAVR",
                "samd": "ARDUINO_ARCH_SAMD", "teensy": "TEENSYDUINO"}


@dataclass
class FirmwareCheck:
    board: str
    compiled: bool | str          # True / False, or "syntax-only" / "not-checked"
    errors: list[str] = field(default_factory=list)
    tool: str = ""

    def as_json(self) -> dict:
        return {"board": self.board, "compiled": self.compiled, "errors": self.errors, "tool": self.tool}


def toolchain_ready() -> bool:
    """True when the offline AVR toolchain is installed."""
    return bool(shutil.which("arduino-builder") and shutil.which("avr-gcc") and shutil.which("arduino-ctags")
                and ARDUINO_HARDWARE.is_dir())


def _errors(output: str, sketch_path: Path) -> list[str]:
    out = []
    for line in output.splitlines():
        if re.search(r"\berror\b", line):
            out.append(line.replace(str(sketch_path.parent) + os.sep, "").strip())
    return out[:20] or [output.strip().splitlines()[-1][:300] if output.strip() else "the build failed"]


def check_sketch(sketch: Sketch, timeout: float = 120.0) -> FirmwareCheck:
    """Compile (AVR) or syntax-check (other boards) the sketch in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="circuitsmith-fw-") as tmp:
        folder = Path(tmp) / "sketch"
        folder.mkdir()
        ino = folder / "sketch.ino"
        ino.write_text(sketch.text, encoding="utf-8")
        if sketch.info.fqbn:
            if not toolchain_ready():
                return FirmwareCheck(sketch.board, "not-checked",
                                     ["the offline AVR toolchain is not installed: apt-get install arduino-builder "
                                      "arduino-core-avr gcc-avr avr-libc arduino-ctags"], "arduino-builder")
            cache = user_home() / "cache" / "arduino-core"
            cache.mkdir(parents=True, exist_ok=True)
            build = Path(tmp) / "build"
            build.mkdir()
            cmd = ["arduino-builder", "-compile", "-quiet", "-hardware", str(ARDUINO_HARDWARE),
                   "-hardware", str(BUILDER_PLATFORM), "-tools", "/usr/bin", "-fqbn", sketch.info.fqbn,
                   "-build-path", str(build), "-build-cache", str(cache),
                   "-prefs", "compiler.cpp.extra_flags=-DDECIMAL_DIG=__DECIMAL_DIG__", str(ino)]
            tool = "arduino-builder " + sketch.info.fqbn
        else:
            gxx = shutil.which("g++")
            if gxx is None:
                return FirmwareCheck(sketch.board, "not-checked", ["g++ is not installed"], "g++ -fsyntax-only")
            define = _ARCH_DEFINE.get(sketch.info.arch, "ARDUINO_ARCH_UNKNOWN")
            cpp = folder / "sketch.cpp"
            cpp.write_text('#include <Arduino.h>\n#line 1 "sketch.ino"\n' + sketch.text, encoding="utf-8")
            cmd = [gxx, "-fsyntax-only", "-std=gnu++17", "-Wall", f"-D{define}", "-I", str(STUB), str(cpp)]
            tool = "g++ -fsyntax-only against circuit/firmware/stub"
        try:
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=tmp)
        except subprocess.TimeoutExpired:
            return FirmwareCheck(sketch.board, False, [f"the build ran past {timeout:.0f} s"], tool)
        ok = run.returncode == 0
        result: bool | str = ok if sketch.info.fqbn else ("syntax-only" if ok else False)
        return FirmwareCheck(sketch.board, result, [] if ok else _errors(run.stdout + run.stderr, ino), tool)
