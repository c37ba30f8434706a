#!/usr/bin/env python3
"""Compares each embedded TrueType font's /FontBBox with its glyphs.

    fontbbox.py FILE.pdf

Prints JSON: [{"name", "glyphs", "declared": [x0, y0, x1, y1],
"outlines": [x0, y0, x1, y1], "stream": {"encoded", "decoded",
"head"}, "checksums": {"tables", "wrong", "whole"}}] for every font
embedded as TrueType
(FontFile2), both boxes in PDF glyph space (1/1000 em): `declared` as the
font descriptor gives it, `outlines` the union of the embedded glyphs'
boxes as fontTools reads them from the font program itself (points,
off-curve ones included — the same points a drawn outline's box spans),
each glyph placed at its left side bearing as TrueType rasterisers place it;
`stream` gives the font program's length as stored and decoded and the
first four stored bytes (the zlib header and the first deflate block's);
`checksums` how many tables the program's directory lists, the tags of
those whose checksum is wrong, and whether the whole program sums to
0xB1B0AFBA as `head.checkSumAdjustment` makes it (OpenType's rules,
worked out here independently of fontTools, which does not check them).
Needs PyMuPDF and fontTools.
"""
import io
import json
import struct
import sys

import pymupdf
from fontTools.ttLib import TTFont


def outline_box(program):
    font = TTFont(io.BytesIO(program))
    glyf = font["glyf"]
    hmtx = font["hmtx"]
    scale = 1000 / font["head"].unitsPerEm
    box = None
    for name in font.getGlyphOrder():
        g = glyf[name]
        if g.numberOfContours == 0:
            continue
        g.recalcBounds(glyf)
        # Placed as a TrueType rasteriser places it: shifted so that its
        # left edge is at the left side bearing `hmtx` gives.
        shift = hmtx[name][1] - g.xMin
        b = (g.xMin + shift, g.yMin, g.xMax + shift, g.yMax)
        box = b if box is None else (min(box[0], b[0]), min(box[1], b[1]), max(box[2], b[2]), max(box[3], b[3]))
    return len(font.getGlyphOrder()), [round(v * scale, 3) for v in box]


def word_sum(data):
    """The sum of `data` as big-endian 32-bit words, zero-padded, mod 2^32."""
    data = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}I", data)) & 0xFFFFFFFF


def checksums(program):
    count = struct.unpack(">H", program[4:6])[0]
    wrong = []
    for i in range(count):
        tag, declared, offset, length = struct.unpack(">4sIII", program[12 + 16 * i:28 + 16 * i])
        table = bytearray(program[offset:offset + length])
        if tag == b"head":
            table[8:12] = b"\0\0\0\0"
        if word_sum(bytes(table)) != declared:
            wrong.append(tag.decode("latin-1"))
    return {"tables": count, "wrong": wrong, "whole": word_sum(program) == 0xB1B0AFBA}


def main(path):
    doc = pymupdf.open(path)
    out, seen = [], set()
    for page in doc:
        for xref, _ext, _type, name, *_ in page.get_fonts(full=True):
            if xref in seen:
                continue
            seen.add(xref)
            descendants = doc.xref_get_key(xref, "DescendantFonts")
            font = xref
            if descendants[0] == "array":
                font = int(descendants[1].strip("[]").split()[0])
            desc = doc.xref_get_key(font, "FontDescriptor")
            if desc[0] != "xref":
                continue
            desc = int(desc[1].split()[0])
            ff2 = doc.xref_get_key(desc, "FontFile2")
            if ff2[0] != "xref":
                continue
            stream = int(ff2[1].split()[0])
            program = doc.xref_stream(stream)
            encoded = doc.xref_stream_raw(stream)
            declared = [float(v) for v in doc.xref_get_key(desc, "FontBBox")[1].strip("[]").split()]
            glyphs, outlines = outline_box(program)
            out.append({
                "name": name, "glyphs": glyphs, "declared": declared, "outlines": outlines,
                "stream": {"encoded": len(encoded), "decoded": len(program), "head": list(encoded[:4])},
                "checksums": checksums(program),
            })
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
