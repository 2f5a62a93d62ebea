#!/usr/bin/env bash
# Set up everything the project needs, installing only what is missing:
#   1. Debian packages (Cairo, Pango, pkg-config, a small TeX Live for Manim's
#      MathTex, dvisvgm, Chromium for the browser tests);
#   2. a virtual environment in .venv with the pinned Python packages.
# Run again, it installs nothing that is already there (a stamp file records
# the hash of the pins). Without root, it prints the exact command to run and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}
APT_PACKAGES=(
  libcairo2-dev libpango1.0-dev pkg-config            # pycairo and ManimPango build from source
  texlive-latex-base texlive-latex-recommended texlive-latex-extra
  texlive-fonts-recommended dvisvgm cm-super-minimal  # Manim's MathTex
  chromium chromium-driver                            # browser tests (Playwright drives Debian's Chromium)
  fonts-dejavu-core                                   # the figures' font, same on every machine
)

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# --- 1. system packages -------------------------------------------------------
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
else
  say "not a Debian-like system (no dpkg-query): install the equivalents of ${APT_PACKAGES[*]} yourself."
fi
if ((${#missing[@]})); then
  line="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    say "installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    say "installing system packages with sudo: ${missing[*]}"
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "these system packages are missing and you are not root: ${missing[*]}"
    say "run this as root (or with sudo), then run this command again:"
    echo
    echo "    sudo sh -c '$line'"
    echo
    exit 1
  fi
fi

# --- 2. virtual environment and Python packages -------------------------------
if [ ! -x "$VENV/bin/python" ]; then
  say "creating the virtual environment $VENV"
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.installed"
want=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "installing the pinned Python packages (requirements.lock) and the project (editable)"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements.lock
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
  echo "$want" > "$stamp"
else
  say "system packages and $VENV are up to date"
fi
