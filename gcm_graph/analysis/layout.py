"""Network layouts computed exactly, so that a figure is the same on every machine.

A layout is made of angles (fractions of a turn) and radii, all `fractions.Fraction`; the only
transcendental functions, cosine and sine, are Taylor series in integer fixed-point arithmetic.
Every coordinate handed to matplotlib is rounded to a multiple of 1/GRID, a float with a short
binary expansion. No libm, numpy or BLAS call takes part, so no CPU, SIMD level or BLAS kernel
can change a bit (an iterative float layout such as Kamada–Kawai or a spring layout amplifies
last-bit differences between BLAS kernels into visible ones).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

GRID = 1 << 16
"""Coordinates are multiples of 1/GRID (exact in binary floating point)."""

_BITS = 128
_ONE = 1 << _BITS
# π to 60 digits: ample for 128-bit fixed point
_PI = Fraction(314159265358979323846264338327950288419716939937510582097494, 10**59)

Point = tuple[float, float]


def snap(value: Fraction) -> Fraction:
    """value rounded to the nearest multiple of 1/GRID (ties to even: exact, so well defined)."""
    return Fraction(round(value * GRID), GRID)


def cos_sin(turn: Fraction) -> tuple[Fraction, Fraction]:
    """cos and sin of 2π·turn, each rounded to a multiple of 1/GRID, from integers alone."""
    half = turn - (turn + Fraction(1, 2)).__floor__()  # in [-1/2, 1/2)
    sign = -1 if half < 0 else 1
    x = round(abs(half) * 2 * _PI * _ONE)  # |angle| in [0, π], fixed point
    cos = sin = 0
    term, n = _ONE, 0  # term = x**n / n!, fixed point; positive, falls to 0
    while term:
        match n % 4:
            case 0:
                cos += term
            case 1:
                sin += term
            case 2:
                cos -= term
            case _:
                sin -= term
        n += 1
        term = term * x // (_ONE * n)
    return snap(Fraction(cos, _ONE)), snap(Fraction(sign * sin, _ONE))


def polar(turn: Fraction, radius: Fraction) -> Point:
    """The point at `radius` from the origin in the direction 2π·turn, as exact floats."""
    cos, sin = cos_sin(turn)
    return float(snap(radius * cos)), float(snap(radius * sin))


def clockwise_from_top(part: Fraction) -> Fraction:
    """The turn `part` of a turn clockwise from 12 o'clock (turns count counter-clockwise from
    3 o'clock, as angles do)."""
    return (Fraction(1, 4) - part) % 1


def circular_centre(turns: Sequence[Fraction]) -> Fraction:
    """The turn nearest to all `turns` (least squares of the arc distances; the smallest on a
    tie): the mean on the circle, exact. One candidate per way of cutting the circle open."""
    ordered = sorted(t % 1 for t in turns)
    best: tuple[Fraction, Fraction] | None = None
    for start in ordered:
        unwrapped = [t + 1 if t < start else t for t in ordered]
        mean = sum(unwrapped, Fraction(0)) / len(unwrapped)
        cost = sum((t - mean) ** 2 for t in unwrapped)
        candidate = (cost, mean % 1)
        if best is None or candidate < best:
            best = candidate
    if best is None:
        raise ValueError("circular_centre of no turns")
    return best[1]


def spread_on_line(desired: Sequence[Fraction], gap: Fraction) -> list[Fraction]:
    """Positions in the order of `desired` (sorted), at least `gap` apart, as near as possible
    to `desired` (least squares): isotonic regression of desired[i] - i·gap (pool adjacent
    violators), then i·gap added back."""
    blocks: list[list] = []  # [sum, count]
    for i, value in enumerate(desired):
        blocks.append([value - i * gap, 1])
        while len(blocks) > 1 and blocks[-2][0] * blocks[-1][1] > blocks[-1][0] * blocks[-2][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    levels = [Fraction(total, 1) / count for total, count in blocks for _ in range(count)]
    return [level + i * gap for i, level in enumerate(levels)]


def spread_on_circle(desired: dict[str, Fraction], gap: Fraction) -> dict[str, Fraction]:
    """Turns for the keys of `desired`, at least `gap` apart on the circle and as near as
    possible to their desired turns, in the same circular order (ties by key order given).
    The circle is cut open at the widest gap between desired turns."""
    if not desired:
        return {}
    gap = min(gap, Fraction(1, len(desired)))
    keys = sorted(desired, key=lambda k: desired[k] % 1)
    turns = [desired[k] % 1 for k in keys]
    gaps = [b - a for a, b in zip(turns, [*turns[1:], turns[0] + 1], strict=True)]
    cut = max(range(len(gaps)), key=lambda i: (gaps[i], -i)) + 1
    keys, turns = keys[cut:] + keys[:cut], turns[cut:] + [t + 1 for t in turns[:cut]]
    placed = spread_on_line(turns, gap)
    span = placed[-1] - placed[0]
    if span > 1 - gap:  # would overlap across the cut: squeeze evenly around the centre
        middle = (placed[0] + placed[-1]) / 2
        placed = [
            middle + (i - Fraction(len(placed) - 1, 2)) / len(placed) for i in range(len(placed))
        ]
    return {key: turn % 1 for key, turn in zip(keys, placed, strict=True)}
