"""PNG pictures: the schematic beside its SVG, and the shareable schematic-plus-wiring-list image."""

from __future__ import annotations

import io

from PIL import Image

from pipelines.cli import main


def test_design_exports_schematic_and_share_pictures(tmp_path, capsys):
    out = tmp_path / "out"
    rc = main(["design", "Blink an LED with a button on an Arduino Uno", "-o", str(out), "--rules", "--export", "png"])
    capsys.readouterr()
    assert rc == 0
    schem = Image.open(out / "schematic.png")
    share = Image.open(out / "share.png")
    assert schem.format == share.format == "PNG"
    assert schem.width >= 800 and schem.height >= 200
    # the share image is the schematic plus a wiring panel on the right, with text drawn in it
    assert share.width > schem.width
    panel = share.convert("L").crop((schem.width + 10, 0, share.width, min(share.height, 600)))
    dark = panel.point(lambda v: 1 if v < 128 else 0).histogram()[1]
    assert dark > 500, "the wiring list panel is empty"
    # the schematic part is drawn too, not blank
    left = share.convert("L").crop((0, 0, schem.width, schem.height))
    assert left.point(lambda v: 1 if v < 128 else 0).histogram()[1] > 500


def test_a_png_is_written_beside_every_svg_and_the_share_picture_only_when_asked(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["design", "Blink an LED on an Arduino Uno", "-o", str(out), "--rules"]) == 0
    capsys.readouterr()
    assert (out / "schematic.svg").exists() and not (out / "share.png").exists()
    png = Image.open(out / "schematic.png")
    assert png.format == "PNG" and png.width >= 800
    # the picture is the drawing, not a blank canvas
    assert png.convert("L").point(lambda v: 1 if v < 128 else 0).histogram()[1] > 500


def test_very_tall_drawings_are_scaled_into_bounds():
    from circuit.render.png import schematic_png

    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="10000"><rect width="100" height="10000"/></svg>'
    img = Image.open(io.BytesIO(schematic_png(svg, width=800)))
    assert max(img.size) <= 4000
