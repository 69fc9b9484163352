#!/usr/bin/env bash
# Make sure the TeX tools vlabib's manuscript needs are installed.
#   scripts/texlive.sh          what `make tex` needs
#   scripts/texlive.sh --tests  also biblatex (the suite's biblatex variant) and poppler's
#                               pdftotext/pdffonts (the suite reads the PDFs it compiles)
# Installs Debian's packages when run as root; otherwise prints the exact command, exit 2.
set -euo pipefail

# lmodern and cm-super-minimal: Type 1 fonts, so no PDF holds a bitmap (Type 3) font;
# latex-cjk-*, texlive-lang-korean: CJKutf8 and Type 1 fonts for CJK titles and names:
# Arphic's GB Song (Chinese), Wadalab's Mincho (Japanese), Nanum Myeongjo (Korean).
packages=(texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-pictures
  texlive-fonts-recommended lmodern cm-super-minimal latex-cjk-chinese
  latex-cjk-chinese-arphic-gbsn00lp latex-cjk-japanese latex-cjk-japanese-wadalab
  texlive-lang-korean latexmk)
files=(forest.sty array.sty booktabs.sty supertabular.sty needspace.sty natbib.sty hyperref.sty xcolor.sty
  mathptmx.sty lmodern.sty CJKutf8.sty c70gbsn.fd c70min.fd c70nanummj.fd plainnat.bst)
if [ "${1:-}" = "--tests" ]; then
  packages+=(texlive-bibtex-extra poppler-utils)
  files+=(biblatex.sty)
fi

have_all() {
  for tool in pdflatex bibtex latexmk; do command -v "$tool" >/dev/null 2>&1 || return 1; done
  if [ "${1:-}" = "--tests" ]; then
    for tool in pdftotext pdffonts; do command -v "$tool" >/dev/null 2>&1 || return 1; done
  fi
  for f in "${files[@]}"; do [ -n "$(kpsewhich "$f" 2>/dev/null)" ] || return 1; done
}

have_all "${1:-}" && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing TeX Live from Debian's packages: ${packages[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  have_all "${1:-}" && exit 0
  echo "Error: TeX Live was installed but some files are still missing: ${files[*]}" >&2
  exit 1
fi

cat >&2 <<MSG
Error: TeX Live is missing (pdflatex, bibtex, latexmk and the packages ${files[*]}).
Install it with:
  sudo apt-get install --no-install-recommends ${packages[*]}
MSG
exit 2
