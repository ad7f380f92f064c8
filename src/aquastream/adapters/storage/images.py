"""Pictures read, checked and resized with Pillow (``ports.media.ImageProcessor``), in a
worker thread so that the event loop never waits for a decode.

The header is read without decoding a pixel; Pillow's own bomb guard (an error past twice
``Image.MAX_IMAGE_PIXELS``, about 179 megapixels) is the last line, the domain's pixel
limit (``MediaPolicy.max_image_pixels``, well below it) the first. A JPEG is decoded at a
reduced scale where that is enough (``draft``): to check it decodes, and to make variants
far smaller than the original. Variants are WebP written without any metadata: Pillow
writes EXIF, XMP or an ICC profile only when asked, and nothing is asked.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from PIL import Image, ImageOps, UnidentifiedImageError

from aquastream.domain.media.errors import DecompressionBomb, UnreadableImage
from aquastream.domain.media.model import VARIANT_CONTENT_TYPE
from aquastream.ports.media import ImageHeader, RenderedImage

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXIF_ORIENTATION = 0x0112
# Orientations 5 to 8 turn the picture by a quarter: width and height trade places.
QUARTER_TURNS = frozenset({5, 6, 7, 8})
WEBP_QUALITY = 82
# What Pillow raises for bytes it cannot make sense of, at open, verify or load.
BROKEN = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError)
# A JPEG checked for damage is decoded at 1/8 scale: every block is still read.
CHECK_SCALE = 8


@contextmanager
def _opened(data: bytes) -> Iterator[Image.Image]:
    try:
        image = Image.open(io.BytesIO(data), formats=tuple(FORMATS))
    except Image.DecompressionBombError as error:
        raise DecompressionBomb() from error
    except BROKEN as error:
        raise UnreadableImage() from error
    with image:
        yield image


def _read_header(data: bytes) -> ImageHeader:
    with _opened(data) as image:
        width, height = image.size
        try:
            orientation = image.getexif().get(EXIF_ORIENTATION, 1)
        except BROKEN:
            orientation = 1
        if orientation in QUARTER_TURNS:
            width, height = height, width
        return ImageHeader(FORMATS.get(image.format or ""), width, height)


def _check_decodes(data: bytes) -> None:
    with _opened(data) as image:
        try:
            image.verify()
        except BROKEN as error:
            raise UnreadableImage() from error
    with _opened(data) as image:
        width, height = image.size
        image.draft("RGB", (max(1, width // CHECK_SCALE), max(1, height // CHECK_SCALE)))
        try:
            image.load()
        except BROKEN as error:
            raise UnreadableImage() from error


def _render(data: bytes, longest_sides: Sequence[int]) -> list[RenderedImage]:
    largest = max(longest_sides)
    with _opened(data) as source:
        source.draft("RGB", (largest, largest))
        try:
            upright = ImageOps.exif_transpose(source)
            has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
            picture = upright.convert("RGBA" if has_alpha else "RGB")
        except BROKEN as error:
            raise UnreadableImage() from error
    rendered = []
    for side in longest_sides:
        copy = picture.copy()
        copy.thumbnail((side, side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        copy.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
        rendered.append(RenderedImage(copy.width, copy.height, out.getvalue(), VARIANT_CONTENT_TYPE))
    return rendered


class PillowImages:
    async def read_header(self, data: bytes) -> ImageHeader:
        return await asyncio.to_thread(_read_header, data)

    async def check_decodes(self, data: bytes) -> None:
        await asyncio.to_thread(_check_decodes, data)

    async def render(self, data: bytes, longest_sides: Sequence[int]) -> list[RenderedImage]:
        return await asyncio.to_thread(_render, data, tuple(longest_sides))
