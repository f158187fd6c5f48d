"""Whole-number flows through a network whose arcs each carry between a least and a greatest
amount: whether any such flow exists, and one that does (`circulation`).

The monitoring report's audit asks this of its tables (`disclosure`): people flow from one step
to the next, or drop out between them. With whole-number bounds a flow, when there is one, can be
found in whole numbers, so the answer is exact. Pure; Dinic's algorithm on the usual reduction
of lower bounds to a maximum flow from a new source to a new sink.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Sequence
from typing import NamedTuple


class Arc(NamedTuple):
    """An arc from `tail` to `head` carrying at least `least` and at most `most`."""

    tail: Hashable
    head: Hashable
    least: int
    most: int


def circulation(arcs: Sequence[Arc]) -> list[int] | None:
    """A flow on each arc, in order, within its bounds and with as much into every node as out of it;
    None where there is none."""
    if any(arc.least > arc.most for arc in arcs):
        return None
    nodes: dict[Hashable, int] = {}
    for arc in arcs:
        nodes.setdefault(arc.tail, len(nodes))
        nodes.setdefault(arc.head, len(nodes))
    source, sink = len(nodes), len(nodes) + 1
    network = _Network(len(nodes) + 2)
    excess = [0] * (len(nodes) + 2)
    edges = []
    for arc in arcs:
        tail, head = nodes[arc.tail], nodes[arc.head]
        edges.append(network.add(tail, head, arc.most - arc.least))
        excess[head] += arc.least
        excess[tail] -= arc.least
    needed = 0
    for node, amount in enumerate(excess[: len(nodes)]):
        if amount > 0:
            network.add(source, node, amount)
            needed += amount
        elif amount < 0:
            network.add(node, sink, -amount)
    if network.max_flow(source, sink) != needed:
        return None
    return [arc.least + network.flow(edge) for arc, edge in zip(arcs, edges, strict=True)]


class _Network:
    """A residual network: each edge and its reverse side by side in one list."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.out: list[list[int]] = [[] for _ in range(size)]
        self.head: list[int] = []
        self.room: list[int] = []

    def add(self, tail: int, head: int, capacity: int) -> int:
        edge = len(self.head)
        self.head += [head, tail]
        self.room += [capacity, 0]
        self.out[tail].append(edge)
        self.out[head].append(edge + 1)
        return edge

    def flow(self, edge: int) -> int:
        return self.room[edge + 1]

    def max_flow(self, source: int, sink: int) -> int:
        total = 0
        while True:
            level = self._levels(source)
            if level[sink] < 0:
                return total
            start = [0] * self.size
            while pushed := self._push(source, sink, 1 << 62, level, start):
                total += pushed

    def _levels(self, source: int) -> list[int]:
        level = [-1] * self.size
        level[source] = 0
        queue = deque([source])
        while queue:
            node = queue.popleft()
            for edge in self.out[node]:
                if self.room[edge] > 0 and level[self.head[edge]] < 0:
                    level[self.head[edge]] = level[node] + 1
                    queue.append(self.head[edge])
        return level

    def _push(self, node: int, sink: int, limit: int, level: list[int], start: list[int]) -> int:
        if node == sink:
            return limit
        edges = self.out[node]
        while start[node] < len(edges):
            edge = edges[start[node]]
            head = self.head[edge]
            if self.room[edge] > 0 and level[head] == level[node] + 1:
                pushed = self._push(head, sink, min(limit, self.room[edge]), level, start)
                if pushed:
                    self.room[edge] -= pushed
                    self.room[edge ^ 1] += pushed
                    return pushed
            start[node] += 1
        return 0
