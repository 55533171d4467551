#!/usr/bin/env bash
# Gradescope autograder setup (runs once when the image is built, as root, in /autograder/source).
# Installs Node.js 20 and dubstage; the rubric and its reference files are in /autograder/source.
set -euo pipefail
apt-get update
apt-get install -y --no-install-recommends ca-certificates curl gnupg
curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
apt-get install -y --no-install-recommends nodejs
cd /autograder/source
# A packed dubstage (`npm pack` in a checkout) in the zip wins; otherwise the registry version the
# rubric was written for.
tarball=$(ls dubstage-*.tgz 2>/dev/null | head -n 1 || true)
if [ -n "$tarball" ]; then
  npm install --no-audit --no-fund "./$tarball"
else
  npm install --no-audit --no-fund dubstage@0.1.0
fi
