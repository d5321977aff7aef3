#!/usr/bin/env bash
# Regenerates modules/app/src/main/cds/classlist: the classes `mvn package` puts into the class-data sharing archive
# modules/app/target/callback-engine.jsa, which lets the engine start without loading and verifying them one by one
# (see "Restart time" in the README).
#
#   scripts/cds-classlist.sh          (from anywhere; needs Java 17, Maven and PostgreSQL as `mvn -B verify` does)
#
# Packages the engine, starts it with -XX:DumpLoadedClassList against the local PostgreSQL (CALLBACK_TEST_DATABASE_URL
# or postgresql://postgres@127.0.0.1:5432/postgres) in a throwaway schema, waits until /health/ready answers 200, makes
# the requests a fresh engine typically serves first (an admin request, /metrics), stops it with SIGTERM and drops
# the schema. Run it after a dependency upgrade or a large change: a stale list never breaks a start (classes it
# misses are loaded the ordinary way, names it lists that no longer exist are skipped), it only makes it slower.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

database_url="${CALLBACK_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
schema="cds_classlist_$$"
list=modules/app/src/main/cds/classlist
work="$(mktemp -d)"
engine=""
cleanup() {
  if [[ -n "$engine" ]] && kill -0 "$engine" 2>/dev/null; then kill -9 "$engine"; fi
  rm -rf "$work"
}
trap cleanup EXIT

mvn -B -q package -DskipTests -Dcds.skip=true -pl modules/app -am

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
CALLBACK_DATABASE_URL="$database_url" CALLBACK_DATABASE_SCHEMA="$schema" CALLBACK_HTTP_PORT="$port" \
  CALLBACK_HTTP_HOST=127.0.0.1 CALLBACK_ADMIN_TOKEN=classlist CALLBACK_DATA_DIR="$work" \
  CALLBACK_DATABASE_POOL_WAIT=30s java -XX:DumpLoadedClassList="$work/classlist" \
  -jar modules/app/target/callback-engine.jar >"$work/engine.log" 2>&1 &
engine=$!

for _ in $(seq 1 600); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$port/health/ready" 2>/dev/null; then break; fi
  if ! kill -0 "$engine" 2>/dev/null; then cat "$work/engine.log" >&2; exit 1; fi
  sleep 0.1
done
curl -fsS -o /dev/null -X POST "http://127.0.0.1:$port/admin/accounts" -H 'Authorization: Bearer classlist' \
  -H 'Content-Type: application/json' -d '{"name": "Class list"}'
curl -fsS -o /dev/null "http://127.0.0.1:$port/metrics"
kill -TERM "$engine"
wait "$engine" || true
engine=""

if command -v psql >/dev/null 2>&1; then
  psql -q "$database_url" -c "set client_min_messages to warning" -c "drop schema if exists $schema cascade" || true
else
  echo "psql not found: drop the schema $schema yourself" >&2
fi

mkdir -p "$(dirname "$list")"
cp "$work/classlist" "$list"
echo "$list: $(grep -vc '^@' "$list") classes"
