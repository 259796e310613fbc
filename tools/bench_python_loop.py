"""Time the engine's denoise loop in Python/PyTorch: the reference side of EngineBenchmark.

    /usr/bin/python3 tools/bench_python_loop.py <bundle-dir> [--prompt TEXT] [--steps 20]
        [--guidance 5] [--seed 42] [--num-images 1] [--warmup 5] [--runs 20] [--threads 2]

The loop is the one dev.durablediffusion.engine.Denoiser runs: the tokenizer.json's rules, the
empty prompt (all padding) as the unconditional text, one UNet batch of 2 x num_images per step
(unconditional half first), guidance u + g (c - u), DDIM with eta 0 ("leading" timesteps +
steps_offset, final alpha = alphas_cumprod[0]), then the VAE decoder. The TorchScript files are
loaded with torch.jit.load and checked against the manifest (tools/bundle_writer.py).

Prints one JSON object: the torch version and thread counts, and per timed run `total_ms` (text
encoding, loop and decode), `sampling_ms` (the loop alone) and `unet_ms` (inside UNet forward
calls only).
"""
import argparse
import json
import sys
from pathlib import Path
from time import perf_counter

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bundle_writer import load_bundle  # noqa: E402
from shapes_judge import alphas_cumprod, ddim_timesteps, tokenize  # noqa: E402


@torch.no_grad()
def timed_generation(model: dict, prompt: str, steps: int, guidance: float, seed: int, num_images: int) -> dict:
    manifest = model["manifest"]
    text, latent, image = manifest["text"], manifest["latent"], manifest["image"]
    scheduler = manifest["scheduler"]
    started = perf_counter()
    ids = torch.tensor([tokenize(model["tokenizer"], p, text["max_length"], text["pad_token_id"]) for p in ("", prompt)])
    both = model["text_encoder"](ids)
    context = torch.cat([both[:1].expand(num_images, -1, -1), both[1:].expand(num_images, -1, -1)])
    shape = (num_images, latent["channels"], image["default_height"] // latent["downscale_factor"],
             image["default_width"] // latent["downscale_factor"])
    x = torch.randn(shape, generator=torch.Generator().manual_seed(seed))
    ac = alphas_cumprod(scheduler)
    ratio = scheduler["num_train_timesteps"] // steps
    unet_seconds = 0.0
    loop_started = perf_counter()
    for t in ddim_timesteps(scheduler, steps):
        forward_started = perf_counter()
        prediction = model["unet"](torch.cat([x, x]), torch.full((2 * num_images,), float(t)), context)
        unet_seconds += perf_counter() - forward_started
        eps_uncond, eps_cond = prediction.chunk(2)
        eps = eps_uncond + guidance * (eps_cond - eps_uncond)
        a, a_prev = ac[t].item(), ac[t - ratio].item() if t >= ratio else ac[0].item()
        x0 = (x - (1 - a) ** 0.5 * eps) / a ** 0.5
        x = a_prev ** 0.5 * x0 + (1 - a_prev) ** 0.5 * eps
    sampling_seconds = perf_counter() - loop_started
    model["vae_decoder"](x / latent["scaling_factor"])
    return {"total_ms": (perf_counter() - started) * 1e3, "sampling_ms": sampling_seconds * 1e3,
            "unet_ms": unet_seconds * 1e3}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bundle")
    parser.add_argument("--prompt", default="a red circle on a blue background")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--guidance", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--num-images", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    model = load_bundle(args.bundle)
    generations = [timed_generation(model, args.prompt, args.steps, args.guidance, args.seed, args.num_images)
                   for _ in range(args.warmup + args.runs)]
    runs = generations[args.warmup:]
    print(json.dumps({"torch_version": torch.__version__, "threads": torch.get_num_threads(),
                      "interop_threads": torch.get_num_interop_threads(), "steps": args.steps, "runs": runs}))


if __name__ == "__main__":
    main()
