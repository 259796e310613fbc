"""Run a tiny-shapes model the way the engine does and judge what it draws.

    /usr/bin/python3 tools/shapes_judge.py engine/src/main/resources/models/tiny-shapes \
        --grid /tmp/tiny-shapes-grid.png

The pipeline mirrors the engine: the tokenizer.json's rules (lowercase, `\\w+|[^\\w\\s]+` words,
unknown words -> unk id, pad/truncate to max_length), classifier-free guidance with the empty
prompt (all padding), and DDIM (eta 0, "leading" timesteps + steps_offset, final alpha = alphas_cumprod[0]).
The judge reads colors against the palette and tells shapes apart by how much of their bounding
box they fill (square 1.0, circle 0.785, triangle 0.5).
"""
import argparse
import itertools
import sys
from pathlib import Path

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bundle_writer import load_bundle  # noqa: E402
from shapes_data import COLORS, PALETTE, PHRASINGS, SHAPES, WORD_PATTERN, caption  # noqa: E402

PALETTE_RGB = np.array([PALETTE[c] for c in COLORS], dtype=np.float32)
CIRCLE_MIN_FILL, SQUARE_MIN_FILL = 0.65, 0.9  # fill ratio thresholds: triangle < circle < square


def tokenize(tokenizer: dict, text: str, max_length: int, pad_id: int) -> list:
    vocab = tokenizer["model"]["vocab"]
    unk = vocab[tokenizer["model"]["unk_token"]]
    ids = [vocab.get(word, unk) for word in WORD_PATTERN.findall(text.lower())][:max_length]
    return ids + [pad_id] * (max_length - len(ids))


def alphas_cumprod(scheduler: dict) -> torch.Tensor:
    assert scheduler["beta_schedule"] == "scaled_linear"
    betas = torch.linspace(scheduler["beta_start"] ** 0.5, scheduler["beta_end"] ** 0.5,
                           scheduler["num_train_timesteps"], dtype=torch.float64) ** 2
    return torch.cumprod(1 - betas, 0)


def ddim_timesteps(scheduler: dict, steps: int) -> list:
    ratio = scheduler["num_train_timesteps"] // steps
    return [i * ratio + scheduler["steps_offset"] for i in reversed(range(steps))]


@torch.no_grad()
def generate(model: dict, prompts: list, seeds: list, steps=None, guidance=None, batch: int = 64,
             device: str = "cpu") -> np.ndarray:
    """model: manifest, tokenizer, text_encoder, unet, vae_decoder (TorchScript or eager), all on
    `device` and in one dtype. The initial noise is drawn on the CPU, so a seed gives the same
    noise on every device. Returns uint8 images [N, H, W, 3]."""
    manifest = model["manifest"]
    text, latent, image, scheduler = manifest["text"], manifest["latent"], manifest["image"], manifest["scheduler"]
    steps = steps or manifest["defaults"]["steps"]
    guidance = manifest["defaults"]["guidance_scale"] if guidance is None else guidance
    dtype = next(model["unet"].parameters()).dtype
    ac = alphas_cumprod(scheduler)
    ratio = scheduler["num_train_timesteps"] // steps
    shape = (latent["channels"], image["default_height"] // latent["downscale_factor"],
             image["default_width"] // latent["downscale_factor"])
    uncond = model["text_encoder"](torch.full((1, text["max_length"]), text["pad_token_id"], dtype=torch.long,
                                              device=device))
    out = []
    for start in range(0, len(prompts), batch):
        chunk = prompts[start:start + batch]
        ids = torch.tensor([tokenize(model["tokenizer"], p, text["max_length"], text["pad_token_id"]) for p in chunk], device=device)
        context = torch.cat([uncond.expand(len(chunk), -1, -1), model["text_encoder"](ids)])
        x = torch.stack([torch.randn(shape, generator=torch.Generator().manual_seed(s))
                         for s in seeds[start:start + batch]]).to(device)
        for t in ddim_timesteps(scheduler, steps):
            timestep = torch.full((2 * len(chunk),), float(t), device=device, dtype=dtype)
            eps_uncond, eps_cond = model["unet"](torch.cat([x, x]).to(dtype), timestep, context).float().chunk(2)
            eps = eps_uncond + guidance * (eps_cond - eps_uncond)
            a, a_prev = ac[t].item(), ac[t - ratio].item() if t >= ratio else ac[0].item()
            x0 = (x - (1 - a) ** 0.5 * eps) / a ** 0.5
            x = a_prev ** 0.5 * x0 + (1 - a_prev) ** 0.5 * eps
        decoded = model["vae_decoder"]((x / latent["scaling_factor"]).to(dtype)).float().cpu()
        out.append(((decoded.clamp(-1, 1) + 1) * 127.5).round().byte().permute(0, 2, 3, 1).numpy())
    return np.concatenate(out)


def nearest_color(rgb: np.ndarray) -> str:
    return COLORS[int(np.argmin(((PALETTE_RGB - rgb) ** 2).sum(1)))]


def judge(image: np.ndarray):
    """(foreground color, background color, shape) of a uint8 [H, W, 3] image; None where unreadable."""
    px = image.astype(np.float32)
    border = np.concatenate([px[0], px[-1], px[:, 0], px[:, -1]])
    bg_rgb = np.median(border, axis=0)
    to_bg = np.linalg.norm(px - bg_rgb, axis=2)
    rough = to_bg > 40
    if rough.sum() < 8:
        return None, nearest_color(bg_rgb), None
    fg_rgb = np.median(px[rough], axis=0)
    # coverage of each pixel by the shape, from its position between the two colors
    alpha = np.clip((px - bg_rgb) @ (fg_rgb - bg_rgb) / max(float(np.sum((fg_rgb - bg_rgb) ** 2)), 1.0), 0, 1)
    mask = alpha > 0.5
    ys, xs = np.nonzero(mask)
    fill = alpha.sum() / ((ys.max() - ys.min() + 1) * (xs.max() - xs.min() + 1))
    shape = "triangle" if fill < CIRCLE_MIN_FILL else "circle" if fill < SQUARE_MIN_FILL else "square"
    return nearest_color(px[mask].mean(0)), nearest_color(bg_rgb), shape


def eval_prompts(seeds_per_combination: int = 2) -> list:
    """Every (shape, fg, bg) with fg != bg, phrasings in turn: (prompt, seed, shape, fg, bg)."""
    combos = [(s, fg, bg) for s, fg, bg in itertools.product(SHAPES, COLORS, COLORS) if fg != bg]
    cases = []
    for i, (s, fg, bg) in enumerate(combos * seeds_per_combination):
        cases.append((caption(s, fg, bg, i % len(PHRASINGS)), 1000 + i, s, fg, bg))
    return cases


def evaluate(model: dict, seeds_per_combination: int = 2, grid_path=None) -> dict:
    """Accuracy of foreground color, background color and shape over eval_prompts()."""
    cases = eval_prompts(seeds_per_combination)
    images = generate(model, [c[0] for c in cases], [c[1] for c in cases])
    hits = np.zeros(3)
    for image, (_, _, shape, fg, bg) in zip(images, cases):
        hits += np.array(judge(image)) == np.array([fg, bg, shape])
    if grid_path:
        save_grid(images[:: max(1, len(images) // 64)][:64], grid_path)
    return dict(zip(["fg", "bg", "shape"], (hits / len(cases)).tolist()))


def save_grid(images: np.ndarray, path, columns: int = 8) -> None:
    rows = -(-len(images) // columns)
    padded = np.concatenate([images, np.zeros((rows * columns - len(images), *images.shape[1:]), np.uint8)])
    grid = padded.reshape(rows, columns, *images.shape[1:]).transpose(0, 2, 1, 3, 4)
    Image.fromarray(grid.reshape(rows * images.shape[1], columns * images.shape[2], 3)).save(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bundle")
    parser.add_argument("--seeds", type=int, default=2, help="seeds per (shape, fg, bg) combination")
    parser.add_argument("--grid", help="write a PNG grid of samples here")
    args = parser.parse_args()
    torch.set_num_threads(2)
    accuracy = evaluate(load_bundle(args.bundle), args.seeds, args.grid)
    print(" ".join(f"{k} {v:.1%}" for k, v in accuracy.items()))


if __name__ == "__main__":
    main()
