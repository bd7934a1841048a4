#!/usr/bin/env bash
# Installs the Debian packages the tests drive, only those missing: python3-feedparser and
# newsboat (test/clients), chromium (test/browser) and a CJK font so Chinese text shows in the
# browser screenshots. Runs before `npm test` (the pretest script) and from .ci/run.
# Never fails the run itself: without a package (no root, no sudo, no Debian registry) the tests
# that need it fail with a message naming the package.
set -u
missing=()
/usr/bin/python3 -c 'import feedparser' >/dev/null 2>&1 || missing+=(python3-feedparser)
command -v newsboat >/dev/null 2>&1 || missing+=(newsboat)
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || missing+=(fonts-wqy-microhei)
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "test packages missing (${missing[*]}) and no apt-get here: the tests that need them will fail" >&2
  exit 0
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if sudo -n true >/dev/null 2>&1; then sudo=(sudo -n); else
    echo "test packages missing (${missing[*]}); not root and no password-less sudo: run" >&2
    echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 0
  fi
fi
echo "installing Debian packages for the tests: ${missing[*]}"
"${sudo[@]}" apt-get update -qq &&
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
  echo "installing ${missing[*]} failed: the tests that need them will fail" >&2
exit 0
