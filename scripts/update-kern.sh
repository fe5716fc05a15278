#!/usr/bin/env bash
# Vendor the KERN UX design system (@kern-ux/native, EUPL-1.2) into static/vendor/kern/.
#
# Reproducible: a fixed version, fetched with `npm pack` from the npm registry and checked
# against the registry's integrity hash. Only the built CSS, the Fira Sans weights the app
# uses and the licence are copied, so neither node nor npm is needed to run or test the app.
#
#   scripts/update-kern.sh            # the version below
#   KERN_VERSION=2.8.0 scripts/update-kern.sh
set -euo pipefail

KERN_VERSION="${KERN_VERSION:-2.7.2}"
# Pinned checksum of 2.7.2; another version is checked against the registry's integrity only.
PINNED_INTEGRITY="sha512-TN0Mqbasp7S1IOqurXickde8MDj5hIcgT4s3f1i33wyv2iVgA1dTO/FoQyi6rgM9KYTYkIthl9k72g7fBUUvHg=="
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="$ROOT/static/vendor/kern"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm pack --silent "@kern-ux/native@${KERN_VERSION}" > /dev/null
TARBALL="kern-ux-native-${KERN_VERSION}.tgz"
EXPECTED="$(npm view "@kern-ux/native@${KERN_VERSION}" dist.integrity)"
ACTUAL="sha512-$(openssl dgst -sha512 -binary "$TARBALL" | openssl base64 -A)"
if [ "$KERN_VERSION" = "2.7.2" ] && [ "$PINNED_INTEGRITY" != "$ACTUAL" ]; then
  echo "Prüfsumme weicht vom festgeschriebenen Wert ab: $ACTUAL" >&2
  exit 1
fi
if [ "$EXPECTED" != "$ACTUAL" ]; then
  echo "Prüfsumme stimmt nicht: erwartet $EXPECTED, erhalten $ACTUAL" >&2
  exit 1
fi
tar xzf "$TARBALL"

rm -rf "$TARGET"
mkdir -p "$TARGET/fonts/fira-sans"
cp package/dist/kern.min.css "$TARGET/kern.min.css"
cp package/LICENSE.md "$TARGET/LICENSE.md"
# Fira Sans: regular, italic, semibold and bold are all the app uses.
{
  for spec in "Regular:400:normal" "Italic:400:italic" "SemiBold:600:normal" "Bold:700:normal"; do
    IFS=: read -r name weight style <<< "$spec"
    cp "package/dist/fonts/fira-sans/FiraSans-${name}.woff2" "$TARGET/fonts/fira-sans/"
    printf '@font-face {\n  font-family: "Fira Sans";\n  src: url("./fira-sans/FiraSans-%s.woff2") format("woff2");\n  font-weight: %s;\n  font-style: %s;\n  font-display: swap;\n}\n' \
      "$name" "$weight" "$style"
  done
} > "$TARGET/fonts/fira-sans.css"
cat > "$TARGET/VERSION" <<INFO
@kern-ux/native ${KERN_VERSION}
integrity ${EXPECTED}
Lizenz: EUPL-1.2 (siehe LICENSE.md); Schrift Fira Sans: SIL Open Font License 1.1
Erzeugt mit scripts/update-kern.sh – Dateien hier nicht von Hand ändern.
INFO
echo "KERN ${KERN_VERSION} nach static/vendor/kern/ übernommen."
echo "Prüfsumme des Pakets (npm integrity): ${ACTUAL}"
echo "SHA-256 des Pakets: $(sha256sum "$TARBALL" | cut -d' ' -f1)"
