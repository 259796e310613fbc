"""Train tiny-upscaler-x4 (x4 super-resolution for tiny-shapes images) on CPU and write its bundle.

    /usr/bin/python3 tools/train_upscaler.py [--out DIR]

Shapes rendered at 256 px are the targets, the same images downsampled to 64 px the inputs.
The model adds a learned residual (a few 3x3 convs at low resolution + PixelShuffle) to a bicubic
upsample; it is exported with torch.jit.script, so it takes any input size.
"""
import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bundle_writer import verify_bundle, write_bundle  # noqa: E402
from shapes_data import random_spec, render  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "engine/src/main/resources/models/tiny-upscaler-x4"
SCALE, LOW, HIGH = 4, 64, 256
START = time.time()


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} +{time.time() - START:6.0f}s] {message}", flush=True)


class Upscaler(nn.Module):
    """image [B, 3, H, W] in [0, 1] -> [B, 3, 4H, 4W] in [0, 1]."""

    def __init__(self, features: int = 32):
        super().__init__()
        self.scale = float(SCALE)
        self.body = nn.Sequential(
            nn.Conv2d(3, features, 3, padding=1), nn.ReLU(),
            nn.Conv2d(features, features, 3, padding=1), nn.ReLU(),
            nn.Conv2d(features, features, 3, padding=1), nn.ReLU(),
            nn.Conv2d(features, 3 * SCALE * SCALE, 3, padding=1), nn.PixelShuffle(SCALE))

    def forward(self, image):
        base = F.interpolate(image, scale_factor=self.scale, mode="bicubic", align_corners=False)
        return (base + self.body(image)).clamp(0, 1)


def pairs(seed: int, count: int):
    """(low-res [N, 3, 64, 64], high-res [N, 3, 256, 256]) float tensors in [0, 1]."""
    rng = np.random.default_rng(seed)
    high = [render(random_spec(rng), HIGH) for _ in range(count)]
    low = [np.asarray(Image.fromarray(h).resize((LOW, LOW), Image.LANCZOS)) for h in high]
    return tuple(torch.from_numpy(np.stack(a)).permute(0, 3, 1, 2).float() / 255 for a in (low, high))


def psnr(a: torch.Tensor, b: torch.Tensor) -> float:
    return (10 * torch.log10(1 / F.mse_loss(a, b))).item()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(DEFAULT_OUT))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--images", type=int, default=2000)
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--crop", type=int, default=32, help="low-res crop side used for training")
    args = parser.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(args.seed)

    low, high = pairs(args.seed, args.images)
    test_low, test_high = pairs(args.seed + 1, 200)
    log(f"{len(low)} training pairs, {len(test_low)} held out")

    model = Upscaler()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    lr = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, args.steps, eta_min=1e-5)
    for step in range(args.steps):
        lo, hi = [], []
        for i, y, x in zip(torch.randint(len(low), (args.batch,)).tolist(),
                           torch.randint(LOW - args.crop + 1, (args.batch,)).tolist(),
                           torch.randint(LOW - args.crop + 1, (args.batch,)).tolist()):
            lo.append(low[i, :, y:y + args.crop, x:x + args.crop])
            hi.append(high[i, :, SCALE * y:SCALE * (y + args.crop), SCALE * x:SCALE * (x + args.crop)])
        loss = F.l1_loss(model(torch.stack(lo)), torch.stack(hi))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        lr.step()
        if step % 250 == 0 or step == args.steps - 1:
            log(f"step {step}: l1 {loss.item():.4f}")

    model.eval()
    with torch.no_grad():
        bicubic = F.interpolate(test_low, scale_factor=float(SCALE), mode="bicubic", align_corners=False).clamp(0, 1)
        log(f"held-out PSNR: model {psnr(model(test_low), test_high):.2f} dB, bicubic {psnr(bicubic, test_high):.2f} dB")
        examples = [torch.rand(1, 3, 64, 64), torch.rand(2, 3, 48, 80)]
        expected = [model(x) for x in examples]
    write_bundle(args.out, name="tiny-upscaler-x4", version="1.0.0", kind="upscaler",
                 components={"model": torch.jit.script(model)}, upscale={"scale": SCALE})
    for x, y in zip(examples, expected):
        diffs = verify_bundle(args.out, {"model": ((x,), y)})
        log(f"reloaded bundle: {tuple(x.shape)} -> {tuple(y.shape)}, max diff {diffs['model']:.2g}")


if __name__ == "__main__":
    main()
