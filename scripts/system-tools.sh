#!/usr/bin/env bash
# Install the system tools beancount-ar's documents and browser tests use, when
# they are missing: wkhtmltopdf (PDF engine), poppler-utils (pdftotext/pdftoppm),
# chromium (end-to-end tests), git and gnupg (ledgers in git, encrypted includes),
# and the fonts documents print with: Noto for Latin and Czech, CJK and colour
# emoji, Symbola for emoji the PDF engine can draw (a name in a script no
# installed font covers prints as nothing). Uses
# apt-get when it can; otherwise says what to install. Never fails the build for
# a tool it could not install: the commands that need one say so themselves.
set -u

missing=()
command -v wkhtmltopdf >/dev/null 2>&1 || missing+=(wkhtmltopdf)
command -v pdftotext   >/dev/null 2>&1 || missing+=(poppler-utils)
command -v chromium    >/dev/null 2>&1 || missing+=(chromium)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
command -v git         >/dev/null 2>&1 || missing+=(git)     # check --against, diff, their tests
command -v gpg         >/dev/null 2>&1 || missing+=(gnupg)   # encrypted includes, their tests

# fc-list -q exits 1 when no installed font matches the family.
has_font() { command -v fc-list >/dev/null 2>&1 && fc-list -q "$1"; }
has_font "Noto Sans"         || missing+=(fonts-noto-core)
has_font "Noto Sans CJK JP"  || missing+=(fonts-noto-cjk)
has_font "Noto Color Emoji"  || missing+=(fonts-noto-color-emoji)
has_font "Symbola"           || missing+=(fonts-symbola)

[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo -n"
if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; }; then
  echo "Installing system tools: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    exit 0
  fi
  echo "apt-get could not install: ${missing[*]}" >&2
fi
echo "Please install these system packages (Debian/Ubuntu names): ${missing[*]}" >&2
echo "  sudo apt-get install ${missing[*]}" >&2
exit 0
