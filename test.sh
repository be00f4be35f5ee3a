#!/usr/bin/env bash
# Runs every suite: unit, component, HTTP integration (SQLite), PostgreSQL and browser e2e.
# On a fresh machine it first installs what is missing (Chromium, CJK fonts, PostgreSQL) with apt-get, and axe-core with npm.
# Ends with one line "N passed, N failed"; exits non-zero if any test failed or any suite did not run.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing: ${missing[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# A throwaway PostgreSQL server on loopback, removed on exit.
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pgdir=$(mktemp -d /tmp/portal-pg.XXXXXX)
port=$(( 20000 + RANDOM % 20000 ))
while (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$(( port + 1 )); done
as_pg() { if [ "$(id -u)" -eq 0 ]; then chown -R postgres "$pgdir"; runuser -u postgres -- "$@"; else "$@"; fi; }
stop_pg() { as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$pgdir"; }
trap stop_pg EXIT
as_pg "$pgbin/initdb" -D "$pgdir/data" -A trust -U postgres -E UTF8 >/dev/null
as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $pgdir -c fsync=off" start >/dev/null
export PORTAL_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres"
echo "== PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

# axe-core, which the e2e suite injects into pages to check accessibility.
if [ ! -f e2e/node_modules/axe-core/axe.min.js ]; then
  echo "== npm ci (e2e: axe-core)"
  npm ci --prefix e2e --no-audit --no-fund >/dev/null
fi

echo "== build"
dotnet build Portal.sln -c Release -nologo -v quiet -clp:ErrorsOnly

results=$(mktemp -d /tmp/portal-results.XXXXXX)
status=0
run_suite() {
  local name=$1 project=$2
  echo "== suite: $name"
  # A test that hangs is stopped after 10 minutes and named (blame), instead of holding the run until CI's limit.
  dotnet test "$project" -c Release --no-build -nologo --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
    --blame-hang-timeout 10m --blame-hang-dump-type none \
    2>&1 | tee "$results/$name.log" \
    | awk '/^[[:space:]]*(Failed |Passed!|Failed!)|\[xUnit.*FAIL|hang|active test/ {print} /Error Message/ {print; n=4; next} n > 0 {print; n--}' || true
  if ! grep -qE "^(Passed|Failed)!" "$results/$name.log"; then
    echo "suite $name did not run"; tail -n 30 "$results/$name.log"; status=1
  fi
}
run_suite portal Portal.Tests
run_suite e2e e2e

passed=0; failed=0
for log in "$results"/*.log; do
  line=$(grep -E "^(Passed|Failed)!" "$log" | tail -n 1 || true)
  p=$(echo "$line" | sed -nE 's/.*Passed: +([0-9]+).*/\1/p'); f=$(echo "$line" | sed -nE 's/.*Failed: +([0-9]+),.*/\1/p')
  passed=$(( passed + ${p:-0} )); failed=$(( failed + ${f:-0} ))
done
[ "$failed" -eq 0 ] || status=1
[ "$status" -ne 0 ] || rm -rf "$results" # keep the logs of a failing run for reading
echo "$passed passed, $failed failed"
exit $status
