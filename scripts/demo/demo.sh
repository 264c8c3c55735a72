#!/usr/bin/env bash
# `npm run demo` / `npm run dev`: installs dependencies if missing, starts the local mail sandbox
# (Postfix + Dovecot on loopback; starting them needs root), then runs
# scripts/demo/demo.ts (or dev.ts with `dev`) with a real n8n and this package.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
what="${1:-demo}"
if [[ ! -x node_modules/.bin/ts-node ]]; then
  echo "[demo] installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
if ! bash test/servers/mail-sandbox.sh status >/dev/null 2>&1; then
  echo "[demo] starting the mail sandbox (Postfix + Dovecot on 127.0.0.1)"
  bash test/servers/mail-sandbox.sh start
fi
exec node_modules/.bin/ts-node --transpile-only "scripts/demo/$what.ts"
