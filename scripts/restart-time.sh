#!/usr/bin/env bash
# Restart time: from launching the engine after a kill -9 to /health/ready answering 200.
#
#   scripts/restart-time.sh [JAVA_OPTION...]     e.g. scripts/restart-time.sh -XX:SharedArchiveFile=modules/app/target/callback-engine.jsa
#   JAR=other.jar scripts/restart-time.sh ...    another build (its archive must sit where it was made)
#
# Starts the packaged engine (JAR, default modules/app/target/callback-engine.jar; build it first) against the local
# PostgreSQL (CALLBACK_DATABASE_URL or postgresql://postgres@127.0.0.1:5432/postgres) in a fresh schema, once to
# create and migrate it (reported, not counted), then RUNS times (default 5): launch, poll /health/ready every 10 ms,
# kill -9. Prints each time and the median, in milliseconds, then drops the schema (with psql, when installed).
# Wall-clock times: on a machine busy with other work they grow with it, so compare variants run back to back.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

jar="${JAR:-modules/app/target/callback-engine.jar}"
runs="${RUNS:-5}"
database_url="${CALLBACK_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
schema="restart_time_$$"
work="$(mktemp -d)"
engine=""
cleanup() {
  if [[ -n "$engine" ]] && kill -0 "$engine" 2>/dev/null; then kill -9 "$engine"; fi
  rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

# Whether /health/ready answers 200 now. Asked through bash's own /dev/tcp, not curl: a poller that forks a process
# every 10 ms takes a good part of a core, on a 2-core machine from the very start it is timing.
ready() {
  local status
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
  read -r -t 2 status <&3 || true
  exec 3<&-
  [[ "$status" == *" 200 "* ]]
}

# Starts the engine, waits for ready, kills it with SIGKILL; prints the milliseconds from launch to ready.
start_and_kill() {
  local started ready_at
  started=$EPOCHREALTIME
  CALLBACK_DATABASE_URL="$database_url" CALLBACK_DATABASE_SCHEMA="$schema" CALLBACK_HTTP_PORT="$port" \
    CALLBACK_ADMIN_TOKEN=x CALLBACK_DATA_DIR="$work" java "$@" -jar "$jar" >>"$work/engine.log" 2>&1 &
  engine=$!
  until ready 2>/dev/null; do
    if ! kill -0 "$engine" 2>/dev/null; then
      echo "the engine exited:" >&2
      tail -20 "$work/engine.log" >&2
      exit 1
    fi
    sleep 0.01
  done
  ready_at=$EPOCHREALTIME
  kill -9 "$engine"
  wait "$engine" 2>/dev/null || true
  engine=""
  echo $(((${ready_at/./} - ${started/./}) / 1000))
}

echo "first start (creates and migrates schema $schema): $(start_and_kill "$@") ms"
times=()
for run in $(seq 1 "$runs"); do
  times+=("$(start_and_kill "$@")")
  echo "restart $run: ${times[-1]} ms"
done
median="$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }')"
echo "median of $runs restarts: $median ms"

if command -v psql >/dev/null 2>&1; then
  psql -q "$database_url" -c "set client_min_messages to warning" -c "drop schema if exists $schema cascade" || true
fi
