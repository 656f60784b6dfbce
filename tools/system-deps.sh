#!/usr/bin/env bash
# Debian packages the suite needs beyond Python and npm: chromium (the browser tests), the
# HarfBuzz subset and Pango libraries (WeasyPrint's PDFs), and libical's GObject bindings for
# the system's Python (one more iCalendar parser for the feed tests). Installed when missing
# if we may (root with apt-get, as on the CI machine); otherwise the missing ones are named.
set -euo pipefail

missing=()
libraries=$(ldconfig -p)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
/usr/bin/python3 -c "import gi; gi.require_version('ICalGLib', '3.0')" >/dev/null 2>&1 \
  || missing+=(gir1.2-ical-3.0 python3-gi)
for library in libharfbuzz-subset.so.0:libharfbuzz-subset0 libpango-1.0.so.0:libpango-1.0-0 \
               libpangoft2-1.0.so.0:libpangoft2-1.0-0; do
  grep -q "${library%%:*}" <<<"$libraries" || missing+=("${library##*:}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Missing Debian packages: ${missing[*]} (apt-get install ${missing[*]})." >&2
  echo "Without chromium the browser tests are skipped (and fail under CI=true)." >&2
fi
