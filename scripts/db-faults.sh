#!/usr/bin/env bash
# Database faults against a real engine process under load (issue 6): DatabaseFaultsIT's scenarios through its TCP
# proxy (database down, database silent, backends terminated), plus a real immediate-mode restart of the local
# PostgreSQL cluster. The restart interrupts every client of that PostgreSQL: run it where nothing else uses it.
#
#   scripts/db-faults.sh                 # proxy scenarios + real restart (needs root or the cluster owner)
#   scripts/db-faults.sh --proxy-only    # proxy scenarios only: what `mvn -B verify` (and so CI) runs
#
# Figures, one line per scenario, end up in modules/app/target/database-faults.txt (answers per scenario in
# modules/app/target/database-faults-<scenario>.csv); the engine's log in modules/app/target/database-faults.log.
set -euo pipefail
cd "$(dirname "$0")/.."

restart=true
case "${1:-}" in
  "") ;;
  --proxy-only) restart=false ;;
  -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
esac

pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL is not answering on 127.0.0.1:5432" >&2; exit 1; }
if [[ $restart == true ]]; then
  command -v pg_ctlcluster >/dev/null || { echo "pg_ctlcluster not found: the real restart needs Debian's postgresql-common" >&2; exit 1; }
  echo "This restarts the local PostgreSQL cluster in immediate mode: every client of it sees the outage."
fi

status=0
mvn -B -q verify -pl modules/app -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=DatabaseFaultsIT -Dfailsafe.failIfNoSpecifiedTests=false -Dfaults.restart-postgres="$restart" || status=$?

if [[ $restart == true ]] && ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  # The test starts the cluster again after stopping it; make sure of it even if the test failed in between.
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "PostgreSQL is down after the run: starting cluster $version/main"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
fi

echo
echo "Database faults ($([[ $status == 0 ]] && echo passed || echo FAILED)):"
cat modules/app/target/database-faults.txt 2>/dev/null || echo "(no figures: the test did not get that far)"
exit "$status"
