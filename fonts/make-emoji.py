#!/usr/bin/env python3
"""Rebuilds noto-emoji/NotoEmoji-Regular-subset.ttf (see README.md).

Usage: make-emoji.py UNPACKED_NPM_PACKAGE_DIR
where the directory is the unpacked npm package @expo-google-fonts/noto-emoji
0.4.7 (`npm pack @expo-google-fonts/noto-emoji@0.4.7`, `tar xzf`; the
directory that holds 400Regular/). Needs fontTools (pip install fonttools).

The font is Noto Emoji 3.006, the monochrome (outline) emoji font of the
Noto project. The subset keeps every character of the font except its
Private Use Area code points (legacy mappings nobody types) and keeps the
layout features, so emoji sequences (ZWJ families, flags, keycaps, tag
sequences) still form their ligatures.
"""
import sys
from pathlib import Path

from font_subset import save_subset
from fontTools.ttLib import TTFont

src = Path(sys.argv[1]) / "400Regular/NotoEmoji_400Regular.ttf"
font = TTFont(src, recalcTimestamp=False)
assert font["name"].getDebugName(1) == "Noto Emoji", "not Noto Emoji"


def private_use(u):
    return 0xE000 <= u <= 0xF8FF or u >= 0xF0000


wanted = [u for u in font.getBestCmap() if not private_use(u)]
out = Path(__file__).parent / "noto-emoji/NotoEmoji-Regular-subset.ttf"
save_subset(font, wanted, out)
print(f"{len(wanted)} characters, {font['maxp'].numGlyphs} glyphs -> {out}")
