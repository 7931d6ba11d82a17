#!/usr/bin/env bash
# The Debian packages the tests need, in one list; installs the missing ones (as root), or prints
# the one command to run and fails (as anyone else). Called by `make system` (which `make test`
# and `make test-prod` run first) and so by .ci/run.
#
#   chromium                    the browser tests (tests/web: the widget and the staff page in
#                               Debian's real browser at /usr/bin/chromium, driven by Playwright;
#                               no chromedriver is needed)
#   postgresql, redis-server    (prod) the production-profile tests and `make services`; the tests
#                               start their own instances on 127.0.0.1 (scripts/services.py), never
#                               the system-wide services
#   nginx                       (prod) the production-profile tests run through the repository's
#                               front (deploy/nginx/oih.conf), started by the tests as a private
#                               process on loopback (bot/front.py), never as a system service
#
# `scripts/system_packages.sh` checks what `make test` needs; `scripts/system_packages.sh prod`
# adds what `make test-prod` needs.
# To add a package: one line in NEEDED below, "<package> <test that it is installed>".
set -euo pipefail

NEEDED=(
  "chromium        test -x /usr/bin/chromium"
)
if [ "${1:-}" = prod ]; then
  NEEDED+=(
    "postgresql      ls /usr/lib/postgresql/*/bin/initdb"
    "redis-server    command -v redis-server"
    "nginx           test -x /usr/sbin/nginx"
  )
fi

missing=()
for entry in "${NEEDED[@]}"; do
  read -r package check <<<"$entry"
  eval "$check" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "Missing system packages: ${missing[*]}. Install them once with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  echo "then run the same make command again." >&2
  exit 1
fi

echo "Installing system packages: ${missing[*]} (once; about 1-3 minutes)..."
export DEBIAN_FRONTEND=noninteractive
# Do not let the packages start their own system-wide services (the tests need none of them).
created_policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && created_policy=1
fi
trap '[ -n "$created_policy" ] && rm -f /usr/sbin/policy-rc.d' EXIT
# Wait for another install that holds dpkg's lock (a CI run beside the newcomer check on a fresh
# machine: both reach this line at once) instead of failing at once.
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
