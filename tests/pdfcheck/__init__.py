"""Reading PDFs back as a reader would: their text (pdftotext) and their pages as images (pdftoppm).

`words_outside_the_page` uses pdftotext's word boxes: any word whose box leaves the page (or the margin we
allow) is text a printer would cut off. `ink_at_the_edges` renders every page at a fixed size with
pdftoppm and reports pages with dark pixels in the outer band, where no content belongs."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

RENDER_WIDTH = 620  # pixels: a fixed size, so the band below means the same on every page
EDGE_BAND = 0.025  # of the width/height: inside the page's physical margin (16–20 mm of 210 mm)


def text_of(pdf: bytes, *, layout: bool = False) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), handle.name, "-"]
        return subprocess.run(args, capture_output=True, check=True, timeout=120).stdout.decode("utf-8")


def words_outside_the_page(pdf: bytes, *, margin_pt: float = 8.0) -> list[str]:
    """Words whose box is not inside the page minus `margin_pt` on every side."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        html = subprocess.run(
            ["pdftotext", "-bbox", handle.name, "-"], capture_output=True, check=True, timeout=120
        ).stdout.decode("utf-8")
    outside = []
    for number, page in enumerate(re.findall(r"<page (.*?)</page>", html, re.S), start=1):
        width = float(re.search(r'width="([\d.]+)"', page).group(1))
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        for x_min, y_min, x_max, y_max, word in re.findall(
            r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>', page
        ):
            if (
                float(x_min) < margin_pt
                or float(y_min) < margin_pt
                or float(x_max) > width - margin_pt
                or float(y_max) > height - margin_pt
            ):
                outside.append(
                    f"page {number}: {word!r} at x {x_min}–{x_max} of {width}, y {y_min}–{y_max} of {height}"
                )
    return outside


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(
            ["pdfinfo", "-f", "1", "-l", "9999", handle.name], capture_output=True, check=True, timeout=60
        ).stdout.decode()
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


def render_pages(pdf: bytes, directory: Path) -> list[Path]:
    source = directory / "document.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-scale-to-x",
            str(RENDER_WIDTH),
            "-scale-to-y",
            "-1",
            str(source),
            str(directory / "page"),
        ],
        check=True,
        timeout=300,
    )
    return sorted(directory.glob("page-*.png"))


def ink_at_the_edges(pdf: bytes, directory: Path) -> list[str]:
    """Pages (as rendered by pdftoppm) with anything darker than light grey in the outer band."""
    found = []
    for path in render_pages(pdf, directory):
        image = Image.open(path).convert("L")
        width, height = image.size
        band_x, band_y = max(1, int(width * EDGE_BAND)), max(1, int(height * EDGE_BAND))
        for box in (
            (0, 0, band_x, height),
            (width - band_x, 0, width, height),
            (0, 0, width, band_y),
            (0, height - band_y, width, height),
        ):
            if image.crop(box).getextrema()[0] < 200:
                found.append(f"{path.name}: ink in the edge band {box}")
                break
    return found
