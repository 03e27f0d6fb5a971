"""The batch's own PNG writer: the pixels and the chunks savefig writes."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from conftest import YU2020
from PIL import Image

from plotting import plot_case, read_case, save_figure
from plotting.output.canvas import BufferPool, ReusingCanvas, rasterise
from plotting.output.png import empty_rows, encode_png, pixels_of, write_png


def chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    found, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (checksum,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert checksum == zlib.crc32(kind + body), kind
        found.append((kind, body))
        at += 12 + length
    return found


def test_pixels_read_back_exactly_with_the_dpi():
    generator = np.random.default_rng(3)
    pixels = generator.integers(0, 256, size=(37, 53, 4), dtype=np.uint8)
    rows = empty_rows(37, 53)
    pixels_of(rows)[:] = pixels
    image = Image.open(io.BytesIO(encode_png(rows, dpi=300)))
    assert image.mode == "RGBA" and image.size == (53, 37)
    np.testing.assert_array_equal(np.asarray(image), pixels)
    assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)


def test_a_case_written_by_the_batch_path_is_what_savefig_writes(tmp_path):
    fig = plot_case(read_case(YU2020))
    save_figure(fig, tmp_path / "savefig", formats=("png",), dpi=150)
    ReusingCanvas(fig)
    rows = rasterise(fig, 150, BufferPool(1))
    write_png(rows, tmp_path / "batch.png", dpi=150)
    expected = (tmp_path / "savefig.png").read_bytes()
    written = (tmp_path / "batch.png").read_bytes()
    np.testing.assert_array_equal(
        np.asarray(Image.open(io.BytesIO(written))),
        np.asarray(Image.open(io.BytesIO(expected))),
    )
    # The same chunks but for how the image data is compressed and split.
    ours, theirs = chunks(written), chunks(expected)
    assert [kind for kind, _ in ours] == [b"IHDR", b"pHYs", b"IDAT", b"IEND"]
    assert [kind for kind, _ in theirs if kind != b"IDAT"] == [
        b"IHDR",
        b"pHYs",
        b"IEND",
    ]
    assert ours[0] == theirs[0] and ours[1] == theirs[1]
    assert not list(tmp_path.glob(".*.part"))


def test_pooled_buffers_are_reused_only_for_the_same_size():
    pool = BufferPool(2)
    first = pool.take(np.zeros((4, 5, 4), np.uint8))
    pool.give_back(first)
    assert pool.take(np.ones((4, 5, 4), np.uint8)) is first
    assert (pixels_of(first) == 1).all() and not first[:, 0].any()
    pool.give_back(first)
    other = pool.take(np.ones((5, 4, 4), np.uint8))
    assert other is not first and other.shape == (5, 17)


@pytest.mark.parametrize(
    "rows, message",
    [
        (np.zeros((3, 8), np.uint8), "C-contiguous uint8"),
        (np.zeros((3, 9), np.uint16), "C-contiguous uint8"),
        (np.zeros((3, 17), np.uint8)[:, ::2], "C-contiguous uint8"),
        (np.ones((3, 9), np.uint8), "unfiltered"),
        (np.zeros((0, 9), np.uint8), "at least one pixel"),
        (np.zeros((3, 1), np.uint8), "at least one pixel"),
    ],
)
def test_buffers_not_laid_out_as_png_rows_are_refused(rows, message):
    with pytest.raises(ValueError, match=message):
        encode_png(rows, dpi=72)
