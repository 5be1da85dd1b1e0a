#!/usr/bin/env bash
# Make sure a system Chromium exists for the browser tests. Playwright never downloads a browser
# here: we use Debian's `chromium` package. CHROMIUM_PATH overrides the default /usr/bin/chromium.
set -euo pipefail
path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$path" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium not found at $path: installing Debian's chromium package…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
  if [ -x "$path" ]; then
    echo "Installed $("$path" --version 2>/dev/null || echo chromium)."
    exit 0
  fi
fi
cat >&2 <<MSG
The browser tests need Chromium at $path, and it is not there.
Install it with your system's package manager, for example on Debian or Ubuntu:
    sudo apt-get install chromium
or point CHROMIUM_PATH at an existing Chromium or Chrome binary:
    CHROMIUM_PATH=/path/to/chrome npm test
(The project never downloads a browser of its own.)
MSG
exit 1
