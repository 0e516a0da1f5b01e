"""PNG pictures of a design, for chat apps, forums and READMEs that cannot show SVG.

``schematic_png`` rasterises the schematic SVG with CairoSVG. ``share_png`` puts the schematic and the
wiring list side by side on one image, for teaching and for asking for help on a forum.
"""

from __future__ import annotations

import io
import re
import textwrap
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from knowledge import lazy_imports

__all__ = ["schematic_png", "share_png"]

_MAX_SIDE = 4000  # px: a picture larger than this is scaled down
_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="([\d.]+)(?:px)?"[^>]*?\bheight="([\d.]+)(?:px)?"')


@lru_cache(maxsize=4)
def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    # DejaVu ships with matplotlib: no system fonts needed (loaded only for the share picture)
    fonts = Path(lazy_imports.matplotlib().get_data_path()) / "fonts" / "ttf"
    return ImageFont.truetype(str(fonts / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size)


def schematic_png(svg: str, width: int | None = None) -> bytes:
    """The schematic as PNG bytes, ``width`` pixels wide (less when the drawing is very tall); by default
    1.5 times the drawing's own width, between 800 and 1600 px (sharp on a phone, quick to render)."""
    size = _SIZE.search(svg[:2000])
    if width is None:
        natural = float(size.group(1)) if size else 1000.0
        width = int(min(1600, max(800, 1.5 * natural)))
    if size and float(size.group(1)) > 0 and float(size.group(2)) * width / float(size.group(1)) > _MAX_SIDE:
        png = lazy_imports.cairosvg().svg2png(bytestring=svg.encode("utf-8"), output_height=_MAX_SIDE, unsafe=False)
    else:
        png = lazy_imports.cairosvg().svg2png(bytestring=svg.encode("utf-8"), output_width=width, unsafe=False)
    img = Image.open(io.BytesIO(png))
    if max(img.size) > _MAX_SIDE:
        img.thumbnail((_MAX_SIDE, _MAX_SIDE))
        buf = io.BytesIO()
        img.save(buf, "PNG", compress_level=3)
        return buf.getvalue()
    return png


def _plain_lines(markdown: str, width: int) -> list[tuple[str, bool]]:
    """(text, is_heading) lines of a Markdown wiring list, unescaped and wrapped."""
    out: list[tuple[str, bool]] = []
    for raw in markdown.splitlines():
        line = re.sub(r"\\(.)", r"\1", raw).replace("`", "")
        line = line.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()
        if not line:
            if out and out[-1][0]:
                out.append(("", False))
            continue
        heading = line.startswith("#")
        line = line.lstrip("#").strip()
        for i, piece in enumerate(textwrap.wrap(line, width=width) or [""]):
            out.append((("    " + piece) if i and re.match(r"^\d+\.", line) else piece, heading))
    return out


def share_png(svg: str, wiring_md: str, width: int = 1400) -> bytes:
    """The schematic with the wiring list beside it, as one PNG."""
    schem = Image.open(io.BytesIO(schematic_png(svg, width))).convert("RGB")
    body, head = _font(False, 17), _font(True, 19)
    lines = _plain_lines(wiring_md, width=70)
    line_h = 25
    panel_w = 820
    panel_h = 40 + line_h * len(lines)
    height = max(schem.height, panel_h)
    canvas = Image.new("RGB", (schem.width + panel_w, height), "white")
    canvas.paste(schem, (0, 0))
    draw = ImageDraw.Draw(canvas)
    x0 = schem.width + 20
    draw.line([(schem.width + 4, 20), (schem.width + 4, height - 20)], fill=(200, 200, 200), width=2)
    y = 24
    for text, heading in lines:
        draw.text((x0, y), text, fill=(20, 20, 20), font=head if heading else body)
        y += line_h
    if max(canvas.size) > _MAX_SIDE:
        canvas.thumbnail((_MAX_SIDE, _MAX_SIDE))
    buf = io.BytesIO()
    canvas.save(buf, "PNG", compress_level=3)
    return buf.getvalue()
