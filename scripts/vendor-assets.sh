#!/usr/bin/env bash
# Refresh the vendored front-end files from the npm registry (no CDN at run time).
# Usage: scripts/vendor-assets.sh [HTMX_VERSION] [GOVUK_VERSION] [AXE_VERSION]
# Bump GOVUK_VERSION only together with govuk-frontend-jinja in pyproject.toml (see its
# compatibility table), and update the file names in templates/base.html and static/js/app.mjs.
set -euo pipefail
HTMX=${1:-2.0.11}
GOVUK=${2:-6.3.0}
AXE=${3:-4.14.1}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent "htmx.org@$HTMX" "govuk-frontend@$GOVUK" "axe-core@$AXE" >/dev/null
for f in *.tgz; do mkdir "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done
# The published CSS names the GDS Transport font (Crown use only): compile the Sass ourselves with
# the system font stack instead, and only the components in scripts/govuk-components.txt (plus
# GOV.UK's core styles, layout objects, utilities and overrides). sass and esbuild are used here
# only, never at run time.
npm install --silent --no-audit --no-fund --no-save "sass@1.108.2" "esbuild@0.28.2" >/dev/null
components=$(grep -v '^#' "$root/scripts/govuk-components.txt" | sed '/^$/d')
g="govuk-frontend-$GOVUK/package/dist/govuk"
{
  cat <<SCSS
@use "$g/base" with (
  \$govuk-font-family: (system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif),
  \$govuk-assets-path: "/static/vendor/govuk-frontend-$GOVUK/assets/"
);
@use "$g/core";
@use "$g/objects";
SCSS
  for c in $components; do echo "@use \"$g/components/$c\";"; done
  echo "@use \"$g/utilities\";"
  echo "@use \"$g/overrides\";"
} > thinkchild.scss
node_modules/.bin/sass --quiet --style=compressed --no-source-map thinkchild.scss govuk.css
# JavaScript: an ES module exporting initAll() that starts only our components that have any.
classes=""
for c in $components; do
  if [ -f "$g/components/$c/$c.mjs" ]; then
    classes="$classes $(echo "$c" | sed -E 's/(^|-)([a-z])/\U\2/g')"
  fi
done
list=$(echo $classes | sed 's/ /, /g')
cat > entry.mjs <<JS
import { createAll, $list } from "./$g/all.mjs";
export function initAll() {
  for (const Component of [$list]) createAll(Component);
}
JS
node_modules/.bin/esbuild entry.mjs --bundle --format=esm --minify --target=es2020 \
  --legal-comments=none --log-level=warning --outfile=govuk.mjs

vendor="$root/static/vendor"
rm -rf "$vendor" && mkdir -p "$vendor/govuk-frontend-$GOVUK"
cp "htmx.org-$HTMX/package/dist/htmx.min.js" "$vendor/htmx-$HTMX.min.js"
cp govuk.css "$vendor/govuk-frontend-$GOVUK/govuk-frontend.min.css"
cp govuk.mjs "$vendor/govuk-frontend-$GOVUK/govuk-frontend.min.mjs"
# Only the generic assets: no crown, no GOV.UK logotype, no GDS Transport font.
mkdir -p "$vendor/govuk-frontend-$GOVUK/assets/images"
for img in favicon.ico favicon.svg; do
  [ -f "$g/assets/images/$img" ] && cp "$g/assets/images/$img" "$vendor/govuk-frontend-$GOVUK/assets/images/"
done
cp "htmx.org-$HTMX/package/LICENSE" "$vendor/htmx-LICENSE" 2>/dev/null || true
cp "govuk-frontend-$GOVUK/package/LICENSE.txt" "$vendor/govuk-frontend-LICENSE.txt" 2>/dev/null || true

mkdir -p "$root/tests/vendor"
cp "axe-core-$AXE/package/axe.min.js" "$root/tests/vendor/axe.min.js"
echo "vendored htmx $HTMX, govuk-frontend $GOVUK, axe-core $AXE"
