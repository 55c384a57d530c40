#!/usr/bin/env bash
# Lints the committed OpenAPI documents (docs/openapi/*.json, which the build holds to what the apps serve) with
# Spectral's spectral:oas ruleset, less the rules .spectral.yaml turns off and says why. Fails on any error.
# Spectral is pinned by package-lock.json; `npm ci` installs exactly that, without running install scripts (one
# dependency's would only send usage statistics).
set -euo pipefail
cd "$(dirname "$0")"
# installed again only when the lock file changed since the last install (whose copy is kept in node_modules)
if ! cmp -s package-lock.json node_modules/.installed-lock.json; then
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    cp package-lock.json node_modules/.installed-lock.json
fi
node_modules/.bin/spectral lint --ruleset .spectral.yaml --fail-severity error \
    ../../docs/openapi/command-side.json ../../docs/openapi/query-side.json
