#!/usr/bin/env bash
# Builds baton/hello:local without a registry: busybox-static with its applets and a page.
# Needs Debian's busybox-static (apt-get install -y busybox-static) and a running Docker engine.
set -euo pipefail
IMAGE=${IMAGE:-baton/hello:local}
if docker image inspect "$IMAGE" >/dev/null 2>&1; then echo "image $IMAGE present"; exit 0; fi
BUSYBOX=$(command -v busybox || true)
[ -n "$BUSYBOX" ] && "$BUSYBOX" --list >/dev/null 2>&1 || { echo "busybox-static is needed: apt-get install -y busybox-static" >&2; exit 1; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/www" "$root/tmp"
cp "$BUSYBOX" "$root/bin/busybox"
for applet in $("$BUSYBOX" --list); do [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"; done
cat > "$root/www/index.html" <<'HTML'
<!doctype html><title>Hello from Baton</title><h1>Hello from Baton</h1><p>This page is served by a replica Baton placed and runs.</p>
HTML
tar -C "$root" -c . | docker import --change 'ENV PATH=/bin' --change 'CMD ["sh"]' - "$IMAGE" >/dev/null
echo "built $IMAGE"
