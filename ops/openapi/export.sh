#!/usr/bin/env bash
# Rewrites docs/openapi/command-side.json and query-side.json from what the apps serve at /v3/api-docs (the system
# tests' ApiDocumentsTest, which otherwise fails the build when they differ). Review the diff, then commit it.
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -pl system-tests -am verify -Dtest=ApiDocumentsTest -Dsurefire.failIfNoSpecifiedTests=false \
       -DfailIfNoTests=false -Darbor.openapi.write=true "$@"
git --no-pager diff --stat -- docs/openapi
