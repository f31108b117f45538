"""Demo pictures drawn locally with Pillow: soft gradients, blurred shapes and initials.

No photograph of a real person is used: a demo profile must not put a stranger's face next to a
made-up name.
"""

from __future__ import annotations

import math
import random
from functools import lru_cache
from io import BytesIO

from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

DEJAVU_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
JPEG_QUALITY = 85

# Soft, light pairs of colours (top-left, bottom-right) that keep white initials readable.
PALETTES: tuple[tuple[tuple[int, int, int], tuple[int, int, int]], ...] = (
    ((122, 166, 148), (214, 232, 205)),  # sage
    ((94, 129, 172), (196, 216, 236)),  # lake
    ((196, 128, 110), (244, 214, 196)),  # terracotta
    ((150, 120, 170), (226, 210, 236)),  # lavender
    ((204, 160, 86), (246, 230, 190)),  # honey
    ((86, 150, 160), (200, 232, 230)),  # lagoon
    ((170, 110, 130), (240, 208, 216)),  # rose
    ((110, 140, 100), (222, 230, 196)),  # olive
)


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(DEJAVU_BOLD, size)
    except OSError:
        return ImageFont.load_default(size=size)


def _gradient(size: tuple[int, int], start, end, angle: float) -> Image.Image:
    """A linear gradient from `start` to `end` whose direction is `angle` degrees."""
    vertical = Image.linear_gradient("L")
    horizontal = vertical.transpose(Image.Transpose.ROTATE_90)
    radians = math.radians(angle)
    cos, sin = math.cos(radians), math.sin(radians)
    if cos < 0:
        horizontal = ImageOps.mirror(horizontal)
    if sin < 0:
        vertical = ImageOps.flip(vertical)
    weight = abs(cos) / (abs(cos) + abs(sin))
    ramp = ImageOps.autocontrast(Image.blend(vertical, horizontal, weight))
    return ImageOps.colorize(ramp.resize(size, Image.Resampling.BICUBIC), start, end)


def _soft_shapes(image: Image.Image, rng: random.Random, count: int) -> Image.Image:
    """Blurred translucent discs, like out-of-focus light."""
    width, height = image.size
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for _ in range(count):
        radius = rng.randint(width // 8, width // 3)
        x, y = rng.randint(0, width), rng.randint(0, height)
        alpha = rng.randint(30, 70)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(255, 255, 255, alpha))
    layer = layer.filter(ImageFilter.GaussianBlur(radius=width // 25))
    return Image.alpha_composite(image.convert("RGBA"), layer)


def _to_jpeg(image: Image.Image) -> bytes:
    buffer = BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue()


def portrait_jpeg(initials: str, *, seed: int, size: int = 600) -> bytes:
    """A square avatar: gradient background, soft shapes, initials in a translucent circle."""
    rng = random.Random(seed)
    start, end = rng.choice(PALETTES)
    image = _gradient((size, size), start, end, angle=rng.uniform(0, 360))
    image = _soft_shapes(image, rng, count=5)

    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    radius = int(size * 0.3)
    centre = size // 2
    draw.ellipse(
        (centre - radius, centre - radius, centre + radius, centre + radius),
        fill=(*start, 210),
        outline=(255, 255, 255, 230),
        width=max(2, size // 100),
    )
    draw.text(
        (centre, centre),
        initials,
        font=_font(int(size * 0.22)),
        fill=(255, 255, 255, 255),
        anchor="mm",
    )
    return _to_jpeg(Image.alpha_composite(image, overlay))


def hero_jpeg(*, seed: int = 7, size: tuple[int, int] = (1600, 800)) -> bytes:
    """A wide, calm banner: a gradient sky with soft light and rolling hills."""
    rng = random.Random(seed)
    width, height = size
    image = _gradient(size, (238, 226, 206), (150, 190, 182), angle=100)
    image = _soft_shapes(image, rng, count=9)

    hills = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(hills)
    colours = ((122, 166, 148, 150), (94, 140, 128, 190), (70, 112, 104, 230))
    for layer, colour in enumerate(colours):
        base = int(height * (0.55 + 0.13 * layer))
        amplitude = height * (0.08 - 0.015 * layer)
        points: list[tuple[float, float]] = [(0, height)]
        phase = rng.uniform(0, 6.28)
        steps = 48
        for step in range(steps + 1):
            x = width * step / steps
            wave = _smooth_wave(step / steps, phase, layer)
            points.append((x, base - amplitude * wave))
        points.append((width, height))
        draw.polygon(points, fill=colour)
    hills = hills.filter(ImageFilter.GaussianBlur(radius=2))
    return _to_jpeg(Image.alpha_composite(image, hills))


def _smooth_wave(t: float, phase: float, layer: int) -> float:
    return (
        math.sin(2 * math.pi * t * (1.2 + 0.4 * layer) + phase) * 0.7
        + math.sin(2 * math.pi * t * 3.1 + phase * 2) * 0.3
    )
