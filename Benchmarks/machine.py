"""The machine and tool versions a benchmark ran on, for its report."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from pathlib import Path


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return platform.system()


def machine() -> dict:
    return {"cpu": _cpu_model(), "cores": os.cpu_count(), "kernel": platform.release(),
            "os": _os_name(), "load_average_1m_at_start": round(os.getloadavg()[0], 2)}


def _output(command: list[str]) -> str:
    if shutil.which(command[0]) is None:
        return ""
    return subprocess.run(command, capture_output=True, text=True).stdout.strip()


def _package(pattern: str) -> str:
    """Version of the installed Debian package matching `pattern`, e.g. libvpx7 1.12.0-1."""
    for line in _output(["dpkg-query", "-W", "-f", "${db:Status-Abbrev} ${Package} ${Version}\n", pattern]).splitlines():
        status, _, package = line.partition(" ")
        if status.startswith("ii"):
            return package.strip()
    return "unknown"


def versions() -> dict:
    ffmpeg = _output(["ffmpeg", "-version"]).splitlines()
    gstreamer = _output(["gst-launch-1.0", "--version"]).splitlines()
    return {"ffmpeg": ffmpeg[0] if ffmpeg else "not installed",
            "gstreamer": gstreamer[1] if len(gstreamer) > 1 else "not installed",
            "libvpx": _package("libvpx[0-9]*"), "libopus": _package("libopus0")}
