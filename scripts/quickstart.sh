#!/usr/bin/env bash
# Quick start on one host: installs what Baton needs (Docker engine, npm packages), starts a
# coordinator and a local agent in the background, and shows the node pool.
# Usage: bash scripts/quickstart.sh          start (idempotent)
#        bash scripts/quickstart.sh --stop   stop what it started
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
STATE=.baton/quickstart
mkdir -p "$STATE"
BATON="node dist/shared/cli/main.js"

stop() {
  for p in agent coordinator; do
    if [ -f "$STATE/$p.pid" ] && kill -0 "$(cat "$STATE/$p.pid")" 2>/dev/null; then
      kill "$(cat "$STATE/$p.pid")" && echo "stopped $p"
    fi
    rm -f "$STATE/$p.pid"
  done
}
if [ "${1:-}" = "--stop" ]; then stop; exit 0; fi

if ! command -v dockerd >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    bash scripts/ci-setup.sh
  else
    echo "Docker is not installed or not running. As root: apt-get install -y docker.io && dockerd &" >&2
    echo "(Baton runs without Docker too; the agent then reports the engine as down.)" >&2
  fi
fi

[ -d node_modules ] && [ -f dist/shared/cli/main.js ] || npm ci

running() { [ -f "$STATE/$1.pid" ] && kill -0 "$(cat "$STATE/$1.pid")" 2>/dev/null; }
if ! running coordinator; then
  nohup $BATON coordinator --listen 127.0.0.1:7400 --data-dir .baton/coordinator >"$STATE/coordinator.log" 2>&1 &
  echo $! >"$STATE/coordinator.pid"
fi
if ! running agent; then
  nohup $BATON agent --coordinator 127.0.0.1:7400 --name "$(hostname)" --labels role=local --data-dir .baton/agent >"$STATE/agent.log" 2>&1 &
  echo $! >"$STATE/agent.pid"
fi

for _ in $(seq 1 50); do
  if $BATON nodes --json 2>/dev/null | grep -q '"status": "ready"'; then break; fi
  sleep 0.2
done
$BATON nodes
echo
echo "Coordinator and agent run in the background (logs in $STATE/). Try:"
echo "  node dist/shared/cli/main.js events --follow"
echo "  bash scripts/quickstart.sh --stop"
