"""What the pages need to know of an image file without decoding it."""

from __future__ import annotations

import struct


def png_size(path: str) -> tuple[int, int]:
    """(width, height) of a PNG from its header; (0, 0) if it is unreadable or not a PNG."""
    try:
        with open(path, "rb") as f:
            head = f.read(24)
        if head[:8] == b"\x89PNG\r\n\x1a\n":
            return struct.unpack(">II", head[16:24])
    except (OSError, TypeError):
        pass
    return 0, 0
