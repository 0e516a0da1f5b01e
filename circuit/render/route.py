"""Orthogonal wire routing on the drawing grid (A* maze routing with a bend penalty).

Parts' footprints are obstacles; a pin leaves its part straight out of its tip until it is
clear of the footprint. A wire may cross another net's wire at a right angle (no dot, so it
reads as a crossing) but never runs along it, bends on it, or touches its ends, so no two
nets ever look joined. Multi-pin nets grow as a tree: each further pin is routed to the
nearest point of the wire already drawn, and a dot marks every T-junction. A pin that cannot
be reached gets a net label instead of a wire.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from circuit.render.geometry import GRID, Box

Cell = tuple[int, int]
BEND = 4
CROSS = 8
EARLY = 0.2
MAX_EXPAND = 40000
OUTER = 6        # grid tracks a wire may use outside the parts' bounding box


@dataclass
class NetRoute:
    name: str
    edges: set[tuple[Cell, Cell]] = field(default_factory=set)   # unit grid steps, (a, b) with a < b
    tips: set[Cell] = field(default_factory=set)                  # pin tips (wire meets a symbol)
    labelled: list[tuple[Cell, tuple[int, int]]] = field(default_factory=list)  # (cell, outward dir) for labels
    reach: dict[tuple[Cell, tuple[int, int]], int] = field(default_factory=dict)  # label -> extra grid steps out

    def cells(self) -> set[Cell]:
        out = set(self.tips)
        for a, b in self.edges:
            out.add(a)
            out.add(b)
        return out

    def junctions(self) -> list[Cell]:
        deg: dict[Cell, int] = {}
        for a, b in self.edges:
            deg[a] = deg.get(a, 0) + 1
            deg[b] = deg.get(b, 0) + 1
        return sorted(c for c, d in deg.items() if d + (1 if c in self.tips else 0) >= 3)

    def segments(self) -> list[tuple[Cell, Cell]]:
        """Maximal straight runs, in grid units."""
        horiz: dict[int, list[int]] = {}
        vert: dict[int, list[int]] = {}
        for a, b in self.edges:
            if a[1] == b[1]:
                horiz.setdefault(a[1], []).append(min(a[0], b[0]))
            else:
                vert.setdefault(a[0], []).append(min(a[1], b[1]))
        out = []
        for y, xs in horiz.items():
            out += [((x0, y), (x1, y)) for x0, x1 in _runs(xs)]
        for x, ys in vert.items():
            out += [((x, y0), (x, y1)) for y0, y1 in _runs(ys)]
        return sorted(out)


def _runs(starts: list[int]) -> list[tuple[int, int]]:
    starts = sorted(set(starts))
    out, s, prev = [], None, None
    for v in starts:
        if s is None:
            s, prev = v, v
        elif v == prev + 1:
            prev = v
        else:
            out.append((s, prev + 1))
            s, prev = v, v
    if s is not None:
        out.append((s, prev + 1))
    return out


def _edge(a: Cell, b: Cell) -> tuple[Cell, Cell]:
    return (a, b) if a <= b else (b, a)


class Router:
    def __init__(self, footprints: list[Box], bounds: Box, reserved: dict[Cell, str] | None = None):
        self.reserved = reserved or {}   # pin stubs and their exits, by net: no other net may use them
        self.blocked: set[Cell] = set()
        for fp in footprints:
            for i in range(int(fp.x // GRID), int(-(-fp.right // GRID)) + 1):
                for j in range(int(fp.y // GRID), int(-(-fp.bottom // GRID)) + 1):
                    self.blocked.add((i, j))
        # room round the parts for a few wires side by side (a bundle of lines round a module's edge)
        self.x0, self.y0 = int(bounds.x // GRID) - OUTER, int(bounds.y // GRID) - OUTER
        self.x1, self.y1 = int(bounds.right // GRID) + OUTER, int(bounds.bottom // GRID) + OUTER
        self.use: dict[Cell, dict[str, set[str]]] = {}   # cell -> net -> axes used ('h', 'v')
        self.nodes: dict[Cell, set[str]] = {}            # bends, ends, tips: no other net may touch

    # ---- occupancy --------------------------------------------------------------------
    def _mark(self, route: NetRoute) -> None:
        axes: dict[Cell, set[str]] = {}
        for a, b in route.edges:
            ax = "h" if a[1] == b[1] else "v"
            axes.setdefault(a, set()).add(ax)
            axes.setdefault(b, set()).add(ax)
        deg: dict[Cell, int] = {}
        for a, b in route.edges:
            deg[a] = deg.get(a, 0) + 1
            deg[b] = deg.get(b, 0) + 1
        for c, s in axes.items():
            self.use.setdefault(c, {}).setdefault(route.name, set()).update(s)
            if len(s) > 1 or deg.get(c, 0) != 2:
                self.nodes.setdefault(c, set()).add(route.name)
        for c in route.tips:
            self.nodes.setdefault(c, set()).add(route.name)

    def _foreign(self, c: Cell, net: str) -> set[str]:
        out: set[str] = set()
        for n, axes in self.use.get(c, {}).items():
            if n != net:
                out |= axes
        return out

    # ---- one net ---------------------------------------------------------------------
    def route_net(self, name: str, pins: list[tuple[Cell, tuple[int, int], Box]]) -> NetRoute:
        """``pins``: (tip cell, outward direction, own footprint) for each pin on the net."""
        route = NetRoute(name)
        escapes: list[tuple[Cell, list[Cell], tuple[int, int]]] = []
        for tip, d, fp in pins:
            path = [tip]
            c = tip
            while self._inside(c, fp):
                c = (c[0] + d[0], c[1] + d[1])
                path.append(c)
            escapes.append((c, path, d))
            route.tips.add(tip)
        if len(escapes) < 2:
            return route
        reserved = {e[0] for e in escapes}
        targets_ok = lambda cells: {c for c in cells if c not in self.blocked}  # noqa: E731
        # start from the pin nearest the others' centre, add the nearest remaining pin each time
        cx = sum(e[0][0] for e in escapes) / len(escapes)
        cy = sum(e[0][1] for e in escapes) / len(escapes)
        order = sorted(range(len(escapes)), key=lambda i: abs(escapes[i][0][0] - cx) + abs(escapes[i][0][1] - cy))
        first = order[0]
        tree: set[Cell] = set(escapes[first][1])
        self._add_path(route, escapes[first][1])
        pending = [i for i in order[1:]]
        while pending:
            pending.sort(key=lambda i: min(abs(escapes[i][0][0] - t[0]) + abs(escapes[i][0][1] - t[1]) for t in tree))
            i = pending.pop(0)
            start, stub, d = escapes[i]
            path = self._astar(start, d, targets_ok(tree) or tree, name, reserved - {start})
            if path is None:
                route.labelled.append((start, d))
                if not any(lbl[0] == escapes[first][0] for lbl in route.labelled):
                    route.labelled.append((escapes[first][0], escapes[first][2]))
                self._add_path(route, stub)
                continue
            full = stub + path[1:]
            self._add_path(route, full)
            tree |= set(full)
        self._mark(route)
        return route

    @staticmethod
    def _inside(c: Cell, fp: Box) -> bool:
        return fp.x <= c[0] * GRID <= fp.right and fp.y <= c[1] * GRID <= fp.bottom

    @staticmethod
    def _add_path(route: NetRoute, path: list[Cell]) -> None:
        for a, b in zip(path, path[1:]):
            route.edges.add(_edge(a, b))

    def _astar(self, start: Cell, d0: tuple[int, int], targets: set[Cell], net: str,
               avoid: set[Cell]) -> list[Cell] | None:
        if start in targets:
            return [start]
        tx0 = min(t[0] for t in targets)
        tx1 = max(t[0] for t in targets)
        ty0 = min(t[1] for t in targets)
        ty1 = max(t[1] for t in targets)

        def h(c: Cell) -> int:
            dx = tx0 - c[0] if c[0] < tx0 else c[0] - tx1 if c[0] > tx1 else 0
            dy = ty0 - c[1] if c[1] < ty0 else c[1] - ty1 if c[1] > ty1 else 0
            return dx + dy

        # what other nets use at a cell does not change while this net is routed: look it up once
        foreign_at: dict[Cell, set[str]] = {}
        node_at: dict[Cell, bool] = {}

        def foreign_of(c: Cell) -> set[str]:
            f = foreign_at.get(c)
            if f is None:
                f = foreign_at[c] = self._foreign(c, net) if c in self.use else set()
            return f

        def node_of(c: Cell) -> bool:
            v = node_at.get(c)
            if v is None:
                v = node_at[c] = bool(self.nodes.get(c, set()) - {net})
            return v

        # state: cell, direction, still on the first straight run out of the pin
        g = {(start, d0, True): 0.0}
        came: dict = {}
        heap = [(h(start), 0.0, start, d0, True)]
        expanded = 0
        while heap:
            f, cost, c, d, first = heapq.heappop(heap)
            if g.get((c, d, first), 1e18) < cost:
                continue
            if c in targets and c != start:
                return self._unwind(came, (c, d, first))
            expanded += 1
            if expanded > MAX_EXPAND:
                return None
            for nd in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                if nd == (-d[0], -d[1]):
                    continue
                n = (c[0] + nd[0], c[1] + nd[1])
                if not (self.x0 <= n[0] <= self.x1 and self.y0 <= n[1] <= self.y1):
                    continue
                is_target = n in targets
                if (n in self.blocked or n in avoid) and not is_target:
                    continue
                if self.reserved.get(n, net) != net:
                    continue
                step = 1
                turn = nd != d
                if turn:
                    # no bend on another net's wire or node
                    if foreign_of(c) or node_of(c):
                        continue
                    step += BEND
                if node_of(n):
                    continue
                axis = "h" if nd[1] == 0 else "v"
                foreign = foreign_of(n)
                if axis in foreign:
                    continue
                if foreign:
                    step += CROSS
                if is_target and foreign:
                    continue
                if first and not turn:
                    step += EARLY   # turn as soon as possible: fanned-out wires then nest
                ncost = cost + step
                key = (n, nd, first and not turn)
                if ncost < g.get(key, 1e18):
                    g[key] = ncost
                    came[key] = (c, d, first)
                    heapq.heappush(heap, (ncost + h(n), ncost, n, nd, key[2]))
        return None

    @staticmethod
    def _unwind(came: dict, state) -> list[Cell]:
        path = [state[0]]
        while state in came:
            state = came[state]
            path.append(state[0])
        return list(reversed(path))
