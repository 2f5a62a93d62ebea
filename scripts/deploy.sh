#!/usr/bin/env bash
# Deploy the current commit as a version of the site to the local gh-pages
# branch with mike, and point the `latest` alias (the default version) at it.
#
#   make deploy VERSION=1.0            # publish quality, no push
#   PUSH=1 make deploy VERSION=1.0     # ... and push gh-pages to origin
#   FIGURES_QUALITY=draft make deploy VERSION=test
#
# Every version is built from its own commit, figures included: the working
# tree must be clean (ALLOW_DIRTY=1 overrides, for experiments only).
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=${1:-${VERSION:-}}
if [ -z "$VERSION" ]; then
  echo "usage: make deploy VERSION=<version>   (e.g. VERSION=1.0)" >&2
  exit 2
fi
if [ -z "${ALLOW_DIRTY:-}" ] && ! git diff --quiet HEAD -- 2>/dev/null; then
  echo "deploy: the working tree has uncommitted changes; commit them first (a version is built from its commit)" >&2
  exit 1
fi
MIKE=${MIKE:-.venv/bin/mike}
export SITE_VERSION="$VERSION" FIGURES_QUALITY="${FIGURES_QUALITY:-publish}" NO_MKDOCS_2_WARNING=1
commit=$(git rev-parse --short=12 HEAD)
push=()
[ -n "${PUSH:-}" ] && push=(--push)
echo "deploying version $VERSION (commit $commit, $FIGURES_QUALITY figures) to the gh-pages branch" >&2
"$MIKE" deploy --update-aliases --title "$VERSION" -m "Deploy $VERSION from $commit" "${push[@]}" "$VERSION" latest
"$MIKE" set-default "${push[@]}" latest
"$MIKE" list >&2
