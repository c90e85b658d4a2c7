#!/usr/bin/env bash
# The HTTP, service and CLI tests on PostgreSQL. With TEST_DATABASE_URL=postgres://… (a maintenance
# database, e.g. …/postgres, whose user may CREATE DATABASE) they run on that server; without it on
# a throwaway local cluster started and removed here (Debian's postgresql package).
set -euo pipefail
cd "$(dirname "$0")/../../.."
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  pgdir=$(mktemp -d /tmp/ilo-pg-XXXXXX)
  trap 'bash test/support/pg/cluster.sh stop "$pgdir"' EXIT
  TEST_DATABASE_URL=$(bash test/support/pg/cluster.sh start "$pgdir")
  export TEST_DATABASE_URL
fi
npx vitest run test/http test/service test/cli "$@"
