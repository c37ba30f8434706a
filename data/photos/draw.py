#!/usr/bin/env python3
"""Draws the sample pictures of data/photo-briefing.yaml (made for the
project: plain coloured shapes, no photograph of anyone or anything real).

    python3 draw.py     # needs Pillow; writes the three files beside it
"""
import random
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).parent
random.seed(7)


def sky(d, w, h, top, bottom):
    for y in range(h):
        t = y / h
        d.line([(0, y), (w, y)], fill=tuple(int(top[i] * (1 - t) + bottom[i] * t) for i in range(3)))


# A community square: sky, a building with windows, a red banner, people.
w, h = 800, 600
im = Image.new("RGB", (w, h))
d = ImageDraw.Draw(im)
sky(d, w, h, (150, 195, 235), (225, 238, 248))
d.rectangle([0, 430, w, h], fill=(170, 160, 145))
d.rectangle([90, 220, 710, 430], fill=(232, 222, 200))
d.polygon([(70, 225), (400, 150), (730, 225)], fill=(150, 60, 50))
for x in range(130, 690, 90):
    for y in (260, 340):
        d.rectangle([x, y, x + 50, y + 50], fill=(120, 160, 190))
d.rectangle([250, 195, 550, 235], fill=(200, 30, 30))
for i in range(14):
    x = 60 + i * 52 + random.randint(-10, 10)
    y = 470 + random.randint(-15, 25)
    col = random.choice([(200, 40, 40), (40, 70, 140), (230, 230, 230), (60, 60, 60), (220, 160, 40)])
    d.ellipse([x, y - 38, x + 22, y - 16], fill=(235, 200, 170))
    d.rectangle([x - 4, y - 16, x + 26, y + 40], fill=col)
    d.rectangle([x, y + 40, x + 8, y + 80], fill=(50, 50, 60))
    d.rectangle([x + 14, y + 40, x + 22, y + 80], fill=(50, 50, 60))
im.save(HERE / "community-square.jpg", quality=80, optimize=True)

# A meeting room: a screen, a long table, people on both sides.
w, h = 900, 600
im = Image.new("RGB", (w, h), (238, 232, 220))
d = ImageDraw.Draw(im)
d.rectangle([0, 0, w, 90], fill=(210, 200, 185))
d.rectangle([300, 110, 600, 260], fill=(40, 60, 100))
d.rectangle([320, 130, 580, 150], fill=(200, 40, 40))
d.polygon([(150, 560), (750, 560), (640, 330), (260, 330)], fill=(120, 80, 50))
for i in range(5):
    for x0 in (200 - i * 25, 700 + i * 25):
        y = 340 + i * 45
        d.rectangle([x0 - 20, y, x0 + 20, y + 40], fill=(60, 60, 70))
        d.ellipse([x0 - 14, y - 30, x0 + 14, y - 2], fill=(235, 200, 170))
im.save(HERE / "meeting-room.jpg", quality=80, optimize=True)

# A bar chart (PNG: flat colours).
w, h = 600, 400
im = Image.new("RGB", (w, h), (255, 255, 255))
d = ImageDraw.Draw(im)
d.line([(60, 20), (60, 350), (580, 350)], fill=(0, 0, 0), width=3)
for i, v in enumerate([120, 210, 180, 260, 300, 240]):
    x = 90 + i * 80
    d.rectangle([x, 350 - v, x + 50, 350], fill=(200, 40, 40) if i == 4 else (60, 110, 170))
for y in range(50, 350, 50):
    d.line([(56, y), (64, y)], fill=(0, 0, 0), width=2)
im.save(HERE / "service-chart.png", optimize=True)
