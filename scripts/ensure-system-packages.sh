#!/usr/bin/env bash
# Installs the system programs the test suite needs when they are missing (Debian, as root).
# PostgreSQL and Redis servers are started by the suite itself from these binaries when no
# server is reachable; Chromium runs the browser journeys.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || missing+=(postgresql)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
ldconfig -p 2>/dev/null | grep libpangoft2-1.0 >/dev/null || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p 2>/dev/null | grep libharfbuzz-subset >/dev/null || missing+=(libharfbuzz-subset0)
# make bench: the load generator of the page benchmark
[ "${1:-}" = "--bench" ] && { command -v wrk >/dev/null 2>&1 || missing+=(wrk); }
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installiere fehlende Systempakete: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Fehlende Systempakete: ${missing[*]}" >&2
  echo "Bitte installieren, z. B.: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
