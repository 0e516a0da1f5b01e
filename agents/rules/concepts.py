"""What hobby projects are made of, in words: a request that says "robot car", "weather
station", "log the readings" or "without WiFi across the backyard" needs parts it does not name.

Each concept maps request words to *functional* needs (a query the library is searched with,
e.g. "ultrasonic distance sensor"), never to a fixed part key, plus design options (PWM, Wi-Fi,
a radio link) and analog topologies. The measured quantities a request asks for (temperature,
humidity, pressure ...) are covered by as few sensors as the library allows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

W = r"(?:^|[^a-z0-9])"  # word start
E = r"(?=$|[^a-z0-9])"   # word end


@dataclass
class Concept:
    pattern: str
    needs: list[tuple] = field(default_factory=list)   # (library query, qty[, predicate name])
    options: list[str] = field(default_factory=list)
    topologies: list[str] = field(default_factory=list)
    covers: tuple[str, ...] = ()  # words a named part's record may already answer for

    def matches(self, text: str) -> bool:
        return re.search(self.pattern, text) is not None


C = Concept
CONCEPTS: list[Concept] = [
    # what the design does
    C(W + r"(pwm|fade|fading|dim|dimm\w*|brightness control|speed control|variable (strength|speed|brightness)|analog-like)" + E,
      options=["pwm"]),
    C(W + r"(mosfet|n-channel|p-channel)" + E, options=["prefer_mosfet"]),
    C(W + r"(pull-?ups?|pull up)" + E, options=["pullups_requested"]),
    C(W + r"(pull-?downs?|pull down)" + E, options=["button_pull:down"]),
    C(r"resistors? for the (push-?)?(button|switch)|(button|switch)('s)? resistor|(button|switch) with an? resistor"
      r"|external pull", options=["button_pull:external"]),
    C(W + r"(barrel jack|dc jack)" + E, options=["board_power:barrel"]),
    C(W + r"(powered (by|from|over) usb|usb[- ]powered)" + E, options=["board_power:usb"]),
    # mains
    C(W + r"(ac power|mains|230 ?v|220 ?v|110 ?v|120 ?v ac|wall (socket|outlet|power)|appliance|ac (lamp|light|load|output))" + E,
      needs=[("relay module", 1, "relay"), ("ac power output mains load", 1, "ac_load")], covers=("relay",)),
    C(W + r"(desk lamp|floor lamp|light bulb)" + E,
      needs=[("relay module", 1, "relay"), ("ac power output mains load", 1, "ac_load")], covers=("relay",)),
    # vehicles and mechanisms
    C(W + r"(robot(ic)? (car|rover|chassis|vehicle|platform)|rover|line[- ]follow\w*|obstacle[- ]avoid\w*|rc car|smart car)" + E,
      needs=[("dc motor", 2), ("dual h-bridge motor driver", 1)], covers=("motor",)),
    C(W + r"(line[- ]follow\w*|line sensor|line track\w*|follow a (black )?line)" + E,
      needs=[("infrared line tracking reflective sensor", 2)], covers=("line",)),
    C(W + r"(dustbin|trash ?can|garbage bin|bin lid|automatic lid)" + E,
      needs=[("servo motor", 1), ("ultrasonic distance sensor", 1)], covers=("servo",)),
    C(W + r"(robot arm|gripper|pan[- ]tilt)" + E, needs=[("servo motor", 1)], covers=("servo",)),
    C(W + r"(pump|watering|irrigat\w*|automated gardener|plant waterer)" + E, needs=[("water pump", 1)],
      options=["prefer_mosfet"], covers=("pump",)),
    C(W + r"(precision positioning|precise position\w*|cnc|3d printer|plotter)" + E,
      needs=[("stepper motor", 1)], covers=("stepper",)),
    # interface and storage
    C(W + r"((a|an|the|with|on|to) (small |little |tiny )?(display|screen)|(show|display) (the )?(data|reading|readings|"
      r"value|values|level|text|status|time|distance|temperature)|readout)" + E,
      needs=[("oled display", 1)], covers=("display", "oled", "lcd", "screen", "segment", "tft", "matrix")),
    # tones need a sounder without its own oscillator, driven with a square wave from a PWM pin
    C(W + r"(melod\w*|tunes?|musical notes?|tones?|jingle|ringtone|piano)" + E,
      needs=[("passive buzzer", 1)], options=["tones", "pwm"], covers=("buzzer", "speaker")),
    C(W + r"(alarm|siren|beep\w*|buzz\w*|audible|sound an alert)" + E, needs=[("buzzer", 1)], covers=("buzzer", "speaker")),
    C(W + r"(sd card|micro ?sd|data ?logg\w*|log (the |each )?(data|event|events|reading|readings|temperature)|logging)" + E,
      needs=[("micro sd card module", 1)], covers=("sd", "card")),
    C(W + r"(time ?clock|timestamp\w*|real[- ]time clock|rtc|date and time|keeps? time)" + E,
      needs=[("real time clock module", 1)], covers=("rtc", "clock")),
    C(W + r"(keypad|pin entry|pin code|passcode)" + E, needs=[("matrix keypad", 1)], covers=("keypad",)),
    C(W + r"(fingerprint|biometric)" + E, needs=[("fingerprint sensor", 1)], covers=("fingerprint",)),
    C(W + r"(rfid|nfc|access card|key ?card|rfid tag)" + E, needs=[("rfid reader", 1)], covers=("rfid", "nfc")),
    C(W + r"(sms|gsm|cellular|text message|2g)" + E, needs=[("gsm module", 1)], covers=("gsm", "sms", "cellular")),
    C(W + r"(gps|gnss|location|coordinates)" + E, needs=[("gps module", 1)], covers=("gps",)),
    C(W + r"(joystick|thumbstick)" + E, needs=[("analog joystick", 1)], covers=("joystick",)),
    C(W + r"(led strip|neopixel|addressable|light strip|rgb strip|pixel strip)" + E,
      needs=[("addressable rgb led strip", 1)], covers=("strip", "neopixel", "ws2812", "ws2812b", "addressable")),
    C(W + r"(shift register|pin[- ]expan\w*|more outputs|io expander)" + E, needs=[("shift register", 1)],
      covers=("shift",)),
    C(W + r"(multiplex\w*|mux|same (i2c )?address)" + E, needs=[("i2c multiplexer", 1)], covers=("multiplexer", "mux")),
    C(W + r"(battery backup|charg\w*|li-?ion|lithium|lipo)" + E,
      needs=[("lithium battery charger", 1), ("18650 lithium battery", 1)], covers=("charger", "battery", "18650")),
    C(W + r"(force[- ]sensitive|grip|squeeze|pressure pad)" + E, needs=[("force sensitive resistor", 1)],
      covers=("force", "fsr")),
    C(W + r"(switching regulator|switching converter|buck|step[- ]down)" + E, needs=[("buck converter step down", 1)],
      covers=("buck", "step-down", "switching")),
    # analog building blocks
    C(W + r"(voltage divider|potential divider|resistor divider|divider|divide\w* (\d+(\.\d+)? ?v )?down)" + E,
      topologies=["divider"]),
    C(W + r"(low[- ]pass|lowpass|smooth\w*|clean up the noise|noise filter|power filter|filter out)" + E,
      topologies=["lowpass"]),
    C(W + r"(high[- ]pass|highpass|block (the )?dc|ac coupl\w*)" + E, topologies=["rc_highpass"]),
    C(W + r"((dc )?power supply circuit|basic (dc )?power supply|regulated (dc )?supply|bench supply|psu|"
      r"regulated (\d+(\.\d+)? ?v )?(rail|output)|(\d+(\.\d+)? ?v) regulated (rail|supply|output))" + E,
      topologies=["dc_supply"]),
    C(W + r"(rheostat|variable resistor to limit|limit the current)" + E, topologies=["rheostat"]),
    C(W + r"(transistor[- ]based|transistor switch|npn switch|transistor as a switch)" + E,
      topologies=["transistor_switch"]),
    C(W + r"(op[- ]?amp|operational amplifier|non[- ]inverting amplifier|amplif(y|ier) (the )?(signal|microphone|sensor))" + E,
      topologies=["opamp_noninverting"]),
    C(W + r"(inverting amplifier)" + E, topologies=["opamp_inverting"]),
]

# Quantities a sensor measures, with the words a record uses for them.
QUANTITIES: dict[str, tuple[str, tuple[str, ...]]] = {
    # quantity: (request pattern, record words)
    "temperature": (W + r"(temperature|temp|thermometer|thermostat|heat(ing)? level|how (hot|cold)|weather)" + E,
                    ("temperature", "temp", "thermometer")),
    "humidity": (W + r"(humidity|humid|moisture in the air|weather)" + E, ("humidity",)),
    "pressure": (W + r"(pressure|barometric|barometer|altitude|altimeter|weather station)" + E,
                 ("pressure", "barometric", "barometer")),
    "distance": (W + r"(distance|proximity|obstacle|collision|parking|how far|range ?finder|level of water|tank level)" + E,
                 ("distance", "ultrasonic", "proximity")),
    "motion": (W + r"(motion|presence|intruder|movement|occupancy)" + E, ("motion", "pir")),
    "light": (W + r"(light level|lux|ambient light|brightness|daylight|dark|darkness|light sens\w*|light-sens\w*|light intensity|lux meter)" + E,
              ("light", "ldr", "photoresistor", "lux")),
    "sound": (W + r"(sound|noise level|clap|microphone|audio level|loudness|sound[- ]reactive)" + E,
              ("sound", "microphone", "audio", "mic")),
    "soil": (W + r"(soil|earth is dry|plant|bonsai|garden)" + E, ("soil", "moisture")),
    "gas": (W + r"(gas|smoke|co2|air quality|pollution|alcohol)" + E, ("gas", "smoke", "air quality")),
    "orientation": (W + r"(tilt|orientation|acceleration|accelerometer|gyro\w*|imu|balance|inclination)" + E,
                    ("accelerometer", "gyroscope", "imu", "tilt")),
    "heading": (W + r"(compass|heading|magnetic field)" + E, ("compass", "magnetometer")),
    "weight": (W + r"(weigh\w*|weight|scale|load cell)" + E, ("weight", "load cell", "hx711")),
    "flame": (W + r"(flame|fire detect\w*|detect\w* fire)" + E, ("flame",)),
}

# Distance (m) beyond which a 2.4 GHz nRF24L01 link gets unreliable and LoRa is the better radio.
RADIO_LONG_RANGE_M = 30.0
RADIO = re.compile(W + r"(wireless\w*|radio|rf link|without (using )?wi-?fi|talk to each other|across (my|the) "
                   r"(backyard|garden|yard|house|field)|long[- ]range|remote sensor|base station|transmit\w*|receiver)" + E)
TWO_BOARDS = re.compile(W + r"(two|2|pair of|both) (arduino|arduinos|board|boards|microcontroller|microcontrollers|esp32|esp32s|uno|unos)" + E
                        + r"|between two|each other")
LINK_PROTOCOL = re.compile(W + r"(spi|i2c|uart|serial)" + E)


def _has_contacts(rec) -> bool:
    """A relay a controller can switch: contacts, and its own driver on board (a relay module)."""
    return any({"contact_no", "contact_common", "contact_nc"} & set(p.functions) for p in rec.pins) \
        and rec.category != "input" and any(p.type == "power_in" for p in rec.pins)


def _ac_load(rec) -> bool:
    return rec.category == "power" and not any(p.type == "power_out" for p in rec.pins)


PREDICATES = {"relay": _has_contacts, "ac_load": _ac_load}
