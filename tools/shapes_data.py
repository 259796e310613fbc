"""Procedural data for tiny-shapes: one flat shape on a plain background, with a caption.

Everything is deterministic given a numpy Generator. A sample is described by a `Spec` in
relative units, so the same spec renders at any resolution (64 px for the diffusion model,
256 px for the upscaler's targets).
"""
import re
from typing import NamedTuple

import numpy as np
from PIL import Image, ImageDraw

# The one palette: training data, captions and the judge all read it from here.
PALETTE = {
    "red": (230, 30, 30),
    "green": (30, 170, 60),
    "blue": (40, 70, 220),
    "yellow": (240, 220, 40),
    "purple": (140, 50, 180),
    "orange": (250, 140, 20),
    "white": (245, 245, 245),
    "black": (15, 15, 15),
}
COLORS = list(PALETTE)
SHAPES = ["circle", "square", "triangle"]
MIN_SIZE, MAX_SIZE = 0.3, 0.6  # shape size as a fraction of the image side
SUPERSAMPLE = 4

# Caption templates: the shape's color and the background's color in different word orders.
PHRASINGS = [
    "{a_fg} {fg} {shape} on {a_bg} {bg} background",
    "{fg} {shape}, {bg} background",
    "{a_bg} {bg} background with {a_fg} {fg} {shape}",
    "{a_fg} {fg} {shape} against {bg}",
    "{fg} {shape} on {bg}",
    "{bg} background, {fg} {shape}",
]

WORD_PATTERN = re.compile(r"\w+|[^\w\s]+")  # the `Whitespace` pre-tokenizer of HF tokenizers


class Spec(NamedTuple):
    shape: str
    fg: str
    bg: str
    cx: float  # center, fraction of width
    cy: float  # center, fraction of height
    size: float  # width = height, fraction of the side


def article(color: str) -> str:
    return "an" if color[0] in "aeiou" else "a"


def caption(shape: str, fg: str, bg: str, phrasing: int) -> str:
    return PHRASINGS[phrasing].format(shape=shape, fg=fg, bg=bg, a_fg=article(fg), a_bg=article(bg))


def caption_words() -> list:
    """Every word the captions can produce, in a stable order."""
    words = []
    for phrasing in range(len(PHRASINGS)):
        for fg in COLORS:
            for bg in COLORS:
                for shape in SHAPES:
                    for word in WORD_PATTERN.findall(caption(shape, fg, bg, phrasing)):
                        if word not in words:
                            words.append(word)
    return words


def random_spec(rng: np.random.Generator, shape=None, fg=None, bg=None) -> Spec:
    shape = shape or SHAPES[rng.integers(len(SHAPES))]
    fg = fg or COLORS[rng.integers(len(COLORS))]
    if bg is None:
        others = [c for c in COLORS if c != fg]
        bg = others[rng.integers(len(others))]
    size = rng.uniform(MIN_SIZE, MAX_SIZE)
    cx, cy = rng.uniform(size / 2, 1 - size / 2, size=2)
    return Spec(shape, fg, bg, float(cx), float(cy), float(size))


def render(spec: Spec, side: int = 64) -> np.ndarray:
    """Anti-aliased RGB image, uint8 [side, side, 3]: drawn at 4x, then downsampled."""
    big = side * SUPERSAMPLE
    image = Image.new("RGB", (big, big), PALETTE[spec.bg])
    draw = ImageDraw.Draw(image)
    half = spec.size * big / 2
    x, y = spec.cx * big, spec.cy * big
    box = [x - half, y - half, x + half, y + half]
    color = PALETTE[spec.fg]
    if spec.shape == "circle":
        draw.ellipse(box, fill=color)
    elif spec.shape == "square":
        draw.rectangle(box, fill=color)
    else:  # triangle pointing up: apex at top-center, base along the bottom
        draw.polygon([(x, y - half), (x + half, y + half), (x - half, y + half)], fill=color)
    return np.asarray(image.resize((side, side), Image.LANCZOS))


def dataset(seed: int, count: int, side: int = 64):
    """`count` random samples: (uint8 images [N, side, side, 3], captions, specs)."""
    rng = np.random.default_rng(seed)
    specs = [random_spec(rng) for _ in range(count)]
    captions = [caption(s.shape, s.fg, s.bg, int(rng.integers(len(PHRASINGS)))) for s in specs]
    images = np.stack([render(s, side) for s in specs])
    return images, captions, specs
