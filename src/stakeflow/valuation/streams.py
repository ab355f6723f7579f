"""Random streams for chunked Monte Carlo that do not depend on chunking or workers.

The paths of a run are cut into fixed blocks of ``BLOCK`` paths. Block ``i`` always draws from
the ``i``-th child of ``SeedSequence(seed).spawn(n_blocks)``, whichever chunk or worker runs it,
so a run is a pure function of ``(paths, seed)``. Reduce each block on its own (sums, sums of
squares) and add the block results in block order: the totals are then bitwise identical for
every chunk size and every number of workers.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

BLOCK = 65_536
"""Paths per random stream. Fixed: changing it changes every seeded result."""


def n_blocks(paths: int) -> int:
    """Number of blocks that ``paths`` paths fill (the last one may be partial)."""
    if paths < 0:
        raise ValueError("paths must be non-negative")
    return -(-paths // BLOCK)


def block_sizes(paths: int) -> list[int]:
    """Paths in each block: ``BLOCK`` everywhere except a shorter last block."""
    n = n_blocks(paths)
    return [min(BLOCK, paths - i * BLOCK) for i in range(n)]


def block_streams(paths: int, seed: int) -> list[np.random.SeedSequence]:
    """One independent ``SeedSequence`` per block of ``BLOCK`` paths: ``SeedSequence(seed).spawn(n_blocks)``."""
    return np.random.SeedSequence(seed).spawn(n_blocks(paths))


def chunk_blocks(chunk_size: int) -> int:
    """Blocks per chunk: ``chunk_size`` rounded up to a whole number of blocks (at least one)."""
    if chunk_size <= 0:
        raise ValueError("chunk_size must be positive")
    return max(1, -(-chunk_size // BLOCK))


def chunks(paths: int, seed: int, chunk_size: int) -> Iterator[tuple[int, list[tuple[np.random.Generator, int]]]]:
    """The run's blocks grouped into chunks of about ``chunk_size`` paths.

    Yields ``(first_block_index, [(generator, n_paths_in_block), ...])`` in block order, with
    ``generator = Generator(PCG64(child))`` for the block's own child seed sequence.
    ``chunk_size`` is rounded up to a multiple of ``BLOCK``; it only decides how many blocks are
    held in memory at once, never which numbers they draw.
    """
    per = chunk_blocks(chunk_size)
    children = block_streams(paths, seed)
    sizes = block_sizes(paths)
    for first in range(0, len(children), per):
        yield first, [
            (np.random.Generator(np.random.PCG64(children[i])), sizes[i])
            for i in range(first, min(first + per, len(children)))
        ]


def block_generator(seed: int, paths: int, index: int) -> tuple[np.random.Generator, int]:
    """The generator and path count of block ``index`` alone (for a worker given only indices)."""
    if not 0 <= index < n_blocks(paths):
        raise IndexError(f"block {index} outside a run of {n_blocks(paths)} blocks")
    # SeedSequence(seed, spawn_key=(i,)) is exactly the i-th child of SeedSequence(seed).spawn(n).
    child = np.random.SeedSequence(seed, spawn_key=(index,))
    return np.random.Generator(np.random.PCG64(child)), min(BLOCK, paths - index * BLOCK)


@dataclass(frozen=True)
class Block:
    """One block of paths of a seeded run of profit paths: its random streams depend only on
    ``(seed, index)``.

    Revenue shocks come from the block's own stream (:func:`block_generator`); each event's draws
    from a stream keyed by the event's id, so adding an event or a contract never changes the
    revenue paths, and two structures projected with the same seed see the same paths (common
    random numbers). ``first`` is the run's index of the block's first path.
    """

    seed: int
    index: int
    size: int
    first: int
    paths: int

    def normals(self, years: int) -> np.ndarray:
        """``(size, years)`` standard normals; year ``t``'s draws do not depend on the horizon."""
        gen, _ = block_generator(self.seed, self.paths, self.index)
        return gen.standard_normal((years, self.size)).T

    def uniforms(self, key: str, years: int) -> np.ndarray:
        """``(size, years)`` uniforms from the stream of ``key`` (an event id)."""
        ss = np.random.SeedSequence(self.seed, spawn_key=(self.index, 1 + zlib.crc32(key.encode())))
        return np.random.Generator(np.random.PCG64(ss)).random((years, self.size)).T


def run_blocks(paths: int, seed: int) -> Iterator[Block]:
    """The blocks of a run of ``paths`` profit paths drawn from ``seed``, in order."""
    first = 0
    for index, size in enumerate(block_sizes(paths)):
        yield Block(seed, index, size, first, paths)
        first += size


__all__ = ["BLOCK", "Block", "block_generator", "block_sizes", "block_streams", "chunk_blocks", "chunks", "n_blocks",
           "run_blocks"]
