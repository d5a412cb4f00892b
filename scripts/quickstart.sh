#!/usr/bin/env bash
# Quick start on one host: installs what Baton needs (Docker engine, busybox for the example
# image, npm packages), builds the example's image locally (no registry needed), and runs
# `baton dev` (coordinator + agent in one process) with the example service in the background.
# Usage: bash scripts/quickstart.sh          start (idempotent)
#        bash scripts/quickstart.sh --stop   stop Baton and remove the example's containers
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
STATE=.baton/quickstart
mkdir -p "$STATE"
BATON="node dist/shared/cli/main.js"
export BATON_COORDINATOR=127.0.0.1:7400

running() { [ -f "$STATE/dev.pid" ] && kill -0 "$(cat "$STATE/dev.pid")" 2>/dev/null; }

if [ "${1:-}" = "--stop" ]; then
  if running; then
    if $BATON rm --stack hello >/dev/null 2>&1; then
      # Let the containers finish their stop grace period before Baton goes away.
      for _ in $(seq 1 60); do
        [ "$($BATON ps --all --json 2>/dev/null | node -e 'let s=[];try{s=JSON.parse(require("fs").readFileSync(0,"utf8"))}catch{}console.log(s.length)')" = 0 ] && break
        sleep 0.5
      done
    fi
    kill "$(cat "$STATE/dev.pid")" && echo "stopped baton dev"
  fi
  # The agent leaves its ingress rules in the kernel when it stops (traffic keeps flowing); the
  # example is gone, so remove them too.
  nft delete table ip baton 2>/dev/null || true
  rm -f "$STATE/dev.pid"
  exit 0
fi

if ! docker info >/dev/null 2>&1 || ! command -v busybox >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    # Installs docker.io and busybox-static if missing and starts dockerd if it is stopped.
    bash scripts/ci-setup.sh
  else
    echo "Baton needs a running Docker engine and busybox-static. As root:" >&2
    echo "  apt-get install -y docker.io busybox-static && (systemctl start docker || dockerd &)" >&2
    exit 1
  fi
fi

bash examples/hello/build-image.sh
[ -d node_modules ] && [ -f dist/shared/cli/main.js ] || npm ci

if ! running; then
  nohup $BATON dev -f examples/hello/compose.yaml >"$STATE/dev.log" 2>&1 &
  echo $! >"$STATE/dev.pid"
fi

printf 'waiting for the example service'
# Until every replica runs and those with a health check pass it: only healthy replicas receive
# traffic through the ingress, so the page answers from then on.
for _ in $(seq 1 200); do
  if $BATON services --json 2>/dev/null | node -e 'let s=[];try{s=JSON.parse(require("fs").readFileSync(0,"utf8"))}catch{}process.exit(s.length&&s.every(x=>x.running===x.desired&&(x.healthy===undefined||x.healthy===x.desired))?0:1)'; then break; fi
  printf '.'; sleep 0.3
done
echo
$BATON nodes
echo
$BATON services
echo
$BATON ps
echo
echo "The example page: $(node -e 'fetch("http://127.0.0.1:8080/").then(r=>r.text()).then(t=>console.log((/<h1>(.*)<\/h1>/.exec(t)||[])[1]||t.slice(0,60)),e=>console.log("not reachable: "+e.message))')  (http://127.0.0.1:8080/)"
echo "baton dev runs in the background (log: $STATE/dev.log). Try: node dist/shared/cli/main.js scale worker=4"
echo "Stop it with: bash scripts/quickstart.sh --stop"
