#!/usr/bin/env bash
# Prepares a Debian machine for Baton's real-Docker tests: packages, a running dockerd and the
# baton/busybox:test image (there is no registry, so the image is made locally with `docker import`).
# Idempotent: every step checks first and only acts on what is missing.
set -euo pipefail

IMAGE=baton/busybox:test
# An image without a shell (FROM scratch: busybox-static's httpd as the entrypoint, no /bin/sh), for
# Baton's own health checks (x-baton.healthcheck), which exist for exactly such images.
NOSHELL_IMAGE=baton/httpd-noshell:test
# A keep-alive HTTP server that names the replica answering and drains on SIGTERM (issue 9's ingress
# tests and bench:ingress): the host's own node binary and its libraries, plus
# test/fixtures/images/node-web/server.mjs. No shell in it.
NODE_WEB_IMAGE=baton/node-web:test
NODE_WEB_SERVER=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/test/fixtures/images/node-web/server.mjs
# nftables: the agent programs the ingress with nft (issue 9).
# systemd: for systemd-analyze verify of the units `baton agent install` writes (test/docker/daemon-install).
# wrk: the HTTP load client of bench:ingress (C, so it does not take a core from the hosts it measures).
PACKAGES=(docker.io busybox-static iproute2 iptables nftables conntrack systemd wrk)
# Applets the tests rely on; a pre-existing image missing any of them is rebuilt.
APPLETS=(sh httpd sleep echo cat ls wget nc true false env ps kill date)
DOCKERD_LOG=${BATON_DOCKERD_LOG:-/var/log/baton-ci-dockerd.log}

log() { printf '[ci-setup] %s\n' "$*"; }

if [[ $(id -u) -ne 0 ]]; then
  log "must run as root (network namespaces, dockerd and iptables need it)"
  exit 1
fi

# --- packages --------------------------------------------------------------------------------
missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y "${missing[@]}"
else
  log "packages present: ${PACKAGES[*]}"
fi

# --- dockerd -----------------------------------------------------------------------------------
engine_answers() { timeout 10 docker -H unix:///var/run/docker.sock info >/dev/null 2>&1; }

if engine_answers; then
  log "dockerd already answering on /var/run/docker.sock"
else
  log "starting dockerd (log: $DOCKERD_LOG)"
  # setsid: the engine must outlive this script and not receive the CI shell's signals.
  setsid dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
  for ((i = 0; i < 60; i++)); do
    engine_answers && break
    sleep 0.5
  done
  if ! engine_answers; then
    log "dockerd did not answer within 30 s; last log lines:"
    tail -n 30 "$DOCKERD_LOG" >&2 || true
    exit 1
  fi
  log "dockerd is up"
fi

# --- image -------------------------------------------------------------------------------------
image_complete() {
  docker image inspect "$IMAGE" >/dev/null 2>&1 || return 1
  # The image may have been made by hand elsewhere; make sure it has what the tests call.
  docker run --rm --network none --entrypoint /bin/busybox "$IMAGE" sh -c \
    'for a in "$@"; do [ -e "/bin/$a" ] || { echo "missing applet $a" >&2; exit 1; }; done' \
    sh "${APPLETS[@]}" >/dev/null
}

if image_complete; then
  log "image $IMAGE present"
else
  busybox_bin=/bin/busybox
  if LC_ALL=C ldd "$busybox_bin" >/dev/null 2>&1; then
    # ldd succeeds only on dynamic executables, which would need their libc inside the image.
    log "$busybox_bin is not static (install busybox-static)"
    exit 1
  fi
  build=$(mktemp -d /tmp/baton-image-XXXXXX)
  trap 'rm -rf "$build"' EXIT
  root=$build/root
  mkdir -p "$root"/{bin,etc,tmp,proc,sys,dev,www,var/run}
  chmod 1777 "$root/tmp"
  cp "$busybox_bin" "$root/bin/busybox"
  # Link every applet this busybox has, not just the required ones: tests grow.
  for applet in $("$busybox_bin" --list); do
    [[ $applet == busybox ]] || ln -sf busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  echo 'baton test page' >"$root/www/index.html"
  tar -C "$root" -c . | docker import \
    --change 'ENV PATH=/bin' \
    --change 'CMD ["sh"]' \
    - "$IMAGE" >/dev/null
  log "built image $IMAGE ($("$busybox_bin" --list | wc -l) applets)"
  image_complete || { log "built image is missing applets"; exit 1; }
fi

# --- web images for rollouts: two tags of the test image that differ only in a served file ------
# (issue 8's rollout tests and bench:rollout update v1 -> v2; httpd serves /www, /www/version says which).
for version in v1 v2; do
  tag="baton/web:$version"
  if docker image inspect "$tag" >/dev/null 2>&1; then continue; fi
  cid=$(docker create "$IMAGE")
  # docker cp - takes a tar stream: one holding the version file.
  tmp=$(mktemp -d)
  printf '%s\n' "$version" >"$tmp/version"
  tar -C "$tmp" -c version | docker cp - "$cid:/www/"
  rm -rf "$tmp"
  docker commit --change 'CMD ["httpd", "-f", "-p", "80", "-h", "/www"]' "$cid" "$tag" >/dev/null
  docker rm "$cid" >/dev/null
  log "built image $tag"
done

# --- image without a shell ------------------------------------------------------------------
noshell_complete() {
  docker image inspect "$NOSHELL_IMAGE" >/dev/null 2>&1 || return 1
  # No shell: running sh must fail, and the image must still serve its page.
  ! docker run --rm --network none --entrypoint /bin/sh "$NOSHELL_IMAGE" -c true >/dev/null 2>&1
}

if noshell_complete; then
  log "image $NOSHELL_IMAGE present"
else
  build=$(mktemp -d /tmp/baton-image-XXXXXX)
  trap 'rm -rf "$build"' EXIT
  root=$build/root
  mkdir -p "$root"/{bin,www}
  cp /bin/busybox "$root/bin/busybox"
  echo 'baton no-shell page' >"$root/www/index.html"
  # Exec form: Docker runs /bin/busybox directly, no shell involved.
  tar -C "$root" -c . | docker import \
    --change 'ENTRYPOINT ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]' \
    --change 'EXPOSE 8080' \
    - "$NOSHELL_IMAGE" >/dev/null
  log "built image $NOSHELL_IMAGE (busybox httpd, no shell)"
  noshell_complete || { log "built image $NOSHELL_IMAGE has a shell"; exit 1; }
fi

# --- node web image ---------------------------------------------------------------------------
# Rebuilt when the server script or the node binary changes: the label holds both their hashes.
node_bin=$(readlink -f "$(command -v node)")
node_web_key=$(cat "$NODE_WEB_SERVER" "$node_bin" | sha256sum | cut -c1-16)
if [[ $(docker image inspect --format '{{index .Config.Labels "io.baton.test.key"}}' "$NODE_WEB_IMAGE" 2>/dev/null) == "$node_web_key" ]]; then
  log "image $NODE_WEB_IMAGE present"
else
  started=$(date +%s%N)
  build=$(mktemp -d /tmp/baton-image-XXXXXX)
  trap 'rm -rf "$build"' EXIT
  root=$build/root
  mkdir -p "$root"/{usr/bin,app,etc,tmp}
  chmod 1777 "$root/tmp"
  # The distribution's node carries debug info; stripping it makes the image (which every testbed
  # engine loads) smaller. Without binutils the binary goes in as it is.
  if command -v strip >/dev/null; then strip -o "$root/usr/bin/node" "$node_bin"; else cp "$node_bin" "$root/usr/bin/node"; fi
  # Every library ldd names (the `=> /path` ones) and the loader (the line that is only a path), at
  # the same paths: the binary's interpreter and its search path then work unchanged.
  while read -r lib; do
    cp -L --parents "$lib" "$root"
  done < <(LC_ALL=C ldd "$node_bin" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}')
  cp "$NODE_WEB_SERVER" "$root/app/server.mjs"
  printf 'root:x:0:0:root:/:/usr/bin/node\nnobody:x:65534:65534:nobody:/:/usr/bin/node\n' >"$root/etc/passwd"
  tar -C "$root" -c . | docker import \
    --change 'ENV PORT=8080' \
    --change 'EXPOSE 8080' \
    --change "LABEL io.baton.test.key=$node_web_key" \
    --change 'ENTRYPOINT ["/usr/bin/node", "/app/server.mjs"]' \
    - "$NODE_WEB_IMAGE" >/dev/null
  rm -rf "$build"
  # It must answer: run it on the engine's bridge and fetch / from the container's address.
  cid=$(docker run -d --rm -e VERSION=probe "$NODE_WEB_IMAGE")
  ip=$(docker inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$cid")
  ok=
  for ((i = 0; i < 50; i++)); do
    if body=$(timeout 2 bash -c "exec 3<>/dev/tcp/$ip/8080 && printf 'GET / HTTP/1.0\r\n\r\n' >&3 && cat <&3" 2>/dev/null) && [[ $body == *'"version":"probe"'* ]]; then ok=1; break; fi
    sleep 0.1
  done
  docker stop -t 5 "$cid" >/dev/null
  [[ -n $ok ]] || { log "built image $NODE_WEB_IMAGE does not answer on 8080"; exit 1; }
  log "built image $NODE_WEB_IMAGE ($(docker image inspect --format '{{.Size}}' "$NODE_WEB_IMAGE") bytes) in $(( ($(date +%s%N) - started) / 1000000 )) ms"
fi

# --- node web images for rollouts: node-web with VERSION baked in, one tag per version -------------
# (bench:rollout updates v1 -> v2 and sends traffic through the ingress meanwhile; busybox httpd
# closes every connection, so it cannot show what a switch does to keep-alive clients.)
for version in v1 v2; do
  tag="baton/node-web:$version"
  # The label is inherited from baton/node-web:test: a rebuilt base means these are rebuilt too.
  if [[ $(docker image inspect --format '{{index .Config.Labels "io.baton.test.key"}}' "$tag" 2>/dev/null) == "$node_web_key" ]]; then continue; fi
  cid=$(docker create "$NODE_WEB_IMAGE")
  docker commit --change "ENV VERSION=$version" "$cid" "$tag" >/dev/null
  docker rm "$cid" >/dev/null
  log "built image $tag"
done

log "done"
