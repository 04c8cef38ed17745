"""Unit tests of clients/media_analysis.py (no server): the measurements the mixer tests
rely on must themselves be right, on synthetic signals whose answers are known."""

from __future__ import annotations

import math
import random

import pytest

from clients.media_analysis import (
    beep_onsets,
    block_colours,
    find_colour,
    flash_onsets,
    frame_gaps,
    goertzel_power,
    mean_luma,
    median,
    ntp_to_seconds,
    packed_pixels,
    pair_offsets,
    pixel_colours,
    pixel_luma,
    pixel_share,
    rtp_diff,
    rtp_to_ntp,
    sr_jitter,
    tone_levels_db,
    unwrap_rtp,
)

RATE = 48000


def sine(freq: float, amplitude: float, seconds: float, rate: int = RATE, phase: float = 0.0) -> list[float]:
    return [amplitude * math.sin(2 * math.pi * freq * i / rate + phase) for i in range(int(seconds * rate))]


def mix(*signals: list[float]) -> list[float]:
    return [sum(values) for values in zip(*signals)]


# --------------------------------------------------------------------------- tones


def test_goertzel_power_is_the_mean_square_of_the_tone() -> None:
    # 1000.3 Hz does not fall on a bin of a 0.5 s window: the level must not depend on that.
    for freq in (1000.0, 1000.3, 437.0):
        power = goertzel_power(sine(freq, 0.5, 0.5), RATE, freq)
        assert power == pytest.approx(0.5**2 / 2, rel=0.02), freq
    assert goertzel_power(sine(1000, 0.5, 0.5), RATE, 1000, window=False) == pytest.approx(0.125, rel=0.01)
    assert goertzel_power([], RATE, 1000) == 0.0


def test_a_tone_40_db_below_its_neighbours_is_measured_within_3_db() -> None:
    loud = 0.3
    quiet = loud * 10 ** (-40 / 20)
    signal = mix(sine(500, quiet, 2), sine(800, loud, 2, phase=1.0), sine(1300, loud, 2, phase=2.0))
    levels = tone_levels_db(signal, RATE, [500, 800, 1300])
    assert levels[800] == pytest.approx(levels[1300], abs=0.5)
    assert levels[800] - levels[500] == pytest.approx(40, abs=3), levels
    # An absent tone is far below: leakage of the Hann window from 300 Hz away is negligible.
    absent = tone_levels_db(mix(sine(800, loud, 2), sine(1300, loud, 2)), RATE, [500, 800])
    assert absent[800] - absent[500] > 80, absent


def test_tone_level_in_noise_is_still_within_3_db() -> None:
    rng = random.Random(7)
    noise = [rng.gauss(0, 0.003) for _ in range(RATE)]  # about -50 dBFS
    signal = mix(sine(800, 0.3, 1), sine(500, 0.003, 1), noise)
    levels = tone_levels_db(signal, RATE, [500, 800])
    assert levels[800] - levels[500] == pytest.approx(40, abs=3), levels


# --------------------------------------------------------------------------- pictures


def picture(width: int, height: int, background: tuple[int, int, int], rects: list[tuple[int, int, int, int, tuple[int, int, int]]], stride: int | None = None) -> bytes:
    """Packed rgb24 with filled rectangles (x, y, w, h, colour); rows padded to `stride`."""
    stride = stride or width * 3
    rows = []
    for y in range(height):
        row = bytearray(bytes(background) * width)
        for x0, y0, w, h, colour in rects:
            if y0 <= y < y0 + h:
                row[x0 * 3 : (x0 + w) * 3] = bytes(colour) * w
        rows.append(bytes(row) + b"\x7f" * (stride - width * 3))
    return b"".join(rows)


def test_block_colours_average_each_block() -> None:
    # 64x32: left half red, right half blue; 32-pixel blocks are exactly the halves.
    data = picture(64, 32, (0, 0, 255), [(0, 0, 32, 32, (255, 0, 0))])
    assert block_colours(data, 64, 32, block=32) == [(255.0, 0.0, 0.0), (0.0, 0.0, 255.0)]
    # Blocks of 64 see half of each.
    assert block_colours(data, 64, 32, block=64) == [(127.5, 0.0, 127.5)]


def test_block_colours_honour_the_row_stride_and_partial_edge_blocks() -> None:
    data = picture(40, 20, (10, 20, 30), [], stride=40 * 3 + 8)  # padding bytes are 0x7f
    blocks = block_colours(data, 40, 20, block=16, stride=40 * 3 + 8)
    assert len(blocks) == 3 * 2
    assert all(b == (10.0, 20.0, 30.0) for b in blocks), blocks
    with pytest.raises(ValueError):
        block_colours(data[:100], 40, 20)


def test_find_colour_measures_the_share_of_a_tiled_picture() -> None:
    # A 1280x720 "mix": dark background, three letterboxed tiles of different sizes.
    dark = (20, 20, 24)
    red, green, blue = (250, 5, 5), (5, 250, 5), (5, 5, 250)
    tiles = [(0, 90, 640, 360, red), (640, 90, 640, 360, green), (320, 450, 320, 180, blue)]
    data = picture(1280, 720, dark, tiles)
    blocks = block_colours(data, 1280, 720, block=32, row_step=4)
    assert len(blocks) == 40 * 23
    red_share = find_colour(blocks, (255, 0, 0), tolerance=48)
    green_share = find_colour(blocks, (0, 255, 0), tolerance=48)
    blue_share = find_colour(blocks, (0, 0, 255), tolerance=48)
    # Exact areas: 25 %, 25 %, 6.25 %; blocks across tile edges do not count.
    assert 0.20 < red_share <= 0.25
    assert 0.20 < green_share <= 0.25
    assert 0.04 < blue_share <= 0.0625
    assert find_colour(blocks, (255, 255, 0), tolerance=48) == 0.0
    assert find_colour([], (0, 0, 0)) == 0.0
    assert mean_luma([(255, 255, 255), (0, 0, 0)]) == pytest.approx(127.5)


def test_pixel_share_and_luma_agree_with_the_per_block_measures() -> None:
    # Random tiny pictures (what mix_client reads: one pixel per block), padded rows, colours
    # at and just past the tolerance on each channel: the C-speed measures must give exactly
    # find_colour's and mean_luma's answers over block_colours(block=1).
    rng = random.Random(7)
    target = (200, 40, 90)
    for _ in range(30):
        width, height = rng.randint(1, 41), rng.randint(1, 24)
        stride = width * 3 + rng.choice([0, 1, 5, 16])
        data = bytearray(rng.randrange(256) for _ in range(stride * height))
        for _ in range(width * height // 2):
            x, y = rng.randrange(width), rng.randrange(height)
            near = [max(0, min(255, c + rng.choice([-49, -48, 0, 48, 49]))) for c in target]
            data[y * stride + x * 3 : y * stride + x * 3 + 3] = bytes(near)
        blocks = block_colours(bytes(data), width, height, block=1, stride=stride)
        pixels = packed_pixels(bytes(data), width, height, stride=stride)
        assert len(pixels) == width * height * 3
        assert pixel_colours(pixels) == blocks
        for tolerance in (0, 48, 48.5):
            assert pixel_share(pixels, target, tolerance) == find_colour(blocks, target, tolerance)
        assert pixel_luma(pixels) == pytest.approx(mean_luma(blocks), abs=1e-9)
    assert pixel_share(b"", (0, 0, 0)) == 0.0
    assert pixel_luma(b"") == 0.0
    with pytest.raises(ValueError):
        packed_pixels(b"\x00" * 10, 2, 2, stride=8)


# --------------------------------------------------------------------------- onsets


def flash_timeline(start: float, seconds: float, flash_every: float, flash_frames: int, fps: int = 30) -> tuple[list[float], list[float]]:
    times, lumas = [], []
    for n in range(int(seconds * fps)):
        t = start + n / fps
        index = round((t - start) * fps) % round(flash_every * fps)
        lumas.append(200.0 if n >= round(flash_every * fps) and index < flash_frames else 16.0)
        times.append(t)
    return times, lumas


def beep_track(seconds: float, first: float, every: float, offset: float, freq: float = 1000, length: float = 0.1, amplitude: float = 0.3, rate: int = RATE) -> list[float]:
    """Silence with `length` beeps at first + offset, first + every + offset, ..."""
    out = [0.0] * int(seconds * rate)
    t = first + offset
    while t + length < seconds:
        start = t * rate
        for i in range(math.ceil(start), int((t + length) * rate)):
            out[i] = amplitude * math.sin(2 * math.pi * freq * (i - start) / rate)
        t += every
    return out


def test_flash_onsets_are_the_rising_frames() -> None:
    times, lumas = flash_timeline(100.0, 5, 1.0, 3)
    onsets = flash_onsets(times, lumas)
    assert onsets == pytest.approx([101.0, 102.0, 103.0, 104.0])
    assert flash_onsets(times, lumas, threshold=250) == []
    # Already bright at the start: not an onset.
    assert flash_onsets([0.0, 0.1, 0.2], [200.0, 20.0, 20.0]) == []
    assert flash_onsets([], []) == []


@pytest.mark.parametrize("offset", [0.0, 0.0173, -0.0251])
def test_beep_onsets_have_sample_precision(offset: float) -> None:
    samples = beep_track(5.0, 1.0, 1.0, offset)
    onsets = beep_onsets(samples, RATE, 50.0, 1000, threshold=0.05)
    expected = [50.0 + 1 + k + offset for k in range(4)]
    assert len(onsets) == 4, onsets
    for got, want in zip(onsets, expected):
        assert abs(got - want) < 0.0002, (got, want)
    # Automatic threshold, and a quieter beep: the same instants.
    quiet = [x / 10 for x in samples]
    assert beep_onsets(quiet, RATE, 50.0, 1000) == pytest.approx(onsets, abs=0.0002)


def test_beep_onsets_ignore_other_tones_and_noise() -> None:
    rng = random.Random(3)
    beeps = beep_track(4.0, 0.5, 1.0, 0.0)
    hum = sine(440, 0.3, 4.0)
    noise = [rng.gauss(0, 0.01) for _ in range(len(beeps))]
    onsets = beep_onsets(mix(beeps, hum, noise), RATE, 0.0, 1000, threshold=0.1)
    assert onsets == pytest.approx([0.5, 1.5, 2.5, 3.5], abs=0.0005)
    assert beep_onsets([0.0] * RATE, RATE, 0.0, 1000) == []


def test_a_known_av_offset_is_recovered_within_2_ms() -> None:
    # Video at 30 fps flashes on whole seconds; audio beeps 23.4 ms later (on another clock
    # origin, as if already mapped through sender reports).
    times, lumas = flash_timeline(10.0, 6, 1.0, 3)
    flashes = flash_onsets(times, lumas)
    samples = beep_track(6.0, 1.0, 1.0, 0.0234)
    beeps = beep_onsets(samples, RATE, 10.0, 1000)
    offsets = pair_offsets(flashes, beeps, max_gap=0.5)
    assert len(offsets) == 5
    assert median(offsets) == pytest.approx(0.0234, abs=0.002)
    assert all(abs(o - 0.0234) < 0.002 for o in offsets), offsets


def test_pair_offsets_uses_each_beep_once_and_respects_max_gap() -> None:
    assert pair_offsets([1.0, 2.0, 3.0], [1.02, 2.5, 2.98], max_gap=0.1) == pytest.approx([0.02, -0.02])
    assert pair_offsets([1.0, 1.01], [1.02], max_gap=0.1) == pytest.approx([0.02])
    assert pair_offsets([], [1.0], max_gap=1) == []


# --------------------------------------------------------------------------- RTP / RTCP


def test_rtp_arithmetic_wraps() -> None:
    assert rtp_diff(5, 0xFFFFFFFB) == 10
    assert rtp_diff(0xFFFFFFFB, 5) == -10
    assert unwrap_rtp([0xFFFFF000, 0xFFFFFC00, 0x400]) == [0xFFFFF000, 0xFFFFFC00, 0x100000400]
    assert ntp_to_seconds((3900000000 << 32) | (1 << 31)) == 3900000000.5


def test_rtp_to_ntp_uses_the_nearest_sender_report() -> None:
    # Audio (48 kHz) and video (90 kHz) with unrelated random bases, both reporting one clock.
    audio_base, video_base = 0xFFFF0000, 123456
    audio_srs = [(1000.0 + s, (audio_base + s * 48000) & 0xFFFFFFFF) for s in range(4)]
    video_srs = [(1000.2 + s, video_base + int(0.2 * 90000) + s * 90000) for s in range(4)]
    # The instant 1002.5 in each stream's RTP time:
    audio_rtp = (audio_base + int(2.5 * 48000)) & 0xFFFFFFFF
    video_rtp = video_base + int(2.5 * 90000)
    assert rtp_to_ntp(audio_rtp, audio_srs, 48000) == pytest.approx(1002.5)
    assert rtp_to_ntp(video_rtp, video_srs, 90000) == pytest.approx(1002.5)
    assert rtp_to_ntp(1, [], 90000) is None
    assert sr_jitter(audio_srs, 48000) == pytest.approx(0.0)
    jittery = [(1000.0, 0), (1001.005, 48000)]
    assert sr_jitter(jittery, 48000) == pytest.approx(0.005)
    assert sr_jitter([(1.0, 0)], 48000) is None


def test_frame_gaps_count_stalls() -> None:
    pts = [i * 3000 for i in range(30)] + [30 * 3000 + 6000] + [32 * 3000 + i * 3000 for i in range(1, 10)]
    gaps = frame_gaps(pts, 90000)
    assert gaps["median"] == pytest.approx(1 / 30)
    assert gaps["max"] == pytest.approx(3 / 30)
    assert gaps["over1_5"] == 1
    assert gaps["over2"] == 1
    assert gaps["count"] == len(pts) - 1
    # A 2-interval hole is over 1.5 but not over 2.
    two = frame_gaps([0, 3000, 9000, 12000], 90000, nominal=1 / 30)
    assert (two["over1_5"], two["over2"], two["max"]) == (1, 0, pytest.approx(2 / 30))
    # Wrap-around is not a gap; a repeated timestamp is counted as non-increasing.
    wrapped = frame_gaps([(1 << 32) - 3000, 0, 3000, 6000, 6000], 90000)
    assert wrapped["over1_5"] == 0 and wrapped["nonIncreasing"] == 1
    assert frame_gaps([], 90000)["max"] is None
