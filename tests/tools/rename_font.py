#!/usr/bin/env python3
"""Writes a copy of a font under another family name (for tests of fonts
found by name in a folder, as an office's 仿宋_GB2312 would be).

    rename_font.py SRC.otf DST.otf "English Family" "中文字族"

Needs fontTools (pip install fonttools).
"""
import sys

from fontTools.ttLib import TTFont

src, dst, english, chinese = sys.argv[1:5]
font = TTFont(src)
name = font["name"]
for rec in list(name.names):
    if rec.nameID in (1, 4, 6, 16):
        name.removeNames(nameID=rec.nameID)
name.setName(english, 1, 3, 1, 0x409)
name.setName(english, 4, 3, 1, 0x409)
name.setName(chinese, 1, 3, 1, 0x804)
postscript = english.replace(" ", "")
name.setName(postscript, 6, 3, 1, 0x409)
# A CFF font carries its PostScript name a second time, in the CFF table;
# PDF writers take it from there.
if "CFF " in font:
    cff = font["CFF "].cff
    cff.fontNames = [postscript]
font.save(dst)
