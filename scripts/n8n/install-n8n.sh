#!/usr/bin/env bash
# Installs a pinned n8n CLI plus the Node runtime it needs into a cache folder, so that the end-to-end
# tests, `npm run demo` and `npm run dev` run against a real n8n exactly as users install it.
#
#   bash scripts/n8n/install-n8n.sh            # installs (or reuses) .cache/n8n-<version>
#   N8N_VERSION=2.41.1 N8N_CACHE_DIR=/somewhere bash scripts/n8n/install-n8n.sh
#   N8N_VERSION=2.8.4 N8N_NODE_MAJOR=20 bash scripts/n8n/install-n8n.sh   # the newest n8n for Node 20
#
# Layout:  <cache>/runtime/node_modules/.bin/node   Node 24 (n8n 2.x refuses older Node)
#          <cache>/node_modules/.bin/n8n            the n8n CLI
# Another n8n version: install it once without a lock, then copy <cache>/package.json and
# package-lock.json into scripts/n8n/lock/<version>/ so that every later install gets the same tree.
# Prints the cache folder on its last line (stdout); progress goes to stderr. Idempotent: a finished
# install is marked by a stamp file and then reused in well under a second.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
N8N_VERSION="${N8N_VERSION:-2.41.1}"
NODE_MAJOR="${N8N_NODE_MAJOR:-24}"
CACHE_DIR="${N8N_CACHE_DIR:-$ROOT/.cache/n8n-$N8N_VERSION}"
STAMP="$CACHE_DIR/.installed"

log() { echo "[install-n8n] $*" >&2; }

if [[ -f "$STAMP" && -x "$CACHE_DIR/node_modules/.bin/n8n" && -x "$CACHE_DIR/runtime/node_modules/.bin/node" ]]; then
  log "reusing $CACHE_DIR (n8n $N8N_VERSION)"
  echo "$CACHE_DIR"
  exit 0
fi

start=$(date +%s)
mkdir -p "$CACHE_DIR/runtime"

# 1. Node runtime. The registry's `node` package downloads the platform binary in its preinstall script,
#    so this small tree is installed WITH scripts (and away from the project's .npmrc).
if [[ ! -x "$CACHE_DIR/runtime/node_modules/.bin/node" ]]; then
  log "installing node@$NODE_MAJOR"
  (
    cd "$CACHE_DIR/runtime"
    [[ -f package.json ]] || echo '{ "name": "n8n-runtime-node", "private": true, "version": "0.0.0" }' > package.json
    printf 'fund=false\naudit=false\n' > .npmrc
    # Under `npm run` the project's ignore-scripts=true arrives as npm_config_ignore_scripts in the
    # environment, which beats this folder's .npmrc: switch it back on explicitly for this install.
    npm_config_ignore_scripts=false npm install --ignore-scripts=false --no-audit --no-fund --loglevel=error "node@$NODE_MAJOR" >&2
  )
fi
NODE24="$CACHE_DIR/runtime/node_modules/.bin/node"
# The headers (include/node) live in the platform package the `node` package pulled in.
NODE24_DIR="$(dirname "$(dirname "$(find "$CACHE_DIR/runtime/node_modules" -path '*/include/node' -type d | head -1)")")"
[[ -f "$NODE24_DIR/include/node/node.h" ]] || { log "no Node headers under $CACHE_DIR/runtime"; exit 1; }
log "node: $("$NODE24" --version)"

# 2. n8n itself, without install scripts: several optional native add-ons (e.g. a Kafka client) try to
#    download prebuilt binaries and fail here; n8n runs without them. Only sqlite3 is needed (step 3).
#    n8n depends on ranges, so a fresh resolution takes whatever was published last night, and a
#    registry mirror that is half-way through syncing a release fails it ("No matching version found
#    for ai@7.0.185": the mirror had @ai-sdk/otel 1.0.185 but not the `ai` it pins). The pinned versions
#    therefore install from the tree committed in scripts/n8n/lock/<version>/ (npm ci); a version
#    without a lock, or a lock the registry can no longer serve, falls back to a fresh resolution.
if [[ ! -x "$CACHE_DIR/node_modules/.bin/n8n" ]]; then
  # A full disk makes npm fail half-way with little more than the path of its log: say so up front.
  free_mb=$(( $(df -Pk "$CACHE_DIR" | awk 'NR==2 {print $4}') / 1024 ))
  if (( free_mb < 4096 )); then
    log "n8n needs about 3 GB in $CACHE_DIR (4 GB to be safe); only $free_mb MB are free there. Free some space, or set N8N_CACHE_DIR to a folder on a larger disk."
    exit 1
  fi
  log "installing n8n@$N8N_VERSION (first time: about 4 minutes and 3 GB)"
  (
    cd "$CACHE_DIR"
    printf 'ignore-scripts=true\nfund=false\naudit=false\n' > .npmrc
    export PATH="$(dirname "$NODE24"):$PATH"
    LOCK_DIR="$ROOT/scripts/n8n/lock/$N8N_VERSION"
    if [[ -f "$LOCK_DIR/package-lock.json" ]]; then
      cp "$LOCK_DIR/package.json" "$LOCK_DIR/package-lock.json" .
      if npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2; then exit 0; fi
      log "the locked tree did not install; resolving n8n@$N8N_VERSION afresh"
      rm -rf node_modules package-lock.json
    fi
    # n8n before 2.9 takes `xlsx` as a tarball from cdn.sheetjs.com, which is not reachable from every
    # network (it is not here); the registry's last xlsx serves instead.
    overrides=''
    [[ "$(printf '%s\n2.9.0\n' "$N8N_VERSION" | sort -V | head -1)" == "2.9.0" ]] || overrides=', "overrides": { "xlsx": "0.18.5" }'
    echo "{ \"name\": \"n8n-runtime-cache\", \"private\": true, \"version\": \"0.0.0\"$overrides }" > package.json
    npm install --ignore-scripts --no-audit --no-fund --loglevel=error "n8n@$N8N_VERSION" >&2
  )
fi

# 3. sqlite3 (n8n's default database) built from source against Node 24's headers; the machine's npm
#    config points native builds at the system Node's headers, hence npm_config_nodedir.
SQLITE_DIR="$CACHE_DIR/node_modules/sqlite3"
if ! (cd "$CACHE_DIR" && "$NODE24" -e "require('sqlite3')" >/dev/null 2>&1); then
  log "building sqlite3 from source (about 1 minute)"
  (
    cd "$SQLITE_DIR"
    PATH="$(dirname "$NODE24"):$PATH" npm_config_build_from_source=true npm_config_nodedir="$NODE24_DIR" \
      npm run install >&2
  )
  (cd "$CACHE_DIR" && "$NODE24" -e "require('sqlite3')") || { log "sqlite3 does not load"; exit 1; }
fi

"$NODE24" "$CACHE_DIR/node_modules/n8n/bin/n8n" --version >&2
echo "$N8N_VERSION" > "$STAMP"
log "done in $(( $(date +%s) - start )) s"
echo "$CACHE_DIR"
