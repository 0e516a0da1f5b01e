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
LoRa, a wired bus: links between two ends of their own) are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping

from knowledge.word_senses import WordSenses

__all__ = ["NetworkFacts", "NetworkFit", "NETWORK_GLOSSES", "NO_LOCAL", "OWN_NETWORK"]

# what a request refuses when it says there is no local network where it is, in a few words each
NETWORK_GLOSSES = {"local": ("a wifi network or a home router",), "internet": ("an internet connection",)}
NO_LOCAL = 0.25     # a part whose links all need a local network where the request says there is none: it cannot
                    # get the data anywhere there (not ruled out: the request may still mean a board to build on)
OWN_NETWORK = 0.08  # a part with a link that brings its own network (cellular), where there is no local one


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

    @classmethod
    def of_records(cls, records: Iterable, embedder_factory: Callable | None = None) -> "NetworkFacts":
        nets: dict[str, set[str]] = {}
        for rec in records:
            for cap in getattr(rec, "provides", None) or []:
                if cap.network:
                    nets.setdefault(rec.key, set()).add(cap.network)
        return cls({k: frozenset(v) for k, v in nets.items()}, WordSenses(NETWORK_GLOSSES, embedder_factory))

    @property
    def networked(self) -> frozenset[str]:
        """The parts with a link that needs a network."""
        return frozenset(self.networks)

    def fit(self, text: str, skip: Iterable[str] = ()) -> NetworkFit:
        """The score changes for a request that refuses a local network or an internet connection."""
        _, refused = self.senses.read(text, tuple(skip))
        if not refused:
            return NetworkFit()
        deltas = {key: (OWN_NETWORK if "cellular" in nets else -NO_LOCAL) for key, nets in self.networks.items()}
        return NetworkFit(True, deltas)
