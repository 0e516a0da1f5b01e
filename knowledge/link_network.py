"""What a link needs around it: a Wi-Fi access point or a router within reach, or the mobile operator's network.

"a field where there is no wifi", "the cabin has no internet connection", "without internet": a request may say
that where its data starts there is no local network. Each link a record types that needs one carries it
(``Capability.network``: "local" for Wi-Fi and Ethernet, which reach the internet through an access point or a
router; "cellular" for SMS, calls and mobile data, which bring their own network through a SIM). The request's
words are read against the two things such a request refuses, by meaning and one word at a time
(``knowledge.word_senses``: "wifi", "router" and "wlan" name a local network, "internet" and "broadband" an internet
connection), and only where a negation holds them off: a request that names Wi-Fi without refusing it says nothing
here (the place a request sends data to is read apart, ``knowledge.destinations``).

Refused, the parts whose links need a local network and none brings its own (a Wi-Fi module, an Ethernet
controller, a Wi-Fi board) lose, and the parts with a cellular link gain. Parts with no typed network (Bluetooth,
LoRa, a wired bus: links between two ends of their own) are left alone. A network word after "out of" or "beyond"
("out of wifi range", "beyond the router's reach") is refused as well: the place is outside that network's reach.

Where a request gets data onto the internet (``knowledge.destinations``) and says nothing of its network, neither
refusing a local one nor asking the mobile one (``CELLULAR_GLOSSES``: "over 4g", "a gsm modem", "mobile coverage"),
the ordinary way there is the local network a home or a workshop has: a part whose links only reach it through the
mobile network (a SIM and a plan of its own) gives way to one that goes through the local network (``LOCAL_FIRST``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping

from knowledge.lexical import FILLER, tokens
from knowledge.word_senses import NEGATIONS, WordSenses, negated

__all__ = ["NetworkFacts", "NetworkFit", "NETWORK_GLOSSES", "NO_LOCAL", "OWN_NETWORK"]

# what a request refuses when it says there is no local network where it is, in a few words each
NETWORK_GLOSSES = {"local": ("a wifi network or a home router",), "internet": ("an internet connection",)}
# the mobile network, asked by name, in a few words each: a word from CELLULAR on asks it (not "phone": a phone is where
# data goes as often as the network it goes over)
CELLULAR_GLOSSES = {"cellular": ("mobile data over gsm or 4g", "a cellular modem with a sim card")}
CELLULAR = 0.5
OUT_OF = frozenset({"beyond"})  # words that put a place outside a network's reach ("out of" likewise, two words)
_OUT_SCOPE = 4   # the network's word within this many tokens after them ("out of the wifi's range")
NO_LOCAL = 0.25     # a part whose links all need a local network where the request says there is none: it cannot
                    # get the data anywhere there (not ruled out: the request may still mean a board to build on)
OWN_NETWORK = 0.08  # a part with a link that brings its own network (cellular), where there is no local one
LOCAL_FIRST = 0.15  # a part whose links only reach the internet through the mobile network, where a request gets
                    # data online and says nothing of its network


@dataclass(frozen=True)
class NetworkFit:
    """Whether a request says there is no local network where it is, and the score change per part."""

    no_local: bool = False
    deltas: Mapping[str, float] = field(default_factory=dict)


@dataclass
class NetworkFacts:
    """Per part: the networks its typed links need ("local", "cellular")."""

    networks: Mapping[str, frozenset[str]]
    senses: WordSenses
    cellular: WordSenses | None = None

    @classmethod
    def of_records(cls, records: Iterable, embedder_factory: Callable | None = None) -> "NetworkFacts":
        nets: dict[str, set[str]] = {}
        for rec in records:
            for cap in getattr(rec, "provides", None) or []:
                if cap.network:
                    nets.setdefault(rec.key, set()).add(cap.network)
        return cls({k: frozenset(v) for k, v in nets.items()}, WordSenses(NETWORK_GLOSSES, embedder_factory),
                   WordSenses(CELLULAR_GLOSSES, embedder_factory, threshold=CELLULAR))

    @property
    def networked(self) -> frozenset[str]:
        """The parts with a link that needs a network."""
        return frozenset(self.networks)

    def out_of_reach(self, text: str) -> bool:
        """Whether the request puts its place out of a local network's or the internet's reach ("out of wifi range",
        "beyond the router")."""
        toks = tokens(text)
        after = [toks[j] for i, t in enumerate(toks)
                 if t in OUT_OF or (t == "out" and i + 1 < len(toks) and toks[i + 1] == "of")
                 for j in range(i + 1, min(len(toks), i + 2 + _OUT_SCOPE)) if toks[j].isalpha() and toks[j] != "of"]
        return bool(after) and any(v is not None for v in self.senses.senses(after).values())

    def refuses(self, text: str, skip: Iterable[str] = ()) -> bool:
        """Whether the request refuses a local network or an internet connection (negated, or out of its reach)."""
        return bool(self.senses.read(text, tuple(skip))[1]) or self.out_of_reach(text)

    def fit(self, text: str, skip: Iterable[str] = (), refused: bool | None = None) -> NetworkFit:
        """The score changes for a request that refuses a local network or an internet connection."""
        if not (self.refuses(text, skip) if refused is None else refused):
            return NetworkFit()
        deltas = {key: (OWN_NETWORK if "cellular" in nets else -NO_LOCAL) for key, nets in self.networks.items()}
        return NetworkFit(True, deltas)

    def asks_cellular(self, text: str, skip: Iterable[str] = ()) -> bool:
        """Whether the request's words ask the mobile network by name ("over 4g", "a gsm modem"), not held off by a
        negation. Every word with a letter is read, a number glued to one too: a network's generation ("4g") reads
        as a quantity of grams to the units library, and only a request getting data online asks this."""
        if self.cellular is None:
            return False
        toks = tokens(text)
        skip = set(skip)
        at = [i for i, t in enumerate(toks) if len(t) >= 2 and t not in skip and t not in NEGATIONS
              and any(c.isalpha() for c in t) and t not in FILLER]
        named = self.cellular.senses([toks[i] for i in at])
        return any(named[toks[i]] == "cellular" and not negated(toks, i) for i in at)

    def online_default(self, text: str, skip: Iterable[str] = ()) -> dict[str, float]:
        """Score changes where a request gets data onto the internet: none when it refuses a local network or asks
        the mobile one; else the parts whose links reach only the mobile network lose ``LOCAL_FIRST``."""
        if self.refuses(text, skip) or self.asks_cellular(text, skip):
            return {}
        return {key: -LOCAL_FIRST for key, nets in self.networks.items() if nets == {"cellular"}}
