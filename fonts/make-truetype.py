#!/usr/bin/env python3
"""Rebuilds fandol/*.ttf: the Fandol fonts with TrueType outlines (see README.md).

Usage: make-truetype.py UNPACKED_DEBS_DIR
where the directory holds the unpacked texlive-lang-chinese package
(dpkg -x). Needs fontTools (pip install fonttools). About 25 s per face.

Fandol ships CID-keyed CFF outlines. Every cubic curve is replaced by
quadratic ones within 1 unit of 1000 per em (0.006 mm at 16 pt); advances,
names, cmap, layout and vertical tables stay as they are. Why TrueType:
a PDF embeds a subset of each face per document, and subsetting `glyf`
copies glyph records where CFF charstrings must be decompiled and
rewritten (README.md has the figures); and Word embeds
TrueType outlines in a DOCX, not CFF.
"""
import sys
from pathlib import Path

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

MAX_ERROR = 1.0  # font units (1000 per em)
FACES = ["FandolFang-Regular", "FandolHei-Regular", "FandolKai-Regular",
         "FandolSong-Regular", "FandolSong-Bold"]


def to_truetype(font):
    """Replaces the CFF outlines of `font` (changed in place) by `glyf`."""
    glyph_set = font.getGlyphSet()
    order = font.getGlyphOrder()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        # TrueType contours run clockwise, PostScript ones counter-clockwise.
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyphs[name] = pen.glyph(dropImpliedOnCurves=True)
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    font["loca"] = newTable("loca")
    for tag in ("CFF ", "VORG"):  # VORG only applies to CFF outlines
        if tag in font:
            del font[tag]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                  "maxInstructionDefs", "maxStackElements",
                  "maxSizeOfInstructions", "maxComponentElements",
                  "maxComponentDepth"):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    # CID-keyed fonts have no glyph names worth keeping.
    font["post"].formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"


root = Path(sys.argv[1])
fandol = root / "usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"
for face in FACES:
    font = TTFont(fandol / f"{face}.otf")
    to_truetype(font)
    out = Path(__file__).parent / "fandol" / f"{face}.ttf"
    font.save(out)  # recomputes maxp's point and contour counts, loca, head
    print(f"{face}.otf -> {out}")
