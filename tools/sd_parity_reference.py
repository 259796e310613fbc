#!/usr/bin/env python3
"""Tiny Stable Diffusion bundles and the images diffusers' own pipeline makes with them.

Builds export_diffusers.py's `sd1-tiny` and `sd2-tiny` architectures (diffusers' tiny test
configurations, the real CLIP tokenizer, seeded random weights), writes each as a bundle, and runs
diffusers' StableDiffusionPipeline on it from fixed start latents: DDIM at eta 0, 10 steps,
guidance 5, two images. It records the start latents, the final latents and the images (PNG, as the
pipeline's PIL output rounds them), which the Java engine must reproduce from the same bundle and
latents.

Usage: "$(tools/python-env.sh)" tools/sd_parity_reference.py
(writes engine/src/test/resources/models/tiny-sd<N>/ and engine/src/test/resources/parity/sd<N>-ddim/)
"""
import json
import os
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from export_diffusers import ARCHITECTURES, export  # noqa: E402

RESOURCES = Path(__file__).resolve().parent.parent / "engine" / "src" / "test" / "resources"
PROMPT = "a red circle on a blue background"
STEPS = 10
GUIDANCE = 5.0
IMAGES = 2


def main():
    for family in ("sd1", "sd2"):
        reference(family)
    turbo_reference()


@torch.no_grad()
def reference(family):
    pipe, (width, height) = ARCHITECTURES[f"{family}-tiny"]()
    export(pipe, RESOURCES / "models" / f"tiny-{family}", name=f"tiny-{family}", version="1.0.0",
           device="cpu", dtype="float32", sizes=[[width, height]], steps=STEPS, guidance=GUIDANCE,
           sampler="ddim")
    pipe.set_progress_bar_config(disable=True)
    factor = 2 ** (len(pipe.vae.config.block_out_channels) - 1)
    shape = (IMAGES, pipe.unet.config.in_channels, height // factor, width // factor)
    start = np.random.default_rng(20261204).standard_normal(shape).astype(np.float32)
    run = dict(prompt=PROMPT, negative_prompt="", num_inference_steps=STEPS, guidance_scale=GUIDANCE,
               height=height, width=width, eta=0.0, num_images_per_prompt=IMAGES)
    final = pipe(**run, latents=torch.from_numpy(start), output_type="latent").images
    images = pipe(**run, latents=torch.from_numpy(start), output_type="pil").images

    save(RESOURCES / "parity" / f"{family}-ddim", start, final, images, dict(run, sampler="ddim"))
    print(f"{family}: bundle and {len(images)} reference images written under {os.path.normpath(RESOURCES)}")


def save(out, start, final, images, run):
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "start-latents.npy", start)
    np.save(out / "final-latents.npy", final.numpy().astype(np.float32))
    for i, image in enumerate(images):
        image.save(out / f"image-{i}.png")
    (out / "run.json").write_text(json.dumps(run, indent=1) + "\n")


@torch.no_grad()
def turbo_reference():
    """SD-Turbo's way of sampling on the tiny SD 2.x weights: Euler with trailing spacing, no
    classifier-free guidance, 1 and 4 steps. The Java side loads tiny-sd2 with this scheduler."""
    from diffusers import EulerDiscreteScheduler

    pipe, (width, height) = ARCHITECTURES["sd2-tiny"]()
    pipe.scheduler = EulerDiscreteScheduler.from_config(pipe.scheduler.config, timestep_spacing="trailing")
    pipe.set_progress_bar_config(disable=True)
    factor = 2 ** (len(pipe.vae.config.block_out_channels) - 1)
    shape = (IMAGES, pipe.unet.config.in_channels, height // factor, width // factor)
    start = np.random.default_rng(4).standard_normal(shape).astype(np.float32)
    for steps in (1, 4):
        run = dict(prompt=PROMPT, negative_prompt="", num_inference_steps=steps, guidance_scale=0.0,
                   height=height, width=width, num_images_per_prompt=IMAGES)
        final = pipe(**run, latents=torch.from_numpy(start), output_type="latent").images
        images = pipe(**run, latents=torch.from_numpy(start), output_type="pil").images
        scheduler = {k: v for k, v in pipe.scheduler.config.items() if not k.startswith("_")}
        save(RESOURCES / "parity" / f"sd2-turbo-{steps}-step", start, final, images,
             dict(run, sampler="euler", scheduler=scheduler))
        print(f"sd2 turbo {steps} step(s): {len(images)} reference images")


if __name__ == "__main__":
    main()
