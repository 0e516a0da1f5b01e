"""The component record: what circuitsmith knows about one part, pin by pin.

The ERC, the SPICE gate, the planner and the renderer all reason from these records, so
every field is electrical fact with a source, not a label. Units are SI (volts, amperes,
ohms, farads). A field left ``None`` means "not known / does not apply", never zero.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

PinType = Literal[
    "power_in",     # the part takes its supply here (VCC, VIN, 5V on a sensor)
    "power_out",    # a rail this part provides (a board's 5V/3V3 pin, a regulator output, a battery +)
    "ground",
    "digital_in",
    "digital_out",
    "digital_io",   # a GPIO
    "analog_in",
    "analog_out",
    "passive",      # resistor/capacitor terminals, switch contacts, motor leads, LED leads
    "nc",           # no connect
]

# Function tags a pin can serve. MCU pins list every alternate function they have.
PIN_FUNCTIONS = {
    "gpio", "pwm", "adc", "dac", "interrupt", "touch",
    "i2c_sda", "i2c_scl",
    "spi_mosi", "spi_miso", "spi_sck", "spi_cs",
    "uart_tx", "uart_rx",
    "onewire", "i2s", "can_tx", "can_rx", "usb_dp", "usb_dm",
    "reset", "enable", "boot", "clock", "data", "chip_select", "open_drain",
    "led_anode", "led_cathode", "anode", "cathode",
    "base", "collector", "emitter", "gate", "drain", "source",
    "motor", "coil", "contact_common", "contact_no", "contact_nc",
    "input_only", "strapping", "vref", "output_enable",
    "speaker",  # an audio amplifier's speaker output (two on one part: bridge-tied)
    "memory_bus",  # a GPIO that the module's own flash or PSRAM uses: free only when that memory is not fitted
    "contrast",  # a display's contrast input (a character LCD's V0: a pot's wiper between the supply and ground)
    "mains_live", "mains_neutral", "protective_earth",  # mains conductors (circuit/hazard.py)
    "cell_negative",  # a protection circuit's cell-side ground (B-): the cell's - only, never the circuit's ground
}

Category = Literal[
    "microcontroller", "sensor", "actuator", "display", "communication", "power",
    "passive", "semiconductor", "ic", "driver", "input", "indicator", "interface",
    "storage", "audio", "module",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Pin(_Strict):
    name: str = Field(min_length=1, description="Pin label exactly as on the board/datasheet and in CircuitJSON")
    type: PinType
    functions: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list, description="Other names people use (GPIO2 for D2)")
    description: str = ""
    # Voltage a pin tolerates (absolute maximum), for inputs and I/O.
    v_max: float | None = Field(default=None, description="Absolute maximum voltage on the pin, V")
    v_min: float | None = Field(default=None, description="Absolute minimum voltage on the pin, V")
    # What a rail or output provides.
    v_out: float | None = Field(default=None, description="Nominal voltage of a power_out rail or a driven output high, V")
    v_range: tuple[float, float] | None = Field(
        default=None, description="Voltage range a supply input works over (a driver's motor supply: 8-35 V), V")
    i_max: float | None = Field(
        default=None,
        description="Maximum current the pin can source/sink (outputs, rails) or may carry, A",
    )
    i_peak: float | None = Field(
        default=None,
        description="Most a rail pin gives for a moment (its fuse's trip current, its regulator's current limit), A; "
                    "peaks above it brown the rail out",
    )
    pullup: bool = Field(default=False, description="An internal pull-up that firmware can enable")
    pulldown: bool = Field(default=False, description="An internal pull-down that firmware can enable")
    group: str | None = Field(
        default=None,
        description="Pins with the same group are joined inside the part (the board's GND pins, a button's two legs on one side)",
    )

    @field_validator("v_range")
    @classmethod
    def _range_ordered(cls, v: tuple[float, float] | None) -> tuple[float, float] | None:
        if v is not None and not 0 <= v[0] <= v[1]:
            raise ValueError(f"v_range {list(v)} must be (low, high) with 0 <= low <= high")
        return v

    @field_validator("functions")
    @classmethod
    def _known_functions(cls, v: list[str]) -> list[str]:
        unknown = [f for f in v if f not in PIN_FUNCTIONS]
        if unknown:
            raise ValueError(f"unknown pin function(s) {unknown}; known: {sorted(PIN_FUNCTIONS)}")
        return v


class Supply(_Strict):
    v_min: float | None = Field(default=None, description="Lowest supply voltage it works from, V")
    v_max: float | None = Field(default=None, description="Highest recommended supply voltage, V")
    v_abs_max: float | None = Field(default=None, description="Absolute maximum supply voltage, V")
    logic_level: float | None = Field(default=None, description="I/O logic high level, V (3.3 or 5.0)")
    vih_min: float | None = Field(default=None, description="Minimum input-high voltage its logic inputs need, V")
    five_v_tolerant: bool = False
    current_typ: float | None = Field(default=None, description="Typical supply current, A")
    current_max: float | None = Field(default=None, description="Maximum (peak) supply current, A")
    typical_is_rated: bool = Field(
        default=False, description="True when current_typ is a rated datasheet figure rather than a typical one"
    )


LedColourName = Literal["red", "orange", "yellow", "green", "truegreen", "cyan", "blue", "white", "pink", "purple",
                        "uv", "ir"]


class Ratings(_Strict):
    """Device ratings the gates and the sizing engine use; fill what applies to the part."""

    vf: float | None = Field(default=None, description="Forward voltage at if_nom (LEDs, diodes), V")
    if_nom: float | None = Field(default=None, description="Nominal forward current, A")
    if_max: float | None = Field(default=None, description="Maximum continuous forward current, A")
    vr_max: float | None = Field(default=None, description="Maximum reverse voltage, V")
    vz: float | None = Field(default=None, description="Zener voltage, V")
    power_max: float | None = Field(default=None, description="Maximum dissipation, W")
    v_rated: float | None = Field(default=None, description="Rated operating voltage of a load (motor, coil, buzzer), V")
    i_rated: float | None = Field(default=None, description="Running / coil current at v_rated, A")
    i_stall: float | None = Field(default=None, description="Stall or inrush current, A")
    r_coil: float | None = Field(default=None, description="Coil resistance, Ω")
    vce_max: float | None = None
    ic_max: float | None = None
    hfe: float | None = None
    vbe_on: float | None = None
    vce_sat: float | None = None
    vds_max: float | None = None
    vgs_max: float | None = None
    id_max: float | None = None
    vgs_th: float | None = None
    rds_on: float | None = None
    rds_on_vgs: float | None = Field(default=None, description="Gate voltage at which rds_on is rated, V")
    v_out: float | None = Field(default=None, description="Regulator/converter output voltage, V")
    v_out_adjustable: bool = False
    i_out_max: float | None = Field(default=None, description="Regulator/driver/converter output current, A")
    dropout: float | None = Field(default=None, description="Regulator dropout, V")
    v_in_max: float | None = Field(default=None, description="Maximum input voltage of a regulator/converter, V")
    capacity_ah: float | None = Field(default=None, description="Battery capacity, Ah")
    per_length: float | None = Field(
        default=None, gt=0, description="For a part sold by length (an LED strip): the length in metres that its "
        "current and power ratings are for (1.0: per metre). A design's ``length`` attribute scales its draw "
        "(agents/understand/length_reading.py)")
    v_nominal: float | None = Field(default=None, description="Battery/source nominal voltage, V")
    v_peak: float | None = Field(
        default=None, gt=0, description="For a source: the highest voltage it gives in use, V: a battery full or on "
        "charge (a 12 V lead-acid on its charger 14.4 V, a Li-ion cell 4.2 V), a solar panel open-circuit, a supply at "
        "the top of its adjustment. What a circuit measuring the source must take (agents/rules/voltage_watch.py)")
    tolerance: float | None = Field(default=None, description="Default tolerance as a fraction (0.05 = 5 %)")
    colour: LedColourName | None = Field(
        default=None, description="The colour an LED emits (its chip decides the forward voltage); unset for an LED "
                                  "of any colour, which the design's 'color' attr then says")
    theta_ja: float | None = Field(
        default=None, gt=0, description="Thermal resistance junction to ambient, °C/W (= K/W): the part standing in "
        "still air with no heatsink (a surface-mount part on its datasheet's test pad), as its datasheet states it. "
        "With t_j_max it says how much the part sheds without a heatsink: (t_j_max - ambient) / theta_ja W "
        "(knowledge.heat_reading)")
    theta_jc: float | None = Field(
        default=None, gt=0, description="Thermal resistance junction to case, °C/W, for a package whose tab or case a "
        "heatsink bolts to (TO-220, TO-126, TO-3): set only on such a part, so it also says that a heatsink can be "
        "fitted")
    i_free_air: float | None = Field(
        default=None, gt=0, description="For a converter module: the most output current it carries continuously as "
        "sold, with no heatsink or fan added, A (its maker's or listing's figure; at most i_out_max, above which "
        "it needs extra cooling). A part whose thermal resistance is typed has theta_ja instead")
    t_j_max: float | None = Field(
        default=None, gt=0, description="Highest junction temperature the datasheet allows in operation, °C")
    v_reverse_max: float | None = Field(
        default=None, gt=0, description="For a regulator or converter rated to survive its input connected backwards "
        "(reverse-battery protection): the reverse input voltage it withstands continuously, V, as its datasheet "
        "states it. Unset on a part whose datasheet rates no reverse input (a battery wired backwards destroys it). "
        "A request asking to survive a reversed supply is read against it (knowledge.stated_facts)")
    r_low_high: tuple[float, float] | None = Field(
        default=None, description="A resistive sensor's resistance at the low end of what it senses and at the high end "
        "(dark and bright, cold and hot, untouched and pressed, flat and bent), Ω: which way it moves, and how far")


class Flags(_Strict):
    inductive: bool = Field(default=False, description="A coil: motor, relay, solenoid, buzzer coil")
    onboard_pullups: bool = Field(default=False, description="The module carries its own I2C/data pull-ups")
    onboard_regulator: bool = False
    needs_series_resistor: bool = Field(default=False, description="Must not be driven without a current limit (LEDs)")
    protected_driver: bool = Field(
        default=False, description="Drives inductive loads with built-in flyback diodes (ULN2003, L298N module, relay module)"
    )
    decoupling_onboard: bool = Field(default=False, description="A module that already has its decoupling capacitors")
    onboard_power_connector: bool = Field(
        default=False,
        description="Takes its supply through a connector of its own (the USB jack of a charger module): "
                    "power_in pins left unwired are not 'no power'",
    )
    polarized: bool = False
    schottky: bool = Field(default=False, description="A Schottky barrier diode: low forward drop, no reverse "
                                                      "recovery (the flyback across a PWM-switched coil)")
    surface_mount: bool = Field(default=False, description="Comes only in a surface-mount package (SOT-23, SOD-123, "
                                                           "SMA ...): a breadboard build takes a through-hole part first")


SpiceKind = Literal[
    "resistor", "capacitor", "inductor", "potentiometer",
    "diode", "led", "zener",
    "npn", "pnp", "nmos", "pmos",
    "switch", "battery", "regulator", "mcu", "module", "opamp", "subckt", "load", "none",
]


class SpiceSpec(_Strict):
    """How the SPICE gate stands this part in a netlist."""

    kind: SpiceKind
    model: str | None = Field(
        default=None,
        description="Parameters of the ngspice model, e.g. 'D(IS=2.52n N=1.752 RS=0.568)' or a VDMOS card body",
    )
    terminals: list[str] = Field(
        default_factory=list, description="Pin names in SPICE terminal order (anode, cathode / C B E / D G S)"
    )
    subckt: str | None = Field(default=None, description="A .subckt body (op-amp macromodels), terminals as above")
    params: dict[str, float] = Field(default_factory=dict)

    @field_validator("model", "subckt")
    @classmethod
    def _no_control(cls, v: str | None) -> str | None:
        if v is None:
            return v
        low = v.lower()
        for bad in (".control", ".endc", "shell", ".include", ".lib", ".exec", "system"):
            if bad in low:
                raise ValueError(f"SPICE text may not contain {bad!r}")
        return v


CapabilityDirection = Literal["sense", "act", "communicate", "power", "compute", "interface", "passive"]
Behaviour = Literal["blink", "alternate", "one-shot", "delay", "fade"]
Motion = Literal["angle", "steps", "continuous", "reversible", "linear", "vibration"]


class Capability(_Strict):
    """One thing the part can do for a design, in words a request could use.

    ``capability`` is a short slug (``send-sms``, ``sense-temperature``, ``dc-motor-speed-and-direction``);
    ``description`` is matched by meaning (embeddings) against request clauses, so write it as a
    person would ask for it. ``direction`` tells an input need (sense) from an output one (act).
    """

    capability: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    description: str = Field(min_length=3)
    direction: CapabilityDirection = "interface"
    end: Literal["high", "low"] | None = Field(
        default=None, description="For a sensing capability: the end of the sensed quantity this description speaks "
        "of (high: bright, hot; low: dark, cold), so a request's condition is read by meaning against it")
    behaviour: Behaviour | None = Field(
        default=None, description="For a timing capability: the behaviour in time of an output this description "
        "speaks of (blink: on and off over and over; alternate: two outputs taking turns; one-shot: on for a set "
        "time once started; delay: on a set time after it is started; fade: up and down smoothly), so a request's "
        "words about an output are read by meaning against it")
    person: Literal["operates", "noticed"] | None = Field(
        default=None, description="How a person takes part in this sensing: 'operates' (presses, touches, turns, "
        "types or taps a card on it, on purpose) or 'noticed' (is detected without doing anything to it), so a "
        "request is read by who acts: a person who signals on purpose works an input, one who only comes by is sensed")
    emulates: str | None = Field(
        default=None, description="The product this capability lets the part stand in for (a board that enumerates "
        "as a USB keyboard): a request that only names that product asks for the product, not for this part")
    range_m: float | None = Field(
        default=None, gt=0, description="How far this capability reaches, in metres, as its datasheet states it: for "
        "a link (direction communicate) the distance between its two ends (a radio's line-of-sight range, a wired "
        "bus's cable length); for a sensing capability the farthest target it senses. A request that states a "
        "distance is read against it (knowledge.link_reading)")
    medium: Literal["wire", "radio", "infrared"] | None = Field(
        default=None, description="How a link's signal travels between its two ends: 'wire' (a bus or a cable: I2C, "
        "UART, RS-485, CAN, Ethernet, USB), 'radio' (Wi-Fi, Bluetooth, LoRa, 433 MHz, cellular), 'infrared' (light "
        "from an IR LED to a receiver: a TV remote). Every communicate capability states it; a request that asks "
        "for a cable or for no wires is read against it (knowledge.link_medium)")
    network: Literal["local", "cellular"] | None = Field(
        default=None, description="What a link needs around it to reach the internet or a phone: 'local' (a Wi-Fi "
        "access point or a router within reach: Wi-Fi, Ethernet), 'cellular' (the mobile operator's network through "
        "a SIM: SMS, calls, mobile data). Unset for a link between two ends of its own (Bluetooth, LoRa, RS-485). A "
        "request that says there is no Wi-Fi or internet where it is is read against it (knowledge.link_network)")
    motion: Motion | None = Field(
        default=None, description="For an actuating capability: the motion it makes, as its datasheet states it: "
        "'angle' (turns to a commanded angle and holds it: a hobby servo), 'steps' (turns by exact steps, so it "
        "reaches counted positions: a stepper motor and its driver), 'continuous' (spins round as long as it is "
        "powered: a DC motor), 'reversible' (runs a motor one way or the other, set by its inputs: an H-bridge), "
        "'linear' (a short push or pull of a plunger: a solenoid), 'vibration' (a buzz a person feels: an eccentric "
        "mass motor). A request read as asking for a motion is read against it (knowledge.motion_asked)")
    line_of_sight: bool | None = Field(
        default=None, description="Whether this capability works only with a clear line between its two ends, or "
        "between the sensor and what it senses: true for infrared and light (a remote pointed at its receiver, a "
        "PIR, an ultrasonic or laser ranger: a wall, a door or a closed box blocks it), false for radio and "
        "microwave radar (they pass walls, wood and plastic, weakened). A request with something in the way is "
        "read against it (knowledge.link_medium)")

    @model_validator(mode="after")
    def _medium_consistent(self) -> "Capability":
        if self.medium is not None and self.direction not in ("communicate", "sense", "act"):
            raise ValueError(f"medium {self.medium!r} is for a link (a communicate capability, or a remote "
                             f"control's sense/act), not a {self.direction} capability")
        if self.line_of_sight is not None and self.direction not in ("communicate", "sense", "act"):
            raise ValueError(f"line_of_sight is for a link or a sensing capability, not a {self.direction} one")
        if self.motion is not None and self.direction != "act":
            raise ValueError(f"motion {self.motion!r} is for an actuating capability (direction act), not a "
                             f"{self.direction} one")
        if self.network is not None and self.direction != "communicate":
            raise ValueError(f"network {self.network!r} is for a link (a communicate capability), not a "
                             f"{self.direction} capability")
        if self.medium == "wire" and self.line_of_sight is not None:
            raise ValueError("a wired link has no line of sight: leave line_of_sight unset")
        if self.medium == "infrared" and self.line_of_sight is False:
            raise ValueError("an infrared link needs a line of sight (line_of_sight true)")
        return self


Severity = Literal["Critical", "Major", "Minor", "Warning"]


CAPACITOR_COMPANIONS = {"bulk-capacitor", "input-capacitor", "output-capacitor", "decoupling-capacitor"}
RESISTOR_COMPANIONS = {"series-resistor", "pullup-resistor", "pulldown-resistor"}
COMPANION_KINDS = CAPACITOR_COMPANIONS | RESISTOR_COMPANIONS


class CompanionSpec(_Strict):
    """A part the record says must sit beside this one, with its value range (SI units).

    A capacitor companion sits between its two ``pins`` (the second defaults to the part's ground);
    a series resistor sits in the line to its one pin, on the side that drives it; a pull-up or
    pull-down goes from its pin to the logic rail or to ground."""

    kind: str = Field(description="bulk-capacitor, input-capacitor, output-capacitor, decoupling-capacitor, "
                                  "series-resistor, pullup-resistor, pulldown-resistor")
    pins: list[str] = Field(default_factory=list, description="The pins it attaches to (between the first two, "
                                                              "or in series with the one named)")
    min: float | None = Field(default=None, description="Smallest acceptable value (F, Ω ...)")
    max: float | None = Field(default=None, description="Largest acceptable value")
    typical: float | None = Field(default=None, description="The value the fixer adds")
    where: str = ""
    severity: Severity = "Major"

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, v: str) -> str:
        if v not in COMPANION_KINDS:
            raise ValueError(f"unknown companion kind {v!r}; known: {sorted(COMPANION_KINDS)}")
        return v

    @model_validator(mode="after")
    def _values_ordered(self) -> "CompanionSpec":
        for name in ("min", "max", "typical"):
            v = getattr(self, name)
            if v is not None and v <= 0:
                raise ValueError(f"companion {self.kind}: {name} must be positive")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"companion {self.kind}: min {self.min} is above max {self.max}")
        if self.typical is not None and (
                (self.min is not None and self.typical < self.min) or (self.max is not None and self.typical > self.max)):
            raise ValueError(f"companion {self.kind}: typical {self.typical} is outside min..max")
        want = 1 if self.kind in RESISTOR_COMPANIONS else 2
        if not 1 <= len(self.pins) <= want:
            raise ValueError(f"companion {self.kind} names {len(self.pins)} pin(s); it takes 1"
                             + (" or 2" if want == 2 else ""))
        return self


class Requires(_Strict):
    """What the part needs from the rest of the circuit (read by the planner and the functional ERC)."""

    peak_current: float | None = Field(default=None, description="Peak/stall/burst supply current, A")
    own_supply: bool = Field(default=False, description="Must not be fed from a board's regulator pin")
    peak_pins: list[str] = Field(
        default_factory=list, description="The supply pins that carry the peak (default: every power_in pin)")
    required_pins: list[str] = Field(default_factory=list, description="Inputs that must be driven or biased")
    tie: dict[str, Literal["high", "low"]] = Field(
        default_factory=dict,
        description="The level a required pin is held at when the design does not drive it (an enable or reset "
                    "held active): the fixer adds a pull-up or pull-down")
    units: list[list[str]] = Field(
        default_factory=list,
        description="Pins of each independent unit (one amplifier of a dual op-amp): a unit with none of its pins "
                    "wired is spare, and its required inputs are not reported as floating")
    companions: list[CompanionSpec] = Field(default_factory=list)
    free_pins: list[str] = Field(
        default_factory=list, description="Pins the usual wiring leaves unconnected (D0-D3 of an HD44780 character "
                                          "LCD driven in 4-bit mode)")
    input_common_mode: tuple[float, float] | None = Field(
        default=None, description="Input common-mode range as offsets from (V-, V+): (0.0, -1.5) = V- to V+ - 1.5 V")
    small_signal: bool = Field(
        default=False, description="Its output is a small signal (millivolts: a bare microphone capsule, a piezo "
                                   "disc) that no input can use as it is: an amplifier or comparator stage goes between")
    signal_drive: bool = Field(
        default=False, description="Sounds only on a changing signal (a speaker's coil, a buzzer without its own "
                                   "oscillator): across steady DC it makes no sound, only a click and heat")

    @field_validator("peak_current")
    @classmethod
    def _positive_peak(cls, v: float | None) -> float | None:
        if v is not None and v <= 0:
            raise ValueError("peak_current must be positive (leave it out when unknown)")
        return v


class IsolationBarrier(_Strict):
    """Two pin groups of one part that are galvanically isolated (relay coil and contacts, an optocoupler's
    LED and output, an isolated converter's input and output), rated to ``v_isolation`` volts."""

    side_a: list[str]
    side_b: list[str]
    v_isolation: float | None = None


ActuatorKind = Literal["dc-motor", "stepper", "buzzer", "speaker"]
DrivenMotor = Literal["dc-motor", "stepper"]
MOTOR_FUNCTIONS = ("motor", "coil")


CellChemistry = Literal["li-ion", "lipo", "lifepo4", "lithium-primary", "alkaline", "nimh", "lead-acid"]


class Safety(_Strict):
    """Hazard facts the safety rules read (circuit/hazard.py, circuit/erc/safety.py)."""

    mains_source: bool = Field(default=False, description="Brings mains in (a plug, an inlet, the wall's terminals): "
                                                            "its mains_live/mains_neutral pins carry v_ac")
    v_ac: float | None = Field(default=None, description="RMS AC voltage on its mains pins, V (attrs.voltage overrides)")
    cell: CellChemistry | None = Field(default=None, description="The part is an electrochemical cell or pack of this chemistry")
    cell_protection: bool = Field(default=False, description="A cell with its own protection circuit (PCM), or a board "
                                                             "that protects a cell wired to it")
    charger: bool = Field(default=False, description="Charges a rechargeable cell with the profile it needs (CC/CV)")
    i_pulse_max: float | None = Field(default=None, description="Largest pulse current a cell may give, A")
    overcurrent_protection: bool = Field(default=False, description="A fuse, breaker or PTC that opens on overcurrent")
    contact_v_dc_max: float | None = Field(default=None, description="DC voltage rating of its switch contacts, V "
                                                                    "(pin v_max holds the AC rating)")


class Provenance(_Strict):
    """Which fields came from the project's own datasheet extraction (``circuitsmith extract``) and which
    were written by hand, so a reviewer knows what was read from a PDF and what was curated."""

    extracted_from: str = Field(default="", description="The datasheet file the extraction read")
    extracted: list[str] = Field(default_factory=list, description="Record fields filled from the extraction's PARAMS.json")
    curated: list[str] = Field(default_factory=list, description="Record fields written or corrected by hand")


class ComponentRecord(_Strict):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9._+-]*$", max_length=100,
                     description="Knowledge-base key; the CircuitJSON part type (at most 100 characters)")
    name: str
    category: Category
    aliases: list[str] = Field(default_factory=list)
    description: str
    typical_use: str = ""
    designator: str = Field(default="U", description="Reference prefix: R, C, L, D, Q, U, SW, M, J, BT ...")
    supply: Supply = Field(default_factory=Supply)
    ratings: Ratings = Field(default_factory=Ratings)
    flags: Flags = Field(default_factory=Flags)
    pins: list[Pin]
    value_attr: str | None = Field(
        default=None, description="The CircuitJSON attr holding this part's value ('value' for R/C/L), if any"
    )
    value_unit: str | None = Field(default=None, description="SI unit of value_attr: Ω, F, H")
    default_value: str | None = None
    spice: SpiceSpec = Field(default_factory=lambda: SpiceSpec(kind="none"))
    source: str = Field(min_length=3, description="Where the facts come from (datasheet name and vendor)")
    notes: str = ""
    provides: list[Capability] = Field(default_factory=list, description="What it can do for a design")
    requires: Requires = Field(default_factory=Requires)
    isolation: list[IsolationBarrier] = Field(default_factory=list)
    safety: Safety = Field(default_factory=Safety)
    provenance: Provenance = Field(default_factory=Provenance)
    programmable: bool = Field(
        default=False, description="A module that is not sold as a controller board but whose own chip runs the "
                                   "user's firmware from its own GPIOs (an ESP-01's ESP8266): a design whose request "
                                   "names no controller uses it as the controller (agents/rules/own_controller.py). "
                                   "A microcontroller board is one already and leaves it unset")
    package: str | None = Field(
        default=None, pattern=r"^[A-Z][A-Z0-9-]*$", max_length=20,
        description="The package a bare component comes in, as its datasheet names it (TO-92, SOT-23, TO-220, "
                    "DO-41, DIP-28, SOT-223): what a request naming a package or a mounting style (surface mount, "
                    "through-hole) is read against (knowledge.stated_facts). Unset for a module or board, which "
                    "comes on its own carrier")
    led_count: int | None = Field(
        default=None, gt=0, description="How many LEDs an LED part carries as sold: 1 for a single LED or one "
                                        "addressable pixel, 16 for a 16-pixel ring; a request stating how many (or "
                                        "asking for one LED) is read against it (knowledge.stated_facts)")
    text_grid: tuple[int, int] | None = Field(
        default=None, description="For a character display: the characters per line and the lines of text it "
                                  "shows (16, 2 for a 16x2 LCD), as its datasheet states them; a request stating "
                                  "rows or columns of text is read against it (knowledge.stated_facts)")
    display: Literal["character", "graphic", "segment"] | None = Field(
        default=None, description="For a display: what its datasheet says it shows: 'character' (fixed cells of text "
                                  "from a built-in font: an HD44780 LCD), 'graphic' (a matrix of pixels each set on "
                                  "its own, so it draws icons, plots and shapes as well as text: an OLED, a TFT), "
                                  "'segment' (digits of seven segments); unset where untyped. A request asking to "
                                  "draw is read against it (knowledge.asked_features)")
    diagonal_in: tuple[float, float] | None = Field(
        default=None, description="For a display: the smallest and the largest diagonal of its viewing area it is sold "
                                  "in, inches, as its datasheet or module page states them (0.96, 0.96 for a 0.96 inch "
                                  "OLED; 2.4, 2.8 for a TFT sold in both); unset where untyped. A request stating a "
                                  "size in inches is read against it (knowledge.display_facts)")
    pixels: tuple[int, int] | None = Field(
        default=None, description="For a graphic display: its pixels across and down (128, 64), as its datasheet "
                                  "states them; unset where untyped or sold in several. A request stating a resolution "
                                  "is read against it (knowledge.display_facts)")
    contact: bool | None = Field(
        default=None, description="For a sensor: whether it senses by touching what it measures (true: a probe in "
                                  "the liquid, traces the water wets, a plate the rain falls on) or from a distance "
                                  "(false: an ultrasonic or laser ranger, an infrared thermometer), as its datasheet "
                                  "describes how it senses; unset where untyped. A request that refuses touching is "
                                  "read against it (knowledge.asked_features)")
    wetted: bool | None = Field(
        default=None, description="For a sensor: whether it senses a liquid by the liquid wetting its exposed traces or "
                                  "electrodes (true: a water level strip, a rain plate), as its datasheet describes "
                                  "how it senses, so it reads nothing of a dry material (grain, rubbish, powder) "
                                  "heaped against it; unset where untyped. What the object a request watches holds is "
                                  "read against it (knowledge.object_kinds)")
    temperature_span: tuple[float, float] | None = Field(
        default=None, description="For a part that senses temperature: the lowest and highest temperature it reads, "
                                  "°C, as its datasheet rates it (a DS18B20 -55 to 125, a K-type thermocouple "
                                  "converter 0 to 1024); unset where untyped. The temperatures of the object a "
                                  "request asks it to read are read against it (knowledge.object_kinds)")

    @field_validator("temperature_span")
    @classmethod
    def _span_ordered(cls, v: tuple[float, float] | None) -> tuple[float, float] | None:
        if v is not None and v[0] >= v[1]:
            raise ValueError(f"temperature_span {list(v)} must be (low, high) with low < high")
        return v

    usb: Literal["none", "usb-b", "mini-b", "micro-b", "usb-c"] | None = Field(
        default=None, description="For a controller board: the USB connector it carries for programming and power, as "
                                  "its maker names it ('none' for a board programmed through a serial header, a Pro "
                                  "Mini); unset where untyped. A bare chip (a typed package) has none. A request "
                                  "asking for USB, or for none, is read against it (knowledge.stated_facts)")
    breadboard: bool | None = Field(
        default=None, description="Whether the part plugs straight into a solderless breadboard with its pin headers "
                                  "(two rows of 0.1 in pins that straddle the centre channel, as a DIP package does): "
                                  "true for a Nano-format board, false for a shield-format board (Uno, Mega), as its "
                                  "maker states; unset where untyped (a DIP package is true). A request asking for a "
                                  "part that fits a breadboard is read against it (knowledge.stated_facts)")
    charger_input: Literal["usb", "dc", "solar"] | None = Field(
        default=None, description="For a charger (safety.charger): the source it is made to charge from, as its "
                                  "datasheet or board states it: 'usb' (a USB port or 5 V adapter on its connector), "
                                  "'solar' (a panel, its input held at the panel's maximum-power point), 'dc' (any DC "
                                  "supply in its input range); unset where untyped. A request to charge from such a "
                                  "source is read against it (knowledge.stated_facts)")
    card_standards: list[str] = Field(
        default_factory=list, description="For a contactless card reader: the card and tag standards it reads, as its "
                                          "datasheet names them (ISO/IEC 14443A, ISO/IEC 14443B, FeliCa, ISO/IEC "
                                          "18092 ...). A request naming one is read against it "
                                          "(knowledge.stated_facts)")
    commonness: Literal["staple", "common", "specialist", "generic"] = Field(
        default="common", description="How common the part is in makers' hands, which decides among records that "
                                      "meet a need equally (knowledge/preference.py): 'staple' (in the usual starter "
                                      "kits, stocked by every hobby shop), 'common' (widely stocked), 'specialist' "
                                      "(stocked for a purpose: high voltage, low noise, a niche package), 'generic' "
                                      "(a stand-in for any part of its class, no part number)")
    default_for: list[Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]] = Field(
        default_factory=list, description="The jobs this part is the library's default for when a request names "
                                          "none (a sizing block's 'npn-switch', 'opamp-single-supply' ...); one record "
                                          "per job (knowledge/role_defaults.py)")
    conversion: Literal["linear", "buck", "boost", "buck-boost"] | None = Field(
        default=None, description="How a regulator or converter makes its output from its input: 'linear' (a pass "
                                  "element, output below input), 'buck' (switching, steps down), 'boost' (switching, "
                                  "steps up), 'buck-boost' (switching, output above or below its input). A charger "
                                  "or a cell-protection board (safety.charger / safety.cell_protection) cares for a "
                                  "cell instead and leaves it unset")
    actuator: ActuatorKind | None = Field(
        default=None, description="What kind of load the part is, for the rules that place and drive it: 'dc-motor' "
                                  "(brushed: a motor, fan, pump or vibration motor on two leads), 'stepper' (phase "
                                  "windings stepped in sequence), 'buzzer' (a two-lead sounder), 'speaker' (a voice "
                                  "coil that needs an amplified signal). Whether a sounder makes its own tone is "
                                  "requires.signal_drive")
    drives: list[DrivenMotor] = Field(
        default_factory=list, description="The motors a driver's outputs run: 'dc-motor' (an H-bridge or half-bridge "
                                          "pair per motor, speed and direction), 'stepper' (the phases of a stepper "
                                          "motor, two bridges or four low-side switches per motor)")
    source_kind: Literal["battery", "adapter", "usb", "bench", "mains", "solar"] | None = Field(
        default=None, description="What kind of power source the part is (how the schematic draws it): a battery, "
                                  "a wall adapter (or the jack it plugs into), a USB port (a USB-C PD trigger too), "
                                  "a bench supply, the AC mains itself (a plug, inlet or wall terminals; with "
                                  "safety.mains_source), a solar panel (its output falls with the light: not a "
                                  "steady rail). A record with safety.cell is a battery without saying so")

    @model_validator(mode="after")
    def _pins_consistent(self) -> "ComponentRecord":
        seen: dict[str, Pin] = {}
        for p in self.pins:
            prev = seen.get(p.name)
            if prev is not None and prev.type != p.type:
                raise ValueError(f"pin {p.name!r} is listed twice with different types ({prev.type}, {p.type})")
            seen[p.name] = p
        names = set(seen)
        for t in self.spice.terminals:
            if t not in names:
                raise ValueError(f"spice.terminals names pin {t!r}, which the part does not have")
        for b in self.isolation:
            bad = [n for n in b.side_a + b.side_b if n not in names]
            if bad or set(b.side_a) & set(b.side_b):
                raise ValueError(f"isolation barrier names pins the part does not have, or one pin on both sides: {bad}")
        if self.value_attr and not self.value_unit:
            raise ValueError("value_attr needs value_unit")
        if (self.source_kind == "mains") != self.safety.mains_source:
            raise ValueError("source_kind 'mains' and safety.mains_source go together: a record that brings mains in "
                             "is a mains source, and only such a record is")
        if self.conversion is not None and not (self.category == "power" and self.pins_of_type("power_in")
                                                and self.pins_of_type("power_out")):
            raise ValueError(f"conversion {self.conversion!r} is for a power part with a power_in and a power_out pin")
        if self.conversion is not None and (self.safety.charger or (self.safety.cell_protection
                                                                    and self.safety.cell is None)):
            raise ValueError("a charger or cell-protection board cares for a cell: leave conversion unset")
        self._actuator_consistent()
        if self.programmable and (self.category == "microcontroller"
                                  or not any(p.type == "digital_io" for p in self.pins)):
            raise ValueError("programmable is for a module (not a microcontroller board) with GPIO pins of its own")
        if self.ratings.colour is not None and self.spice.kind != "led":
            raise ValueError("ratings.colour is for an LED (spice.kind 'led')")
        th = self.ratings
        if (th.theta_ja is not None or th.theta_jc is not None) and th.t_j_max is None:
            raise ValueError("ratings.theta_ja / theta_jc need ratings.t_j_max (what the thermal resistance is "
                             "counted up to)")
        if th.theta_jc is not None and th.theta_ja is not None and th.theta_jc >= th.theta_ja:
            raise ValueError("ratings.theta_jc is below theta_ja: the case is part of the way to the air")
        if th.i_free_air is not None and th.i_out_max is not None and th.i_free_air > th.i_out_max:
            raise ValueError("ratings.i_free_air is above i_out_max: no cooling makes a module carry more than its rating")
        if self.flags.schottky and self.spice.kind != "diode":
            raise ValueError("flags.schottky is for a diode (spice.kind 'diode')")
        self._requires_consistent()
        return self

    def _actuator_consistent(self) -> None:
        """A motor has motor or coil leads, a sounder two leads, a driver motor or coil outputs."""
        leads = [p for p in self.pins if set(p.functions) & set(MOTOR_FUNCTIONS)]
        if self.actuator is not None and self.category not in ("actuator", "audio"):
            raise ValueError(f"actuator {self.actuator!r} is for an actuator or audio part, not a {self.category}")
        if self.actuator in ("dc-motor", "stepper") and len({p.name for p in leads if p.type == "passive"}) < 2:
            raise ValueError(f"actuator {self.actuator!r} needs at least two passive pins with a motor or coil function")
        if self.actuator in ("buzzer", "speaker") and len(self.pin_names) != 2:
            raise ValueError(f"actuator {self.actuator!r} is a two-lead part")
        if self.drives and len({p.name for p in leads if p.type not in ("power_in", "ground")}) < 2:
            raise ValueError("drives is for a driver with at least two outputs that carry a motor or coil function")
        if len(set(self.drives)) != len(self.drives):
            raise ValueError("drives lists a motor kind twice")

    def _requires_consistent(self) -> None:
        """``requires`` names only pins the part has, and a common-mode range only on a part with analog inputs."""
        req = self.requires
        named = [(f"requires.required_pins", n) for n in req.required_pins]
        named += [(f"requires.units", n) for u in req.units for n in u]
        named += [(f"requires.peak_pins", n) for n in req.peak_pins]
        named += [(f"requires.free_pins", n) for n in req.free_pins]
        named += [(f"requires.tie", n) for n in req.tie]
        for n in req.tie:
            if n not in req.required_pins:
                raise ValueError(f"requires.tie names {n!r}, which is not in requires.required_pins")
        named += [(f"requires.companions ({c.kind})", n) for c in req.companions for n in c.pins]
        for where, n in named:
            if self.pin(n) is None:
                raise ValueError(f"{where} names pin {n!r}, which the part does not have")
        for n in req.required_pins:
            if self.pin(n).type in ("power_out", "ground", "nc"):
                raise ValueError(f"requires.required_pins: {n!r} is a {self.pin(n).type} pin, not an input")
        if req.input_common_mode is not None and not self.pins_of_type("analog_in"):
            raise ValueError("requires.input_common_mode is set but the part has no analog_in pin")

    # ---- queries -------------------------------------------------------------------
    def pin(self, name: str) -> Pin | None:
        """The pin called ``name`` (or with that alias), first occurrence."""
        for p in self.pins:
            if p.name == name:
                return p
        for p in self.pins:
            if name in p.aliases:
                return p
        return None

    @property
    def pin_names(self) -> list[str]:
        """Unique pin names in record order."""
        out: list[str] = []
        for p in self.pins:
            if p.name not in out:
                out.append(p.name)
        return out

    def pins_of_type(self, *types: str) -> list[Pin]:
        out, seen = [], set()
        for p in self.pins:
            if p.type in types and p.name not in seen:
                seen.add(p.name)
                out.append(p)
        return out

    def pins_with(self, function: str) -> list[Pin]:
        out, seen = [], set()
        for p in self.pins:
            if function in p.functions and p.name not in seen:
                seen.add(p.name)
                out.append(p)
        return out

    @property
    def is_mcu(self) -> bool:
        return self.category == "microcontroller"
