"""Handing out a controller's pins by what each pin can do.

A pin is chosen because the record says it can serve the function (``pwm``, ``adc``,
``i2c_sda``, ``interrupt`` ...), never by its name. Among the pins that can, the allocator takes
the one whose *other* capabilities are least scarce, so a plain GPIO job does not eat the
board's only ADC or I2C pins. Boot-strapping pins, the USB console UART and input-only pins
(for outputs) are avoided; reset/enable pins are never handed out, and a boot-button pin only when
no other pin can serve the function (ESP32-C3's default I2C SCL is its BOOT strap, GPIO9). Pins the
record notes as taken by on-module flash or PSRAM are the last choice of all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.record import ComponentRecord, Pin

IO_TYPES = ("digital_io", "digital_in", "digital_out", "analog_in", "analog_out")
NEVER = {"reset", "enable", "vref", "usb_dp", "usb_dm", "clock"}
BOOT = "boot"
# a boot-strap pin must idle high at reset: an I2C line (pulled up) is safe there, an LED is not
BOOT_SAFE = {"i2c_sda", "i2c_scl"}
def memory_bus(pin: Pin) -> bool:
    """A pin the record says on-module flash/PSRAM uses (function ``memory_bus``: ESP32-S3 N8R8 GPIO35-37)."""
    return "memory_bus" in pin.functions
BUSES = {"i2c_sda", "i2c_scl", "spi_mosi", "spi_miso", "spi_sck"}


class PinsExhausted(RuntimeError):
    """The board has no free pin that can serve a function."""


@dataclass
class Allocation:
    pin: Pin
    function: str
    user: str
    software: bool = False  # a software (bit-banged) use of a plain GPIO, e.g. SoftwareSerial


@dataclass
class PinAllocator:
    board_id: str
    rec: ComponentRecord
    used: dict[str, Allocation] = field(default_factory=dict)
    shared: dict[str, Pin] = field(default_factory=dict)
    # pins the same part had before an edit: {(part type, instance, function): [pin names]}, and how
    # to tell a user's (type, instance); a follow-up keeps what the user already wired
    prefs: dict = field(default_factory=dict)
    identity: object = None

    def __post_init__(self) -> None:
        seen: set[str] = set()
        self.pins: list[Pin] = []
        for p in self.rec.pins:
            if p.name in seen or p.type not in IO_TYPES:
                continue
            if NEVER & set(p.functions):
                continue
            seen.add(p.name)
            self.pins.append(p)
        counts: dict[str, int] = {}
        for p in self.pins:
            for f in p.functions:
                counts[f] = counts.get(f, 0) + 1
        if any(p.type == "analog_in" for p in self.pins):
            counts["adc"] = counts.get("adc", 0) + sum(1 for p in self.pins if p.type == "analog_in" and "adc" not in p.functions)
        self.scarcity = {f: 1.0 / n for f, n in counts.items()}
        self._console = self._console_uart()

    # ---- capability ----------------------------------------------------------------
    @staticmethod
    def can(pin: Pin, function: str, direction: str = "io") -> bool:
        fns = set(pin.functions)
        if direction in ("out", "io") and ("input_only" in fns or pin.type in ("digital_in", "analog_in")):
            return False
        if function == "gpio":
            return "gpio" in fns or pin.type in ("digital_io",) or (direction == "in" and pin.type == "digital_in")
        if function == "adc":
            return "adc" in fns or pin.type == "analog_in"
        return function in fns

    def _console_uart(self) -> set[str]:
        """The UART wired to the USB bridge: the pair with the lowest index (RX0/TX0)."""
        pairs = self.uart_pairs(include_console=True)
        if len(pairs) >= 1:
            rx, tx = pairs[0]
            return {rx.name, tx.name}
        return set()

    def uart_pairs(self, include_console: bool = False) -> list[tuple[Pin, Pin]]:
        rx = [p for p in self.pins if "uart_rx" in p.functions]
        tx = [p for p in self.pins if "uart_tx" in p.functions]

        def idx(p: Pin) -> str:
            m = re.search(r"(\d+)\D*$", p.name)
            return m.group(1) if m else ""

        pairs = []
        for r in rx:
            for t in tx:
                if idx(r) == idx(t):
                    pairs.append((r, t))
                    break
        pairs.sort(key=lambda rt: (idx(rt[0]) or "0"))
        if include_console:
            return pairs
        return [pr for pr in pairs if not ({pr[0].name, pr[1].name} & self._console)]

    def _cost(self, pin: Pin, function: str) -> float:
        cost = 0.0
        for f in pin.functions:
            if f in (function, "gpio"):
                continue
            cost += self.scarcity.get(f, 0.0)
        if "strapping" in pin.functions:
            cost += 5.0
        if pin.name in self._console:
            cost += 8.0
        if "input_only" in pin.functions and function not in ("adc",):
            cost += 0.5  # keep input-only pins for ADC/inputs that need nothing else
        return cost

    @staticmethod
    def _last_resort(pin: Pin) -> bool:
        return BOOT in pin.functions or memory_bus(pin)

    # ---- handing out -----------------------------------------------------------------
    def free(self, pin: Pin) -> bool:
        return pin.name not in self.used

    def candidates(self, function: str, direction: str = "io", user: str | None = None) -> list[Pin]:
        order = {p.name: i for i, p in enumerate(self.pins)}
        c = [p for p in self.pins if self.free(p) and self.can(p, function, direction)
             and (BOOT not in p.functions or function in BOOT_SAFE)]
        if any(not self._last_resort(p) for p in c):
            c = [p for p in c if not self._last_resort(p)]
        keep = set(self.preferred(user, function))
        # pins other parts had before an edit stay theirs while anything else will do
        taken = {n for pins in self.prefs.values() for n in pins} - keep
        return sorted(c, key=lambda p: (p.name not in keep, p.name in taken, self._cost(p, function), order[p.name]))

    def preferred(self, user: str | None, function: str) -> list[str]:
        if not user or not self.prefs or self.identity is None:
            return []
        ident = self.identity(user)
        if ident is None:
            return []
        return list(self.prefs.get((ident[0], ident[1], function), []))

    def take(self, function: str, user: str, direction: str = "io", fallback_gpio: bool = False) -> Allocation:
        """A free pin able to serve ``function``; with ``fallback_gpio`` a plain GPIO when none is."""
        if function in BUSES and function in self.shared:
            pin = self.shared[function]
            return Allocation(pin, function, user)
        cands = self.candidates(function, direction, user)
        software = False
        if not cands and fallback_gpio:
            cands = self.candidates("gpio", direction, user)
            software = True
        if not cands:
            raise PinsExhausted(
                f"{self.rec.name} has no free pin for {function.replace('_', ' ')} ({user}); "
                f"{len(self.used)} of its {len(self.pins)} I/O pins are in use"
            )
        pin = cands[0]
        alloc = Allocation(pin, function, user, software)
        self.used[pin.name] = alloc
        if function in BUSES:
            self.shared[function] = pin
        return alloc

    def take_uart(self, user: str) -> tuple[Allocation, Allocation]:
        """(MCU RX, MCU TX) for a serial device: a free hardware UART that is not the USB
        console, else two GPIOs for a software UART."""
        for rx, tx in self.uart_pairs():
            if self.free(rx) and self.free(tx):
                a = Allocation(rx, "uart_rx", user)
                b = Allocation(tx, "uart_tx", user)
                self.used[rx.name] = a
                self.used[tx.name] = b
                return a, b
        rx = self.take("gpio", user + " (software serial RX)", "in")
        rx.software = True
        rx.function = "uart_rx"
        tx = self.take("gpio", user + " (software serial TX)", "out")
        tx.software = True
        tx.function = "uart_tx"
        return rx, tx

    def release(self, name: str) -> None:
        self.used.pop(name, None)

    @property
    def free_count(self) -> int:
        return sum(1 for p in self.pins if self.free(p))
