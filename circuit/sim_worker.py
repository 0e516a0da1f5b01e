"""The ngspice worker process: ``python -m circuit.sim_worker READ_FD WRITE_FD``.

Receives ``(deck, timeout)`` and answers ``("ok", SimResult)`` or ``("err", message)``; exits when
ngspice reports that it cannot recover, so the parent starts a fresh one.
"""

from __future__ import annotations

import signal
import sys
from multiprocessing.connection import Connection
from circuit.parent_death import die_with_parent
from circuit.sim import SimulationError, _Poisoned, simulate_inprocess


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if len(argv) > 3:  # the pid that started us: ngspice never outlives it (kill -9 included)

        die_with_parent(int(argv[3]))
    rx = Connection(int(argv[1]), writable=False)
    tx = Connection(int(argv[2]), readable=False)
    while True:
        try:
            msg = rx.recv()
        except (EOFError, OSError):
            return 0
        if msg is None:
            return 0
        deck, timeout = msg
        try:
            tx.send(("ok", simulate_inprocess(deck, timeout)))
        except _Poisoned as e:
            tx.send(("poisoned", str(e)))
            return 3
        except SimulationError as e:
            tx.send(("err", str(e)))
        except Exception as e:  # one bad deck never ends the worker
            tx.send(("err", f"ngspice failed: {type(e).__name__}: {e}"))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
