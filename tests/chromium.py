"""Debian's Chromium as every browser test drives it (Playwright, no browser download of its own)."""

CHROMIUM = "/usr/bin/chromium"
# The closed network refuses Chromium's background connections; without these flags it tries them at every start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# Served with the types a real host gives them (Python's table lacks some).
MIME_TYPES = {
    ".vtt": "text/vtt",
    ".woff2": "font/woff2",
    ".mp4": "video/mp4",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".js": "text/javascript",
    ".webmanifest": "application/manifest+json",
}
