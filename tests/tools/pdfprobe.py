#!/usr/bin/env python3
"""Measures a PDF for jianbao's tests and prints JSON on stdout.

    pdfprobe.py FILE.pdf
    pdfprobe.py FILE.pdf FILE2.pdf ...   # {"FILE.pdf": {...}, "FILE2.pdf": {...}}

{"pages": [{"width", "height",
            "lines": [{"text", "x0", "x1", "baseline", "size", "fonts": [...],
                       "char_fonts": [[c, font]], "top", "bottom",
                       "glyphs": [[c, x0, x1, origin_x, size]],
                       "stroked": n, "bold_chars": n}],
            "rules": [{"x0", "x1", "y", "width", "color"}],
            "images": [{"x0", "y0", "x1", "y1", "width_px", "height_px", "xref"}],
            "operators": {"TJ", "Tj", "Tc"}}],
 "fonts": [{"name", "embedded"}], "notdef": n, "metadata": {...},
 "outline": [[level, title, page]], "text": "..."}

Lines group characters by baseline (as gbcheck.py does); `top`/`bottom` are
the extremes of the line's non-space glyph boxes (PyMuPDF boxes use the
font's ascender and descender); `glyphs` are the characters left to right
with their boxes and pen positions. `stroked` counts characters drawn with a
stroke (text render mode 1/2: jianbao's synthetic bold for fonts without a
bold face), `bold_chars` those stroked or set in a bold face. `rules` are
the page's horizontal lines (thin filled rectangles or stroked lines),
colour as `#RRGGBB`. `images` are the raster images drawn on the page: the
box they are drawn in (points, from the top-left corner), their size in
pixels and the PDF object holding them. `notdef` counts glyphs drawn with
glyph id 0 (tofu).
Needs PyMuPDF (pip install pymupdf).
"""
import json
import re
import sys

import pymupdf


def hex_colour(c):
    if not c:
        return None
    if len(c) == 1:
        c = (c[0], c[0], c[0])
    if len(c) == 4:  # CMYK
        k = c[3]
        c = tuple((1 - x) * (1 - k) for x in c[:3])
    return "#" + "".join(f"{round(x * 255):02X}" for x in c[:3])


def page_rules(page):
    """Horizontal rules: stroked horizontal lines and filled flat rectangles."""
    rules = []
    for d in page.get_drawings():
        for item in d["items"]:
            if item[0] == "l" and d.get("color") is not None:
                a, b = item[1], item[2]
                if abs(a.y - b.y) < 0.01 and abs(a.x - b.x) > 1:
                    rules.append({
                        "x0": round(min(a.x, b.x), 2), "x1": round(max(a.x, b.x), 2),
                        "y": round(a.y, 2), "width": round(d.get("width") or 0, 3),
                        "color": hex_colour(d.get("color")),
                    })
            elif item[0] == "re" and d.get("fill") is not None:
                r = item[1]
                if r.height < 3 and r.width > 1:
                    rules.append({
                        "x0": round(r.x0, 2), "x1": round(r.x1, 2),
                        "y": round((r.y0 + r.y1) / 2, 2), "width": round(r.height, 3),
                        "color": hex_colour(d.get("fill")),
                    })
    rules.sort(key=lambda r: (r["y"], r["x0"]))
    return rules


def page_images(page):
    """Raster images drawn on the page, top to bottom."""
    images = []
    for info in page.get_image_info(xrefs=True):
        x0, y0, x1, y1 = info["bbox"]
        images.append({
            "x0": round(x0, 2), "y0": round(y0, 2), "x1": round(x1, 2), "y1": round(y1, 2),
            "width_px": info["width"], "height_px": info["height"], "xref": info.get("xref", 0),
        })
    images.sort(key=lambda i: (i["y0"], i["x0"]))
    return images


def text_operators(page):
    """How many times the page's content shows text with `TJ` (numbers
    between glyphs) and `Tj`, and sets the character spacing (`Tc`): each
    operator matched with what precedes it (an array, a string, a number).
    Bytes of a string that happen to read the same would count too; the
    tests only compare counts with zero."""
    content = page.read_contents()
    return {
        "TJ": len(re.findall(rb"\]\s*TJ", content)),
        "Tj": len(re.findall(rb"[)>]\s*Tj", content)),
        "Tc": len(re.findall(rb"[0-9.]\s*Tc", content)),
    }


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
        # Characters drawn with a stroke, by baseline (as the rows above).
        stroked = {}
        for trace in page.get_texttrace():
            notdef += sum(1 for ch in trace["chars"] if ch[1] == 0)
            if trace.get("type") == 1 and (trace.get("linewidth") or 0) > 0:
                for ch in trace["chars"]:
                    key = round(ch[2][1], 1)
                    stroked.setdefault(key, set()).add(round(ch[2][0], 1))
        lines = []
        for baseline in sorted(rows):
            chars = sorted(rows[baseline], key=lambda c: c[0])
            ink = [c for c in chars if not c[1].isspace()] or chars
            strokes = stroked.get(baseline, set())
            n_stroked = sum(1 for c in ink if round(c[0], 1) in strokes)
            bold_face = sum(1 for c in ink if round(c[0], 1) not in strokes and ("Bold" in c[3] or c[5] & 16))
            lines.append({
                "text": "".join(c[1] for c in chars),
                "x0": round(min(c[2][0] for c in chars), 2),
                "x1": round(max(c[2][2] for c in chars), 2),
                "baseline": baseline,
                "size": round(max(c[4] for c in chars), 2),
                "fonts": sorted({c[3] for c in chars}),
                "char_fonts": [[c[1], c[3]] for c in chars],
                "top": round(min(c[2][1] for c in ink), 2),
                "bottom": round(max(c[2][3] for c in ink), 2),
                "glyphs": [[c[1], round(c[2][0], 2), round(c[2][2], 2), round(c[0], 2), round(c[4], 2)] for c in chars],
                "stroked": n_stroked,
                "bold_chars": n_stroked + bold_face,
            })
        pages.append({
            "width": round(page.rect.width, 2),
            "height": round(page.rect.height, 2),
            "lines": lines,
            "rules": page_rules(page),
            "images": page_images(page),
            "operators": text_operators(page),
        })
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
        "xmp": doc.get_xml_metadata(),
        # Catalog entries of tagged PDF and PDF/A: present or not.
        "catalog": {key: doc.xref_get_key(doc.pdf_catalog(), key)[0] != "null"
                    for key in ("StructTreeRoot", "MarkInfo", "OutputIntents", "Lang")},
        "text": "\f".join(p.get_text("text") for p in doc),
    }


if __name__ == "__main__":
    if len(sys.argv) == 2:
        json.dump(probe(sys.argv[1]), sys.stdout, ensure_ascii=False)
    else:
        # Several files: one JSON object keyed by the paths as given (one
        # Python start for all of them).
        json.dump({path: probe(path) for path in sys.argv[1:]}, sys.stdout, ensure_ascii=False)
