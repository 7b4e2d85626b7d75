"""Draw the app's icons (generic: two white letters on the theme colour) with Pillow:
``python scripts/make-icons.py``. The PNGs are committed; run again only to change them."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parent.parent / "static" / "icons"
THEME = (11, 12, 12)  # #0b0c0c, the header's colour
ACCENT = (29, 112, 184)  # #1d70b8


def draw(size: int, *, maskable: bool) -> Image.Image:
    image = Image.new("RGB", (size, size), THEME)
    pen = ImageDraw.Draw(image)
    # A maskable icon keeps its drawing inside the middle 80% (the safe zone).
    inset = size * (0.2 if maskable else 0.1)
    pen.rounded_rectangle(
        (inset, inset, size - inset, size - inset),
        radius=size // 10,
        outline=ACCENT,
        width=max(2, size // 32),
    )
    font = ImageFont.load_default(size=int(size * (0.3 if maskable else 0.38)))
    pen.text((size / 2, size / 2), "TC", fill=(255, 255, 255), font=font, anchor="mm")
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
    draw(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
