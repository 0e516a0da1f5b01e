"""Wiring a module or IC to a controller by what each of its pins is.

Power pins go on a rail the part accepts; I2C and SPI pins join the controller's shared bus pins;
a serial device's TX goes to the controller's RX and vice versa; an analog output goes to an
ADC-capable pin; a digital output to a GPIO input; a PWM-capable input to a PWM pin. Pins the
module already defines (its own pull-ups/pull-downs on reset, enable and address pins) are left
alone; an active-low reset without one is tied inactive; auxiliary outputs (interrupt, status,
chain-out) of a part that talks over a bus are optional and left free. A part whose pins serve
either I2C or SPI runs in one mode: I2C when the controller has it (chip select tied high, the SPI
data-out pin strapped as the address bit), else SPI on all its bus pins.
"""

from __future__ import annotations

import re

from agents.rules import parts as P
from agents.rules.amplifier_output import drive_audio_input, is_speaker_amplifier
from agents.rules.analog import pot_pins
from agents.rules.builder import Board
from agents.rules.channel_supply import channel_rail, free_channel, own_supply_rail
from agents.rules.context import DriveOutput, InputLine, PlanContext
from agents.rules.decoupling import add_cap, needs_decoupling, stated_decoupling
from agents.rules.led_resistor import led_resistor
from agents.rules.pullups import BUTTON_PULL, data_pullup, declare_internal_pullup, resistor_pull
from circuit.units import format_value
from knowledge.preference import most_preferred
from knowledge.record import ComponentRecord, Pin

AUX_OUT = re.compile(r"^(INT\d?|IRQ|DRDY|STATE|BUSY|CD|CLKOUT|WOL|SQW|DOUT|DO|Q7S|Q7'|QH'|RDY|ALERT|LED|DIO[1-5]|RTC|32K|"
                     r"N?FAULT|FLT|N?FLT|DIAG|PG|PGOOD|STAT\d?)$", re.IGNORECASE)
ADDRESS = re.compile(r"^(A[0-2]|AD0|ADDR|ADR|SA0|SDO)$", re.IGNORECASE)
MODE = re.compile(r"^(MS\d|M\d|MODE\d?|PS|CSB|KEY|EN_?\w*)$", re.IGNORECASE)
EXPANDER_OUT = re.compile(r"^(Q|P|O|OUT|GP[A-Z]?)\d+$", re.IGNORECASE)  # 74HC595 Q0, PCF8574 P0, MCP23017 GPA0

BUS_FUNCS = {"i2c_sda", "i2c_scl", "spi_mosi", "spi_miso", "spi_sck", "uart_tx", "uart_rx"}
I2C_FUNCS = {"i2c_sda", "i2c_scl"}
SPI_FUNCS = {"spi_mosi", "spi_miso", "spi_sck"}
CS_FUNCS = {"spi_cs", "chip_select"}


def is_dual_mode(rec: ComponentRecord) -> bool:
    """A part whose bus pins serve either I2C or SPI (BMP280/BME280, ADXL345): at least one pin
    carries both an I2C and an SPI role, so the part runs in one mode or the other, never both."""
    return not rec.is_mcu and any(I2C_FUNCS & set(p.functions) and SPI_FUNCS & set(p.functions) for p in rec.pins)


def bus_mode(rec: ComponentRecord, board: Board) -> str | None:
    """``i2c`` or ``spi`` for a dual-mode part (None for any other part). I2C takes two shared pins
    and no chip select, so it wins whenever the controller can serve it; SPI only when it cannot."""
    if not is_dual_mode(rec):
        return None
    alloc = board.alloc
    if all(f in alloc.shared or alloc.candidates(f) for f in ("i2c_sda", "i2c_scl")):
        return "i2c"
    return "spi"


def has_bus(rec: ComponentRecord) -> bool:
    return any(BUS_FUNCS & set(p.functions) for p in rec.pins)


def is_expander(rec: ComponentRecord) -> bool:
    """A logic IC with several numbered port lines it drives or reads over a serial link (74HC595,
    PCF8574, MCP23017)."""
    outs = [p for p in P.unique_pins(rec, "digital_out", "digital_io") if EXPANDER_OUT.match(p.name)]
    return rec.category in ("ic", "interface") and len(outs) >= 4


def expander_outputs(rec: ComponentRecord) -> list[Pin]:
    return [p for p in P.unique_pins(rec, "digital_out", "digital_io") if EXPANDER_OUT.match(p.name)]


def i2c_pairs(rec: ComponentRecord) -> list[tuple[Pin, Pin]]:
    sda = [p for p in P.unique_pins(rec) if "i2c_sda" in p.functions]
    scl = [p for p in P.unique_pins(rec) if "i2c_scl" in p.functions]
    return list(zip(sda, scl))


def is_i2c_mux(rec: ComponentRecord) -> bool:
    return len(i2c_pairs(rec)) >= 3




def input_policy(rec: ComponentRecord, pin: Pin) -> str:
    """gpio | pwm | skip | high | low for a part's input pin."""
    fns = set(pin.functions)
    pulled = pin.pullup or pin.pulldown
    if pin.name in rec.requires.tie:  # the record holds it at a level (an enable, a read/write line)
        return rec.requires.tie[pin.name]
    on_i2c = any({"i2c_sda", "i2c_scl"} & set(p.functions) for p in rec.pins)
    if "pwm" in fns:
        return "pwm"
    if "reset" in fns:
        # a reset input pulled up on the module is inactive by default; pulled down, it holds the part in reset
        return "skip" if pin.pullup else "high"
    if "output_enable" in fns:
        return "skip" if pulled else "low"
    if on_i2c and ADDRESS.match(pin.name) and not ({"spi_miso", "spi_mosi"} & fns):
        return "skip" if pulled else "low"
    if MODE.match(pin.name) and not ({"spi_cs", "chip_select", "data", "clock"} & fns):
        return "skip" if pulled else "low"
    if pulled and ({"enable", "boot", "strapping"} & fns):
        return "skip"
    return "gpio"


def wire_module(ctx: PlanContext, pid: str, board: Board | None, prefer: float | None = None,
                skip: set[str] | None = None, i2c_port: tuple[str, str] | None = None,
                current: float | None = None) -> float | None:
    """Power the part (``current``: its supply budget when not the record's typical draw) and wire
    its signal pins to the controller. Returns its supply voltage."""
    b = ctx.b
    rec = b.rec(pid)
    skip = set(skip or ())
    if prefer is None and board is not None:
        prefer = board.logic
    # a load on a PWM driver's channel (a servo on a PCA9685) shares the driver's load supply
    volts = ctx.power_part(pid, prefer, current, rail_given=channel_rail(ctx, pid) or own_supply_rail(ctx, pid))
    dev_v = volts or (board.logic if board else 5.0)
    if needs_decoupling(rec) and not stated_decoupling(b, pid, volts):
        for sp in P.power_in_pins(rec):
            if not P.is_load_supply_pin(rec, sp):
                add_cap(b, f"{pid}:{sp.name}", 100e-9, f"decoupling right at {pid}'s {sp.name}", pid, volts=volts)
                break
    if board is None:
        return volts
    bus = has_bus(rec)
    seen: set[str] = set()
    skip |= _unused_in_4bit_mode(rec)
    uart: tuple | None = None
    expander = is_expander(rec)
    mux = is_i2c_mux(rec)
    mode = ("i2c" if is_dual_mode(rec) else None) if i2c_port is not None else bus_mode(rec, board)
    for pin in P.signal_pins(rec):
        if pin.name in skip:
            continue
        fns = set(pin.functions)
        ep = f"{pid}:{pin.name}"
        why = f"{pid} {pin.name}"
        i2c = fns & I2C_FUNCS
        spi = fns & SPI_FUNCS
        if mode == "spi":
            i2c = set()  # every shared pin serves its SPI role
        elif mode == "i2c" and not i2c and (spi or fns & CS_FUNCS):
            _strap_for_i2c(ctx, pid, rec, pin, dev_v, bool(fns & CS_FUNCS))
            continue
        if i2c:
            f = sorted(i2c)[0]
            if f in seen:
                continue  # an auxiliary bus (MPU6050 XDA/XCL) or a mux's downstream channel
            seen.add(f)
            if i2c_port is not None:
                # downstream of an I2C multiplexer channel
                up = i2c_port[0] if f == "i2c_sda" else i2c_port[1]
                b.wire(up, ep, "bus", f"{why} on a multiplexer channel")
                continue
            alloc = board.alloc.take(f, pid)
            mcu_ep = b.use_pin(board, alloc, ep, "I2C bus pin (shared by every I2C part)")
            ctx.levels.link(board, mcu_ep, alloc.pin, ep, pin, rec, dev_v, "bidir", f"I2C {f[4:].upper()} {pid}")
            ctx.i2c.setdefault(board.id, []).append((pid, dev_v))
            continue
        if spi:
            f = sorted(spi)[0]
            if f in seen:
                continue
            seen.add(f)
            alloc = board.alloc.take(f, pid)
            mcu_ep = b.use_pin(board, alloc, ep, "SPI bus pin (shared)")
            direction = "to_mcu" if f == "spi_miso" else "from_mcu"
            ctx.levels.link(board, mcu_ep, alloc.pin, ep, pin, rec, dev_v, direction, f"SPI {f[4:].upper()} {pid}")
            continue
        if fns & {"spi_cs", "chip_select"} and bus:
            alloc = board.alloc.take("spi_cs", pid, "out", fallback_gpio=True)
            alloc.software = False
            mcu_ep = b.use_pin(board, alloc, ep, "chip select: one per SPI device")
            ctx.levels.link(board, mcu_ep, alloc.pin, ep, pin, rec, dev_v, "from_mcu", f"SPI CS {pid}")
            continue
        if fns & {"uart_tx", "uart_rx"}:
            if uart is None:
                uart = board.alloc.take_uart(pid)
                if uart[0].software:
                    b.note(f"{pid} uses a software serial port on {board.id}:{uart[0].pin.name}/{uart[1].pin.name} "
                           f"(the hardware UART is the USB console).")
            rx, tx = uart
            if "uart_tx" in fns:  # the part talks: its TX into the controller's RX
                mcu_ep = b.use_pin(board, rx, ep, f"receives {pid}'s TX")
                ctx.levels.link(board, mcu_ep, rx.pin, ep, pin, rec, dev_v, "to_mcu", f"{pid} TX → {board.id} RX")
            else:
                mcu_ep = b.use_pin(board, tx, ep, f"drives {pid}'s RX")
                ctx.levels.link(board, mcu_ep, tx.pin, ep, pin, rec, dev_v, "from_mcu", f"{board.id} TX → {pid} RX")
            continue
        if pin.type == "analog_in" and "adc" in fns and bus:
            # an ADC chip's channel: what it measures is wired to it, not to the controller
            ctx.adc_inputs.append(InputLine(ep, dev_v, pid))
            continue
        if pin.type == "analog_in" and is_speaker_amplifier(rec):
            if pin.name in rec.requires.required_pins:
                drive_audio_input(ctx, board, pid, pin, rec)
            else:
                b.to_ground(ep, f"{pid} {pin.name}: the unused input of a single-ended amplifier goes to ground")
            continue
        if pin.type == "analog_out":
            if "speaker" in fns:
                continue  # an amplifier's speaker output drives the speaker, it is not read back
            alloc = board.alloc.take("adc", pid, "in")
            mcu_ep = b.use_pin(board, alloc, ep, f"reads {pid}'s analog output")
            ctx.levels.link(board, mcu_ep, alloc.pin, ep, pin, rec, dev_v, "to_mcu", f"{pid} analog out")
            continue
        if pin.type == "digital_out":
            if expander and EXPANDER_OUT.match(pin.name):
                # each output's share of the package's total supply current (74HC595: 70 mA / 8)
                outs = expander_outputs(rec)
                share = (rec.supply.current_max / len(outs)) if rec.supply.current_max and outs else None
                i_max = min(x for x in (pin.i_max, share) if x is not None) if (pin.i_max or share) else None
                ctx.expander_outputs.append(DriveOutput(ep, dev_v, i_max, pid))
                continue
            if (bus or mux or expander) and ("interrupt" in fns or AUX_OUT.match(pin.name)):
                continue
            if bus and "pwm" in fns:
                continue  # a bus-driven PWM channel (PCA9685) drives a servo or LED, it is not read back
            if AUX_OUT.match(pin.name) and len(P.signal_pins(rec)) > 1:
                continue  # a status/fault/chain output (DRV8825 FAULT, WS2812B DOUT) is optional
            fn = "interrupt" if "interrupt" in fns else "gpio"
            alloc = board.alloc.take(fn, pid, "in", fallback_gpio=True)
            mcu_ep = b.use_pin(board, alloc, ep, f"reads {pid} {pin.name}")
            ctx.levels.link(board, mcu_ep, alloc.pin, ep, pin, rec, dev_v, "to_mcu", f"{pid} {pin.name}")
            if "open_drain" in fns and not pin.pullup:
                _pull_open_drain(ctx, board, alloc.pin, mcu_ep, pid, pin.name)
            continue
        if pin.type == "digital_in":
            policy = input_policy(rec, pin)
            if policy == "skip":
                continue
            if policy in ("high", "low"):
                if policy == "high":
                    rail = ctx.b.find_rail(dev_v - 0.15, dev_v + 0.15)
                    if rail is not None:
                        b.power(ep, rail, 0.0, f"{pin.name} held inactive (high)")
                        b.note(f"{pid} {pin.name} is tied high so the part is not held in reset.")
                        continue
                else:
                    b.to_ground(ep, f"{pin.name} tied low")
                    continue
            fn = "pwm" if policy == "pwm" else "gpio"
            channel = free_channel(ctx, pid) if fn == "pwm" else None
            if channel is not None:
                # a PWM driver in the design (PCA9685) has a free channel: the signal comes from it, not a
                # controller pin (that is what the driver is for)
                b.wire(channel, ep, "signal", f"{pid} {pin.name} on {channel}")
                continue
            alloc = board.alloc.take(fn, pid, "out", fallback_gpio=True)
            mcu_ep = b.use_pin(board, alloc, ep, f"drives {pid} {pin.name}")
            if alloc.software and fn == "pwm":
                b.note(f"{board.id}:{alloc.pin.name} drives {pid} {pin.name} with software PWM (no free hardware PWM pin).")
            ctx.levels.link(board, mcu_ep, alloc.pin, ep, pin, rec, dev_v, "from_mcu", f"{pid} {pin.name}")
            continue
        if pin.type == "digital_io":
            if (bus or expander) and ("interrupt" in fns or AUX_OUT.match(pin.name)):
                continue
            if expander and bus and EXPANDER_OUT.match(pin.name):
                # an I/O expander's port line is the controller's extra pin, reached over the bus: a
                # button reads it; it is not wired to one of the controller's own pins
                ctx.expander_inputs.append(InputLine(ep, dev_v, pid, bool(pin.pullup)))
                continue
            alloc = board.alloc.take("gpio", pid, "io")
            mcu_ep = b.use_pin(board, alloc, ep, f"data line of {pid}")
            ctx.levels.link(board, mcu_ep, alloc.pin, ep, pin, rec, dev_v, "bidir", f"{pid} {pin.name}")
            if ({"onewire", "data"} & fns) and not rec.flags.onboard_pullups and not pin.pullup:
                data_pullup(ctx, ep, dev_v, pid)
            continue
    _contrast_and_backlight(ctx, pid, rec, volts)
    return volts


def _strap_for_i2c(ctx: PlanContext, pid: str, rec: ComponentRecord, pin: Pin, dev_v: float, chip_select: bool) -> None:
    """A dual-mode part on I2C: its chip select is tied to its own supply (BMP280 datasheet 5.1:
    CSB high selects I2C; a floating or low CSB at power-up latches SPI mode) and its SPI data-out
    pin, which sets the I2C address bit in I2C mode, is strapped high through 10 kΩ (0x77 on a BMP280)."""
    b = ctx.b
    ep = f"{pid}:{pin.name}"
    if pin.pullup or pin.pulldown:
        return  # the module straps it already (GY-291 CS pulled up: I2C)
    high = _strap_high(ctx, pid, rec, pin, dev_v)
    if chip_select:
        if high is None:
            b.note(f"{pid} runs on I2C: tie its {pin.name} to its logic supply (high selects I2C mode).")
            return
        if high[2] is not None:
            b.power(ep, high[2], 0.0, f"{pin.name} tied high: selects I2C mode")
        else:
            b.wire(ep, high[0], "power", f"{pin.name} tied high: selects I2C mode")
        b.note(f"{pid} runs on I2C: its {pin.name} is tied to {high[1]} (high selects I2C mode; left floating "
               f"or low it can start in SPI mode).")
        return
    # the data-out pin is an output in SPI mode: strap it through a resistor, never straight to a rail
    if high is None:
        return
    resistor_pull(b, ep, high[0], 10e3, f"{pid} {pin.name} strap: I2C address bit high", pid,
                  f"{format_value(10e3, 'Ω')} to {high[1]}: {pin.name} high sets the I2C address bit")
    b.note(f"{pid} {pin.name} is pulled up to {high[1]} through 10 kΩ, which sets its I2C address bit to 1 "
           f"(0x77 on a BMP280/BME280, clear of 0x76 parts); pull it to GND instead for the other address.")


def _strap_high(ctx: PlanContext, pid: str, rec: ComponentRecord, pin: Pin, dev_v: float) -> tuple | None:
    """(endpoint, name, rail or None) of a supply at the part's logic level that the pin tolerates: a rail of the
    design, else the module's own regulated output (a 5 V-fed breakout's 3Vo)."""
    v = rec.supply.logic_level if rec.flags.onboard_regulator and rec.supply.logic_level else dev_v
    if pin.v_max is not None and v > pin.v_max:
        return None
    rail = ctx.b.find_rail(v - 0.15, v + 0.15)
    if rail is not None:
        return rail.endpoint, rail.name, rail
    for p in P.unique_pins(rec, "power_out"):
        if p.v_out is not None and abs(p.v_out - v) <= 0.15:
            return f"{pid}:{p.name}", f"{pid}:{p.name}", None
    return None


def _unused_in_4bit_mode(rec: ComponentRecord) -> set[str]:
    """Pins the record's usual wiring leaves free (``requires.free_pins``: D0-D3 of a character LCD in 4-bit mode)."""
    return set(rec.requires.free_pins)


def _contrast_and_backlight(ctx: PlanContext, pid: str, rec: ComponentRecord, volts: float | None) -> None:
    """A character LCD's contrast input (a pot across the supply, wiper to V0) and its backlight LED
    (through a series resistor from the supply)."""
    b = ctx.b
    rail = b.find_rail((volts or 5.0) - 0.15, (volts or 5.0) + 0.15)
    for pin in P.unique_pins(rec, "analog_in"):
        if "contrast" not in pin.functions or rail is None:
            continue
        pot_rec = most_preferred(r for r in b.lib if r.spice.kind == "potentiometer")
        pot = pot_rec.key if pot_rec else None
        if pot is None:
            continue
        vid = b.add(pot, f"contrast adjust for {pid}", serves=pid)
        a, w, c = pot_pins(b.lib[pot])
        b.power(f"{vid}:{a}", rail, 0.0005, "contrast pot across the supply")
        b.to_ground(f"{vid}:{c}", "contrast pot to ground")
        b.wire(f"{vid}:{w}", f"{pid}:{pin.name}", "signal", f"sets {pid}'s contrast")
        b.value(vid, 10e3, "Ω", "10 kΩ pot across the supply; the wiper sets V0 (about 0.5-1 V looks right)",
                "turn it until the characters show")
    an, ca = P.led_pins(rec)
    if len(an) == 1 and len(ca) == 1 and rail is not None:
        lr = led_resistor(rail.volts, rec.ratings.vf or 3.2, rec.ratings.if_nom or 0.015)
        rid = b.add("resistor", f"backlight resistor for {pid}", serves=pid)
        r1, r2 = P.two_terminals(b.rec(rid))
        b.power(f"{rid}:{r1}", rail, lr.current, f"{pid} backlight supply")
        b.wire(f"{rid}:{r2}", f"{pid}:{an[0].name}", "signal", f"{pid} backlight anode")
        b.to_ground(f"{pid}:{ca[0].name}", f"{pid} backlight cathode")
        b.value(rid, lr.ohms, "Ω", lr.formula, f"backlight current limit: {lr.why}")


def _pull_open_drain(ctx: PlanContext, board: Board, mcu_pin: Pin, mcu_ep: str, pid: str, name: str) -> None:
    """An open-drain output only pulls LOW: the controller pin's internal pull-up holds it HIGH,
    or a 10 kΩ resistor to the logic rail when the pin has none."""
    if mcu_pin.pullup:
        declare_internal_pullup(ctx.b, board, mcu_pin.name, pid, low_when=f"when {pid} pulls {name} low")
        return
    rail = ctx.logic_rail(board)
    if rail is not None:
        resistor_pull(ctx.b, mcu_ep, rail.endpoint, BUTTON_PULL, f"pull-up for {pid} {name} (open-drain)", pid,
                      f"{format_value(BUTTON_PULL, 'Ω')} to {rail.name}: the open-drain output only pulls LOW")
