#!/usr/bin/env python3
"""Rebuilds noto/NotoSerifCJKsc-Regular-fallback.otf (see README.md).

Usage: make-fallback.py UNPACKED_DEBS_DIR
where the directory holds the unpacked texlive-lang-chinese and
fonts-noto-cjk packages (dpkg -x). Needs fontTools (pip install fonttools).
"""
import sys
from pathlib import Path

from font_subset import save_subset
from fontTools.ttLib import TTCollection, TTFont

root = Path(sys.argv[1])
fandol = root / "usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"
faces = ["FandolFang-Regular", "FandolHei-Regular", "FandolKai-Regular",
         "FandolSong-Regular", "FandolSong-Bold"]
covered = None
for face in faces:
    cmap = set(TTFont(fandol / f"{face}.otf").getBestCmap())
    covered = cmap if covered is None else covered & cmap

collection = TTCollection(root / "usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
sc = next(f for f in collection.fonts if f["name"].getDebugName(1) == "Noto Serif CJK SC")
wanted = [u for u in sc.getBestCmap() if u not in covered]
out = Path(__file__).parent / "noto/NotoSerifCJKsc-Regular-fallback.otf"
save_subset(sc, wanted, out)
print(f"{len(wanted)} characters -> {out}")
