#!/usr/bin/env bash
# `npm test` (after pretest's build): the tests in two lanes that run at the same time.
#
#   testbed lane: test/testbed/, one file at a time. Each file builds a three-host testbed (a network
#                 namespace, a dockerd and an agent per host) and waits on it most of the time.
#   other lane:   test/unit/, test/grpc/, test/docker/, one file at a time: pure logic, gRPC over
#                 loopback, and the root engine with its own namespaces (10.99.x, not the testbeds').
#
# Within a lane files never overlap (two engine files at once on two cores race); across lanes they
# share no engine, namespace, address or file. One after the other the suite took 24.5 min on CI's
# two cores, over its 20-minute budget, with the CPU idle about half the time.
#
# The testbed lane prints as it runs; the other lane's output goes to .tap/lane-other.log and is
# printed whole when that lane ends. Exit status: non-zero if either lane failed. Coverage is off
# here (two runs would write and report over each other's files); `npm run coverage` runs every file
# in one tap run with coverage.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
tap=node_modules/.bin/tap
mkdir -p .tap
log=.tap/lane-other.log
start=$SECONDS

(
  lane_start=$SECONDS
  "$tap" --disable-coverage test/unit/*.test.ts test/grpc/*.test.ts test/docker/*.test.ts >"$log" 2>&1
  rc=$?
  {
    printf '\n===== lane: unit, grpc, docker (exit %s, %s s) =====\n' "$rc" "$((SECONDS - lane_start))"
    cat "$log"
    printf '===== end of lane: unit, grpc, docker =====\n\n'
  }
  exit "$rc"
) &
other=$!
trap 'kill -- "$other" 2>/dev/null; exit 130' INT TERM

"$tap" --disable-coverage test/testbed/*.test.ts
testbed_rc=$?
testbed_s=$((SECONDS - start))

wait "$other"
other_rc=$?

printf '\n===== test lanes: testbed exit %s after %s s; unit, grpc, docker exit %s; %s s in all =====\n' \
  "$testbed_rc" "$testbed_s" "$other_rc" "$((SECONDS - start))"
[ "$testbed_rc" -eq 0 ] && [ "$other_rc" -eq 0 ]
