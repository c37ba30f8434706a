#!/usr/bin/env python3
"""Measures a PDF for jianbao's tests and prints JSON on stdout.

    pdfprobe.py FILE.pdf

{"pages": [{"width", "height", "lines": [{"text", "x0", "x1", "baseline",
 "size", "fonts": [...], "bold_chars": n}]}],
 "fonts": [{"name", "embedded"}], "notdef": n, "metadata": {...},
 "outline": [[level, title, page]], "text": "..."}

Lines group characters by baseline (as gbcheck.py does); `notdef` counts
glyphs drawn with glyph id 0 (tofu). Needs PyMuPDF (pip install pymupdf).
"""
import json
import sys

import pymupdf


def probe(path):
    doc = pymupdf.open(path)
    pages = []
    notdef = 0
    for page in doc:
        rows = {}
        for block in page.get_text("rawdict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    for ch in span["chars"]:
                        key = round(ch["origin"][1], 1)
                        row = rows.setdefault(key, [])
                        row.append((ch["origin"][0], ch["c"], ch["bbox"], span["font"], span["size"], span["flags"]))
        lines = []
        for baseline in sorted(rows):
            chars = sorted(rows[baseline], key=lambda c: c[0])
            lines.append({
                "text": "".join(c[1] for c in chars),
                "x0": round(min(c[2][0] for c in chars), 2),
                "x1": round(max(c[2][2] for c in chars), 2),
                "baseline": baseline,
                "size": round(max(c[4] for c in chars), 2),
                "fonts": sorted({c[3] for c in chars}),
                "char_fonts": [[c[1], c[3]] for c in chars],
            })
        for trace in page.get_texttrace():
            notdef += sum(1 for ch in trace["chars"] if ch[1] == 0)
        pages.append({"width": round(page.rect.width, 2), "height": round(page.rect.height, 2), "lines": lines})
    fonts = []
    for xref in range(1, doc.xref_length()):
        try:
            t = doc.xref_get_key(xref, "Type")
        except Exception:
            continue
        if t[1] == "/Font" and doc.xref_get_key(xref, "Subtype")[1] in ("/Type0", "/TrueType", "/Type1"):
            name = doc.xref_get_key(xref, "BaseFont")[1].lstrip("/")
            desc = doc.xref_get_key(xref, "FontDescriptor")[1]
            embedded = False
            if desc == "null":
                # Type0: the descriptor hangs off the descendant font.
                desc_font = doc.xref_get_key(xref, "DescendantFonts")[1]
                try:
                    dxref = int(desc_font.strip("[]").split()[0])
                    desc = doc.xref_get_key(dxref, "FontDescriptor")[1]
                except (ValueError, IndexError):
                    desc = "null"
            if desc != "null":
                dref = int(desc.split()[0])
                embedded = any(doc.xref_get_key(dref, k)[0] != "null" for k in ("FontFile", "FontFile2", "FontFile3"))
            fonts.append({"name": name, "embedded": embedded})
    return {
        "pages": pages,
        "fonts": fonts,
        "notdef": notdef,
        "metadata": doc.metadata,
        "outline": doc.get_toc(),
        "text": "\f".join(p.get_text("text") for p in doc),
    }


if __name__ == "__main__":
    json.dump(probe(sys.argv[1]), sys.stdout, ensure_ascii=False)
