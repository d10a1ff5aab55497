#!/usr/bin/env bash
# End-to-end tests drive Debian's Chromium. Install it (and CJK fonts) when missing and
# we are root; elsewhere say what to install. Playwright never downloads a browser here.
set -uo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing ${need[*]} for the end-to-end tests…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null && exit 0
  echo "apt-get install ${need[*]} failed." >&2
  exit 1
fi
echo "End-to-end tests need Debian's packages: sudo apt-get install ${need[*]}" >&2
case "${CI:-}" in true|1|yes) exit 1 ;; esac
echo "They will be skipped on this machine." >&2
exit 0
