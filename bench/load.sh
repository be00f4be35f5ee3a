#!/usr/bin/env bash
# Load test on loopback: starts the portal (Release build, demo data in a temporary data directory, rate limits
# raised so that wrk measures the portal, not the limiter), then runs wrk against the search API and the search
# page at 50 and 200 connections and prints requests/s and latency percentiles.
#   bench/load.sh [entries=20000] [seconds=20]
set -euo pipefail
cd "$(dirname "$0")/.."
ENTRIES="${1:-20000}"
SECONDS_EACH="${2:-20}"
PORT=5099
DATA="$(mktemp -d /tmp/portal-load-XXXXXX)"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

dotnet build Portal.Web -c Release -v q -nologo >/dev/null
DLL=Portal.Web/bin/Release/net10.0/Portal.Web.dll
dotnet "$DLL" --urls "http://127.0.0.1:$PORT" --Portal:DataDirectory="$DATA" --Portal:DemoDataCount="$ENTRIES" \
  --RateLimits:PublicPerMinute=1000000 --RateLimits:ApiPerMinute=1000000 >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT

echo "waiting for the portal ($ENTRIES demo entries) ..."
for _ in $(seq 1 600); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/health")" = 200 ] && break
  sleep 1
done
curl -sf "http://127.0.0.1:$PORT/health" >/dev/null || { echo "the portal did not become healthy" >&2; tail -20 "$DATA/server.log" >&2; exit 1; }

declare -A HEALTH
run() { # name path-prefix connections; the ratio to /health's requests/s at the same connections (the framework's ceiling here)
  local out
  out=$(wrk -t2 -c"$3" -d"${SECONDS_EACH}s" --latency -s bench/load.lua "http://127.0.0.1:$PORT" -- "$2")
  local rps p50 p99 ratio=""
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  if [ "$2" = "/health" ]; then HEALTH[$3]=$rps; else ratio=$(awk -v a="$rps" -v b="${HEALTH[$3]}" 'BEGIN { printf "%.2f of /health", a / b }'); fi
  printf '%-12s %5s conns  %10s req/s  p50 %8s  p99 %8s  %s\n' "$1" "$3" "$rps" "$p50" "$p99" "$ratio"
  grep -E "Non-2xx|Socket errors" <<<"$out" || true
}

echo "warm-up ..."; wrk -t2 -c20 -d5s -s bench/load.lua "http://127.0.0.1:$PORT" -- "/api/v1/entries?q=" >/dev/null
for c in 50 200; do
  run "/health" "/health" "$c"
  run "search API" "/api/v1/entries?q=" "$c"
  run "search page" "/?q=" "$c"
done
