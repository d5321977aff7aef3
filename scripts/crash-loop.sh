#!/usr/bin/env bash
# The crash loop of issue 6, for longer than the test suite's 60 s run of the same test (CrashLoopIT):
#
#   scripts/crash-loop.sh [DURATION] [SEED]      e.g. scripts/crash-loop.sh 10m   (DURATION: 90s, 10m, 1h; default 10m)
#
# Builds and packages the engine (mvn verify on modules/app and what it needs; no install), then runs only CrashLoopIT:
# events at 200/s into a receiver answering 500, hanging or 200 at random, the engine process kill -9ed every 5-20 s
# and restarted, then a drain and the check (every acknowledged event arrived with a 2xx; no lease outlived lease +
# reaper interval while an engine ran; no 5xx to a publish). SEED replays a run's random choices (printed at start).
# Needs what `mvn -B verify` needs: Java 17, Maven, PostgreSQL at 127.0.0.1:5432 (or CALLBACK_TEST_DATABASE_URL).
# Prints the report (also in modules/app/target/crash-loop-report.txt) and exits non-zero when the check failed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

duration="${1:-10m}"
seed="${2:-}"
if [[ ! "$duration" =~ ^[0-9]+(s|m|h)$ ]]; then
  echo "usage: $0 [DURATION like 90s, 10m or 1h] [SEED]" >&2
  exit 2
fi
properties=("-Dcrashloop.duration=$duration")
if [[ -n "$seed" ]]; then
  properties+=("-Dcrashloop.seed=$seed")
fi

target=modules/app/target
report="$target/crash-loop-report.txt"
rm -f "$report" "$target"/crash-loop-*.log

echo "crash loop for $duration (engine logs: $target/crash-loop-<n>.log)"
status=0
mvn -B -q verify -pl modules/app -am \
  -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=CrashLoopIT -Dfailsafe.failIfNoSpecifiedTests=false \
  "${properties[@]}" || status=$?

if [[ -f "$report" ]]; then
  echo
  echo "report: $PWD/$report"
  cat "$report"
else
  echo "no report: the run stopped before its check; see $target/failsafe-reports and $target/crash-loop-*.log" >&2
fi
exit "$status"
