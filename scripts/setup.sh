#!/usr/bin/env bash
# Installs what uneplace needs on a fresh Debian 12 machine, and does nothing slow when all is there.
#   - Debian packages (compilers, libraries, Emscripten, Chromium, fonts)
#   - Dear ImGui sources from Debian's source package, unpacked into the build tree (never the repo)
#   - npm packages of the browser tests (playwright-core, driving Debian's Chromium; axe-core)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
third_party="$root/build/third_party"
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"

packages=(
  build-essential cmake ninja-build pkg-config xz-utils dpkg-dev ca-certificates
  emscripten
  libcpp-httplib-dev nlohmann-json3-dev libsqlite3-dev libsqlitecpp-dev sqlite3
  libgtest-dev libgmock-dev libbenchmark-dev
  libsodium-dev libspdlog-dev libfmt-dev libcli11-dev
  libssl-dev openssl
  # Invitations (issue 16): PDF (libharu), QR codes (libqrencode); the tests read the PDFs back with
  # poppler's pdftotext/pdftoppm and decode their QR codes with zbarimg
  libhpdf-dev libqrencode-dev poppler-utils zbar-tools
  # E-mail (issue 16, M1–M6): libcurl's SMTP and MIME API sends the outbox; the mail tests run a
  # real SMTP server (aiosmtpd) that writes each message it receives to a directory
  libcurl4-openssl-dev python3-aiosmtpd
  # Securing accounts (issue 12): TOTP from liboath (oathtool lets an administrator check a code by
  # hand); the password policy from cracklib's dictionary and word list
  liboath-dev oathtool libcrack2-dev cracklib-runtime
  # Posters (issue 18): read JPEG, PNG and WebP uploads, write the two sizes (WebP)
  libturbojpeg0-dev libpng-dev libwebp-dev
  nginx  # the server tests run deploy/nginx/uneplace.conf in front of a real server (own process and port)
  fonts-inter fonts-dejavu-core fonttools
  chromium chromium-driver
  clang-format  # scripts/format.sh, the format check of scripts/test.sh
  clang libclang-rt-dev  # scripts/fuzz.sh: libFuzzer targets under ASan and UBSan (the `fuzz` preset)
  wrk
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
apt_updated=0
if [ ${#missing[@]} -gt 0 ]; then
  echo "[setup] installing Debian packages: ${missing[*]}"
  $sudo_cmd apt-get update -q
  apt_updated=1
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Dear ImGui 1.86 sources: not in any binary package; take them from Debian's source package.
imgui_dir="$third_party/imgui"
if [ ! -f "$imgui_dir/imgui.cpp" ] || [ ! -f "$imgui_dir/backends/imgui_impl_glfw.cpp" ]; then
  echo "[setup] fetching Dear ImGui sources from Debian's source package"
  if [ ! -f /etc/apt/sources.list.d/debian-src.sources ]; then
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
      sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
        | $sudo_cmd tee /etc/apt/sources.list.d/debian-src.sources >/dev/null
    elif [ -f /etc/apt/sources.list ]; then
      sed -n 's/^deb /deb-src /p' /etc/apt/sources.list | $sudo_cmd tee /etc/apt/sources.list.d/debian-src.list >/dev/null
    fi
    apt_updated=0
  fi
  [ $apt_updated -eq 1 ] || $sudo_cmd apt-get update -q
  mkdir -p "$third_party/imgui-src"
  (cd "$third_party/imgui-src" && apt-get source --download-only imgui)
  tarball=$(ls "$third_party"/imgui-src/imgui_*.orig.tar.* | head -n 1)
  rm -rf "$imgui_dir" "$third_party/imgui-unpack"
  mkdir -p "$third_party/imgui-unpack"
  tar -xf "$tarball" -C "$third_party/imgui-unpack"
  mv "$third_party"/imgui-unpack/* "$imgui_dir"
  rm -rf "$third_party/imgui-unpack"
fi

# Browser-test dependencies: playwright-core (the browser is Debian's Chromium) and axe-core (the
# accessibility checks). Either one missing (a machine set up before axe-core was added) installs.
if [ ! -d "$root/tests/browser/node_modules/playwright-core" ] || [ ! -d "$root/tests/browser/node_modules/axe-core" ]; then
  echo "[setup] installing npm packages of the browser tests"
  (cd "$root/tests/browser" && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi)
fi
echo "[setup] everything is installed"
