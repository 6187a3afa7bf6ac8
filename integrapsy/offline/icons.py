"""Draw the app's icons (PNG, 192 and 512 pixels) with the standard library only.

Run ``python -m integrapsy.offline.icons`` after changing the drawing; the files are committed.
A dark-blue square (the navigation bar's colour), safe for "maskable" cropping, with two white
rings side by side: two people meeting.
"""

import struct
import zlib
from pathlib import Path

SIZES = (192, 512)
BACKGROUND = (0x0B, 0x4F, 0x6C)
FOREGROUND = (0xFF, 0xFF, 0xFF)
OUT = Path(__file__).resolve().parents[2] / "static" / "img" / "icons"


def _pixel(x: float, y: float) -> tuple[int, int, int]:
    # Coordinates in 0..1; the drawing stays inside the central 80 % ("maskable" safe zone).
    for cx in (0.40, 0.60):
        d = ((x - cx) ** 2 + (y - 0.5) ** 2) ** 0.5
        if 0.13 <= d <= 0.19:
            return FOREGROUND
    return BACKGROUND


def png(size: int) -> bytes:
    rows = b"".join(
        b"\x00" + b"".join(bytes(_pixel((i + 0.5) / size, (j + 0.5) / size)) for i in range(size)) for j in range(size)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        (OUT / f"icon-{size}.png").write_bytes(png(size))


if __name__ == "__main__":
    main()
