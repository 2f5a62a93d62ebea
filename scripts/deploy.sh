#!/usr/bin/env bash
# Deploy the current commit as a version of the site to the local gh-pages
# branch with mike, and point the `latest` alias (the default version) at it.
#
#   SITE_URL=https://<your host>/<path>/ make deploy VERSION=1.0   # publish quality, no push
#   PUSH=1 SITE_URL=... make deploy VERSION=1.0                    # ... and push gh-pages to origin
#   FIGURES_QUALITY=draft SITE_URL=... make deploy VERSION=test
#
# A deployed version is cited by its address, so a real one is required: SITE_URL
# (or site_url in mkdocs.yml), not a placeholder host (example.org, *.invalid,
# localhost...); REPO_URL adds the link to the sources. Checked first, by
# `python -m figures_src identity --require-site-url`.
#
# A version is built at publish quality (1920x1080 video) unless FIGURES_QUALITY says otherwise.
#
# Every version is built from its own commit, figures included: the working
# tree must be clean (ALLOW_DIRTY=1 overrides, for experiments only).
#
# The deployed commit gets the annotated tag v$VERSION (made before the build,
# so that the site's "Changelog and errata" page lists this version; removed
# again if the deploy fails). A v$VERSION that names another commit stops the
# deploy: a version is one commit. A dirty tree (ALLOW_DIRTY=1) or NO_TAG=1
# deploys without a tag; PUSH=1 pushes the tag with gh-pages.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=${1:-${VERSION:-}}
if [ -z "$VERSION" ]; then
  echo "usage: make deploy VERSION=<version>   (e.g. VERSION=1.0)" >&2
  exit 2
fi
MIKE=${MIKE:-.venv/bin/mike}
PYTHON=${PYTHON:-$(dirname "$MIKE")/python}
if ! "$PYTHON" -m figures_src identity --require-site-url >/dev/null; then
  echo "deploy: refused: version $VERSION needs the address it will be served from, in SITE_URL" >&2
  exit 2
fi
dirty=
git diff --quiet HEAD -- 2>/dev/null || dirty=1
if [ -z "${ALLOW_DIRTY:-}" ] && [ -n "$dirty" ]; then
  echo "deploy: the working tree has uncommitted changes; commit them first (a version is built from its commit)" >&2
  exit 1
fi

# The tag v$VERSION on the deployed commit: refuse another commit's, make it if missing.
tag="v$VERSION"
made_tag=
if [ -z "${NO_TAG:-}" ] && [ -z "$dirty" ]; then
  head=$(git rev-parse HEAD)
  if tagged=$(git rev-parse -q --verify "refs/tags/$tag^{commit}"); then
    if [ "$tagged" != "$head" ]; then
      echo "deploy: the tag $tag already names commit ${tagged:0:12}, not ${head:0:12}: a version is one commit." >&2
      echo "        Deploy a new version, or move the tag on purpose (git tag -f -a $tag) and deploy again." >&2
      exit 1
    fi
  else
    git tag -a "$tag" -m "Version $VERSION" HEAD
    made_tag=1
    # Take the tag back if the deploy does not finish.
    trap 'status=$?; if [ $status -ne 0 ] && [ -n "$made_tag" ]; then git tag -d "$tag" >/dev/null; echo "deploy: failed; tag $tag removed" >&2; fi' EXIT
  fi
elif [ -z "${NO_TAG:-}" ]; then
  echo "deploy: the working tree is dirty (ALLOW_DIRTY=1): no tag $tag" >&2
fi
# A deployed version is built at publish quality (1080p video); FIGURES_QUALITY=draft overrides it (tests).
# Its slide deck shows the animations on the light theme (FIGURES_SLIDE_SCENES=dark: the site's renders).
export SITE_VERSION="$VERSION" FIGURES_QUALITY="${FIGURES_QUALITY:-publish}" NO_MKDOCS_2_WARNING=1
export FIGURES_SLIDE_SCENES="${FIGURES_SLIDE_SCENES:-light}"
commit=$(git rev-parse --short=12 HEAD)
push=()
[ -n "${PUSH:-}" ] && push=(--push)
echo "deploying version $VERSION (commit $commit, $FIGURES_QUALITY figures, $FIGURES_SLIDE_SCENES scenes on the slides) to the gh-pages branch" >&2
"$MIKE" deploy --update-aliases --title "$VERSION" -m "Deploy $VERSION from $commit" "${push[@]}" "$VERSION" latest
"$MIKE" set-default "${push[@]}" latest
"$MIKE" list >&2
if [ -n "${PUSH:-}" ] && git rev-parse -q --verify "refs/tags/$tag" >/dev/null && [ -z "${NO_TAG:-}" ] && [ -z "$dirty" ]; then
  git push origin "refs/tags/$tag"
fi
made_tag=  # deployed: the tag stays
