"""Chunked random streams: the numbers drawn depend only on (paths, seed)."""

import numpy as np
import pytest

from stakeflow.valuation.streams import BLOCK, block_generator, block_sizes, block_streams, chunks


def draws(paths: int, seed: int, chunk_size: int) -> np.ndarray:
    out = []
    for _, blocks in chunks(paths, seed, chunk_size):
        out.extend(g.standard_normal(n) for g, n in blocks)
    return np.concatenate(out)


def test_block_sizes_cover_every_path() -> None:
    paths = 3 * BLOCK + 17
    assert block_sizes(paths) == [BLOCK, BLOCK, BLOCK, 17]
    assert len(block_streams(paths, 1)) == 4
    assert block_sizes(0) == []


@pytest.mark.parametrize("chunk_size", [1, BLOCK, BLOCK + 1, 2 * BLOCK, 10 * BLOCK])
def test_draws_do_not_depend_on_chunk_size(chunk_size: int) -> None:
    paths = 3 * BLOCK + 1000
    assert np.array_equal(draws(paths, 42, chunk_size), draws(paths, 42, BLOCK))


def test_chunk_indices_and_rounding() -> None:
    got = [(first, [n for _, n in blocks]) for first, blocks in chunks(5 * BLOCK, 0, BLOCK + 1)]
    assert got == [(0, [BLOCK, BLOCK]), (2, [BLOCK, BLOCK]), (4, [BLOCK])]


def test_block_generator_is_the_spawned_child() -> None:
    paths = 4 * BLOCK
    for first, blocks in chunks(paths, 9, BLOCK):
        g, n = block_generator(9, paths, first)
        assert n == blocks[0][1]
        assert np.array_equal(g.random(100), blocks[0][0].random(100))
    with pytest.raises(IndexError):
        block_generator(9, paths, 4)


def test_seeds_differ() -> None:
    assert not np.array_equal(draws(BLOCK, 1, BLOCK), draws(BLOCK, 2, BLOCK))
