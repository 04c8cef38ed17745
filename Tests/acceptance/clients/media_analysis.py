"""Measurements on decoded media, for the mixer acceptance tests: pure functions, no I/O.

Pure Python (the test venv has no numpy): samples are sequences of floats in [-1, 1],
pictures are packed rgb24 bytes. Everything here is unit-tested without a server by
Tests/acceptance/test_media_analysis.py; clients/mix_client.py feeds it what aiortc decodes.

- Tones: `goertzel_power` / `tone_levels_db` (Hann-windowed, so a tone 40 dB under a
  neighbour 300 Hz away is still measured, not buried in leakage).
- Pictures: `block_colours` (mean colour of coarse blocks) and `find_colour` (fraction of
  blocks near a colour), so a test can say "red covers at least 3 % of the picture" without
  knowing the mixer's tile geometry; `pixel_share` and `pixel_luma` do the same over an
  already downscaled picture at C speed, for clients that measure every frame.
- Lip-sync: `flash_onsets` (video, frame precision), `beep_onsets` (audio, sample precision),
  `pair_offsets`; `rtp_to_ntp` maps an RTP timestamp onto the sender's NTP clock with RTCP
  sender reports, the only thing that relates two streams' independent RTP bases.
- Pacing: `frame_gaps` over consecutive video RTP timestamps.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence

# --------------------------------------------------------------------------- generic


def median(values: Iterable[float]) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def rtp_diff(a: int, b: int) -> int:
    """a - b for 32-bit RTP timestamps, as a signed number (wrap-around safe)."""
    d = (a - b) & 0xFFFFFFFF
    return d - (1 << 32) if d >= (1 << 31) else d


def unwrap_rtp(timestamps: Iterable[int]) -> list[int]:
    """32-bit RTP timestamps as one monotonic-ish integer line (first value kept)."""
    out: list[int] = []
    for ts in timestamps:
        out.append(ts if not out else out[-1] + rtp_diff(ts, out[-1]))
    return out


# --------------------------------------------------------------------------- tones

_HANN_CACHE: dict[int, list[float]] = {}


def hann(n: int) -> list[float]:
    """Periodic Hann window of n points (cached)."""
    window = _HANN_CACHE.get(n)
    if window is None:
        window = [0.5 - 0.5 * math.cos(2 * math.pi * i / n) for i in range(n)]
        if len(_HANN_CACHE) > 8:
            _HANN_CACHE.clear()
        _HANN_CACHE[n] = window
    return window


def goertzel_power(samples: Sequence[float], sample_rate: float, freq: float, window: bool = True) -> float:
    """Mean-square power of the component of `samples` at `freq` Hz.

    Scaled so that a sine of amplitude A at `freq` gives A**2 / 2 (its mean square), with or
    without the (default) Hann window; `freq` need not fall on a DFT bin. Hann keeps the
    leakage of a tone a few hundred Hz away far below -60 dB for windows of 0.1 s and up.
    """
    n = len(samples)
    if n == 0:
        return 0.0
    w = 2 * math.pi * freq / sample_rate
    coeff = 2 * math.cos(w)
    s1 = s2 = 0.0
    if window:
        win = hann(n)
        gain = sum(win)
        for x, h in zip(samples, win):
            s1, s2 = x * h + coeff * s1 - s2, s1
    else:
        gain = float(n)
        for x in samples:
            s1, s2 = x + coeff * s1 - s2, s1
    # |X(w)|^2 of the (windowed) sequence; the phase term of the generalised Goertzel
    # does not change the magnitude.
    magnitude_sq = s1 * s1 + s2 * s2 - coeff * s1 * s2
    amplitude = 2 * math.sqrt(max(magnitude_sq, 0.0)) / gain
    return amplitude * amplitude / 2


def power_db(power: float, floor: float = 1e-20) -> float:
    return 10 * math.log10(max(power, floor))


def tone_levels_db(samples: Sequence[float], rate: float, freqs: Iterable[float]) -> dict[float, float]:
    """{freq: level in dB} with 10*log10 of `goertzel_power` (Hann): a full-scale sine
    (amplitude 1.0) is -3.01 dB, amplitude 0.3 is -13.5 dB; silence bottoms out at -200."""
    return {f: power_db(goertzel_power(samples, rate, f)) for f in freqs}


def rms_db(samples: Sequence[float]) -> float:
    if not samples:
        return power_db(0.0)
    return power_db(sum(x * x for x in samples) / len(samples))


# --------------------------------------------------------------------------- pictures

Colour = tuple[float, float, float]


def rgb24_stride(rgb: bytes | bytearray | memoryview, width: int, height: int, stride: int | None) -> int:
    """The row stride of a packed rgb24 picture (`width * 3` when not given), after
    checking that `rgb` holds every row; ValueError otherwise."""
    stride = stride or width * 3
    if len(rgb) < stride * (height - 1) + width * 3:
        raise ValueError(f"{len(rgb)} bytes is too short for {width}x{height} rgb24 with stride {stride}")
    return stride


def block_colours(
    rgb: bytes | bytearray | memoryview,
    width: int,
    height: int,
    block: int = 32,
    stride: int | None = None,
    row_step: int = 1,
) -> list[Colour]:
    """Mean (R, G, B) of each block x block square of a packed rgb24 picture, row by row.

    `stride` is the bytes per picture row (av planes pad rows: pass plane.line_size);
    partial blocks at the right and bottom edges are averaged over what they contain.
    `row_step` > 1 averages only every row_step-th pixel row (faster, nearly the same on
    flat tiles). With block=1 each pixel is its own block: pass a picture that is already
    downscaled (mix_client lets libswscale average the blocks).
    """
    stride = rgb24_stride(rgb, width, height, stride)
    data = bytes(rgb)
    cols = (width + block - 1) // block
    out: list[Colour] = []
    for by in range(0, height, block):
        sums = [[0, 0, 0] for _ in range(cols)]
        counts = [0] * cols
        for y in range(by, min(by + block, height), row_step):
            row = data[y * stride : y * stride + width * 3]
            for c in range(cols):
                x0 = c * block * 3
                x1 = min((c + 1) * block, width) * 3
                acc = sums[c]
                acc[0] += sum(row[x0:x1:3])
                acc[1] += sum(row[x0 + 1 : x1 : 3])
                acc[2] += sum(row[x0 + 2 : x1 : 3])
                counts[c] += (x1 - x0) // 3
        for c in range(cols):
            n = counts[c] or 1
            out.append((sums[c][0] / n, sums[c][1] / n, sums[c][2] / n))
    return out


def colour_matches(colour: Colour, rgb: Sequence[float], tolerance: float) -> bool:
    """Every channel within `tolerance` (0..255) of the target."""
    return all(abs(a - b) <= tolerance for a, b in zip(colour, rgb))


def find_colour(blocks: Sequence[Colour], rgb: Sequence[float], tolerance: float = 48) -> float:
    """Fraction (0..1) of blocks whose mean colour is within `tolerance` of `rgb` on every
    channel. Blocks straddling a tile edge or a letterbox border average two colours and
    do not match: coverage is a lower bound of the area."""
    if not blocks:
        return 0.0
    return sum(1 for b in blocks if colour_matches(b, rgb, tolerance)) / len(blocks)


def packed_pixels(rgb: bytes | bytearray | memoryview, width: int, height: int, stride: int | None = None) -> bytes:
    """The rows of an rgb24 picture without their padding (av planes pad each row to
    `stride` bytes): width * height * 3 bytes, what `pixel_share` and `pixel_luma` read."""
    row = width * 3
    stride = rgb24_stride(rgb, width, height, stride)
    data = bytes(rgb)
    if stride == row:
        return data[: row * height]
    return b"".join(data[y * stride : y * stride + row] for y in range(height))


@functools.lru_cache(maxsize=64)
def _near_table(value: float, tolerance: float) -> bytes:
    """A bytes.translate table: 1 for the channel values within `tolerance` of `value`."""
    return bytes(1 if abs(v - value) <= tolerance else 0 for v in range(256))


def pixel_share(pixels: bytes, rgb: Sequence[int], tolerance: float = 48) -> float:
    """`find_colour` over the pixels of a packed rgb24 picture (`packed_pixels`), each
    pixel its own block, at C speed: each channel is translated to 0/1 bytes, and the
    three are ANDed as big integers, so a pixel counts only when all three match. The
    mix clients measure every frame they decode with it; the per-block Python loop cost
    them about a third of a core at 30 fps, CPU the server under test then lacked."""
    count = len(pixels) // 3
    if count == 0:
        return 0.0
    matches = -1
    for channel in range(3):
        near = pixels[channel : count * 3 : 3].translate(_near_table(rgb[channel], tolerance))
        matches &= int.from_bytes(near, "little")
    return matches.bit_count() / count


def pixel_luma(pixels: bytes) -> float:
    """`mean_luma` over the pixels of a packed rgb24 picture (luma is linear, so the mean
    of the channel means)."""
    count = len(pixels) // 3
    if count == 0:
        return 0.0
    r, g, b = (sum(pixels[channel : count * 3 : 3]) for channel in range(3))
    return (0.299 * r + 0.587 * g + 0.114 * b) / count


def pixel_colours(pixels: bytes) -> list[Colour]:
    """The pixels of a packed rgb24 picture as (R, G, B) colours, for `dominant_colours`."""
    return [(float(pixels[i]), float(pixels[i + 1]), float(pixels[i + 2])) for i in range(0, len(pixels) - 2, 3)]


def luma(colour: Colour) -> float:
    """BT.601 luma (0..255) of an (R, G, B) mean."""
    r, g, b = colour
    return 0.299 * r + 0.587 * g + 0.114 * b


def mean_luma(blocks: Sequence[Colour]) -> float:
    return sum(luma(b) for b in blocks) / len(blocks) if blocks else 0.0


def parse_colour(text: str) -> tuple[int, int, int]:
    parts = [int(p) for p in text.split(",")]
    if len(parts) != 3 or not all(0 <= p <= 255 for p in parts):
        raise ValueError(f"colour {text!r} is not R,G,B with each 0..255")
    return parts[0], parts[1], parts[2]


# --------------------------------------------------------------------------- onsets


def flash_onsets(
    times: Sequence[float],
    lumas: Sequence[float],
    threshold: float | None = None,
    min_separation: float = 0.3,
) -> list[float]:
    """Times of the frames where mean luma rises above `threshold` (from at or below it).

    `threshold` None: halfway between the lowest and highest luma seen. A frame already
    bright at the start is not an onset; onsets closer than `min_separation` seconds to
    the previous one are ignored (a flash that flickers). Precision is one frame.
    """
    if not lumas:
        return []
    if threshold is None:
        low, high = min(lumas), max(lumas)
        if high - low < 1e-9:
            return []
        threshold = (low + high) / 2
    onsets: list[float] = []
    for i in range(1, len(lumas)):
        if lumas[i] > threshold >= lumas[i - 1]:
            if not onsets or times[i] - onsets[-1] >= min_separation:
                onsets.append(times[i])
    return onsets


def tone_envelope(samples: Sequence[float], rate: float, freq: float, periods: int | None = None) -> tuple[list[float], int]:
    """Amplitude envelope of the `freq` component: quadrature demodulation and a CENTRED
    box filter over a whole number of periods (about 2 ms). A sine of amplitude A gives A;
    at a step onset the envelope passes A/2 exactly at the step. Returns (envelope, half
    window); envelope[i] belongs to samples[i] (0 near the ends, where the box does not fit).
    """
    n = len(samples)
    if periods is None:
        periods = max(1, round(0.002 * freq))
    width = max(2, round(periods * rate / freq))
    half = width // 2
    w = 2 * math.pi * freq / rate
    # Prefix sums of the demodulated signal; one period of cos/sin reused when it is an
    # integer number of samples (1 kHz at 48 kHz), else computed per sample.
    ci = [0.0] * (n + 1)
    cq = [0.0] * (n + 1)
    period = rate / freq
    if abs(period - round(period)) < 1e-9:
        p = int(round(period))
        cos_t = [math.cos(w * k) for k in range(p)]
        sin_t = [math.sin(w * k) for k in range(p)]
        si = sq = 0.0
        for k, x in enumerate(samples):
            j = k % p
            si += x * cos_t[j]
            sq += x * sin_t[j]
            ci[k + 1] = si
            cq[k + 1] = sq
    else:
        si = sq = 0.0
        for k, x in enumerate(samples):
            si += x * math.cos(w * k)
            sq += x * math.sin(w * k)
            ci[k + 1] = si
            cq[k + 1] = sq
    env = [0.0] * n
    scale = 2.0 / width
    for k in range(half, n - (width - half) + 1):
        a = k - half
        b = a + width
        env[k] = scale * math.hypot(ci[b] - ci[a], cq[b] - cq[a])
    return env, half


def beep_onsets(
    samples: Sequence[float],
    rate: float,
    start_time: float,
    freq: float,
    threshold: float | None = None,
    min_separation: float = 0.3,
) -> list[float]:
    """Start times of bursts of a `freq` tone, with sub-sample precision:
    start_time + (sample index of the onset) / rate.

    A burst starts where the tone's envelope (`tone_envelope`) first reaches `threshold`
    (an amplitude, full scale 1.0; None: 30 % of the loudest envelope) after having been
    below it; the onset is then placed where the envelope crosses half of the burst's
    level (its largest value in the next 30 ms), interpolated between samples. Onsets
    closer than `min_separation` seconds to the previous one are ignored.
    """
    env, half = tone_envelope(samples, rate, freq)
    if not env:
        return []
    if threshold is None:
        peak = max(env)
        if peak <= 1e-6:
            return []
        threshold = 0.3 * peak
    onsets: list[float] = []
    n = len(env)
    look = int(0.030 * rate)
    below = False
    last_index = -math.inf
    k = 0
    while k < n:
        level = env[k]
        if level < threshold:
            below = True
            k += 1
            continue
        if not below or k - last_index < min_separation * rate:
            k += 1
            continue
        burst = max(env[k : k + look])
        target = burst / 2
        m = k
        if env[m] < target:  # threshold below half the burst: the crossing is later
            while m < n - 1 and env[m] < target:
                m += 1
        else:  # threshold above half the burst: walk back to the crossing
            while m > 1 and m > k - 4 * half and env[m - 1] >= target:
                m -= 1
        # env[m - 1] < target <= env[m]
        lo, hi = env[m - 1], env[m]
        frac = (target - lo) / (hi - lo) if hi > lo else 0.0
        index = m - 1 + frac
        onsets.append(start_time + index / rate)
        last_index = k
        below = False
        k += 1
    return onsets


def pair_offsets(flashes: Sequence[float], beeps: Sequence[float], max_gap: float) -> list[float]:
    """For each flash, (beep - flash) with the nearest not yet used beep no more than
    `max_gap` seconds away; positive means the sound comes after the picture."""
    unused = sorted(beeps)
    offsets: list[float] = []
    for flash in sorted(flashes):
        best = None
        for beep in unused:
            if abs(beep - flash) <= max_gap and (best is None or abs(beep - flash) < abs(best - flash)):
                best = beep
        if best is not None:
            offsets.append(best - flash)
            unused.remove(best)
    return offsets


# --------------------------------------------------------------------------- RTCP SR


def ntp_to_seconds(ntp: int) -> float:
    """64-bit NTP timestamp (32.32 fixed point) as float seconds."""
    return (ntp >> 32) + (ntp & 0xFFFFFFFF) / (1 << 32)


def rtp_to_ntp(rtp: int, srs: Sequence[tuple[float, int]], clock_rate: float) -> float | None:
    """Maps an RTP timestamp to the sender's NTP time (seconds) with the sender report
    (ntp_seconds, rtp_timestamp) closest to it in RTP time; None without reports."""
    best = None
    for ntp, sr_rtp in srs:
        d = rtp_diff(rtp, sr_rtp)
        if best is None or abs(d) < abs(best[1]):
            best = (ntp, d)
    if best is None:
        return None
    return best[0] + best[1] / clock_rate


def sr_jitter(srs: Sequence[tuple[float, int]], clock_rate: float) -> float | None:
    """Largest |(NTP step) - (RTP step / clock rate)| between consecutive sender reports of
    one stream, in seconds: how far its reports disagree with each other (0 for a sender
    that stamps both from one clock)."""
    worst = None
    for (n0, r0), (n1, r1) in zip(srs, srs[1:]):
        dev = abs((n1 - n0) - rtp_diff(r1, r0) / clock_rate)
        worst = dev if worst is None else max(worst, dev)
    return worst


# --------------------------------------------------------------------------- pacing


def frame_gaps(pts_list: Sequence[int], clock_rate: float, nominal: float | None = None) -> dict:
    """Intervals between consecutive video RTP timestamps, in seconds.

    `nominal` is the expected frame interval (None: the median interval). Returns
    {"intervals": [...], "count", "median", "max", "nominal", "over1_5": intervals longer
    than 1.5 nominal, "over2": longer than 2 nominal, "nonIncreasing": intervals <= 0}.
    Timestamps are compared as 32-bit RTP values, so raw RTP timestamps work too.
    """
    intervals = [rtp_diff(b, a) / clock_rate for a, b in zip(pts_list, pts_list[1:])]
    positive = [i for i in intervals if i > 0]
    mid = median(positive)
    if nominal is None:
        nominal = mid
    result: dict = {
        "intervals": intervals,
        "count": len(intervals),
        "median": mid,
        "max": max(intervals) if intervals else None,
        "nominal": nominal,
        "over1_5": 0,
        "over2": 0,
        "nonIncreasing": sum(1 for i in intervals if i <= 0),
    }
    if nominal:
        result["over1_5"] = sum(1 for i in intervals if i > 1.5 * nominal)
        result["over2"] = sum(1 for i in intervals if i > 2 * nominal)
    return result
