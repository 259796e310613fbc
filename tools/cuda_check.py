"""The shipped bundles on a CUDA device, run by PyTorch: the Python half of the device check.

    python3 tools/cuda_check.py --cases cases.tsv --out DIR \
        [--bundle engine/src/main/resources/models/tiny-shapes] \
        [--upscaler engine/src/main/resources/models/tiny-upscaler-x4]

Loads the TorchScript bundles (traced on a CPU) with map_location to the GPU and writes:
- DIR/python-cpu, DIR/python-cuda, DIR/python-cuda-fp16: one PNG per case (tools/device_images.py),
  the same initial noise on every device; judge and compare them with device_images.py;
- DIR/tiny-shapes-fp16: the bundle converted to float16 through tools/bundle_writer.py, for the
  Java engine to run on the GPU.
Prints the upscaler's largest difference between CPU and GPU, and the time of whole generations
(default steps and guidance, 64x64) per batch size on the GPU in float32 and float16.
"""
import argparse
import shutil
import statistics
import sys
from pathlib import Path
from time import perf_counter

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bundle_writer import load_bundle, write_bundle  # noqa: E402
from device_images import read_cases  # noqa: E402
from shapes_judge import generate  # noqa: E402

COMPONENTS = ("text_encoder", "unet", "vae_decoder", "vae_encoder")


def write_images(model: dict, cases: list, device: str, out: Path, cases_file: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cases_file, out / "cases.tsv")
    images = generate(model, [c[1] for c in cases], [c[2] for c in cases], device=device)
    for (index, *_), image in zip(cases, images):
        Image.fromarray(image).save(out / f"{index:04d}.png")


def half(model: dict) -> dict:
    """Converts the loaded components in place."""
    return {k: v.half() if k in COMPONENTS else v for k, v in model.items()}


def write_fp16_bundle(bundle: Path, model: dict, out: Path) -> None:
    manifest = model["manifest"]
    sections = {k: v for k, v in manifest.items() if k not in ("format", "name", "version", "kind", "dtype", "components")}
    write_bundle(out, name=manifest["name"], version=manifest["version"] + "-fp16", kind=manifest["kind"],
                 dtype="float16", tokenizer=bundle / manifest["components"]["tokenizer"]["file"],
                 components={k: model[k] for k in COMPONENTS if k in model}, **sections)


def generation_ms(model: dict, batch: int, runs: int = 20) -> float:
    prompts, seeds = ["a red circle on a blue background"] * batch, list(range(batch))
    for _ in range(3):
        generate(model, prompts, seeds, device="cuda")
    times = []
    for _ in range(runs):
        torch.cuda.synchronize()
        started = perf_counter()
        generate(model, prompts, seeds, device="cuda")
        torch.cuda.synchronize()
        times.append((perf_counter() - started) * 1e3)
    return statistics.median(times)


@torch.no_grad()
def upscaler_difference(bundle: Path) -> float:
    image = torch.rand((1, 3, 64, 64), generator=torch.Generator().manual_seed(7))
    on_cpu = load_bundle(bundle)["model"](image)
    on_gpu = load_bundle(bundle, "cuda")["model"](image.cuda()).cpu()
    return (on_cpu - on_gpu).abs().max().item()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--bundle", type=Path, default=Path("engine/src/main/resources/models/tiny-shapes"))
    parser.add_argument("--upscaler", type=Path,
                        default=Path("engine/src/main/resources/models/tiny-upscaler-x4"))
    args = parser.parse_args()
    print(f"torch {torch.__version__}, {torch.cuda.get_device_name(0)}")
    cases = read_cases(args.cases)
    write_images(load_bundle(args.bundle), cases, "cpu", args.out / "python-cpu", args.cases)
    write_images(load_bundle(args.bundle, "cuda"), cases, "cuda", args.out / "python-cuda", args.cases)
    on_gpu_half = half(load_bundle(args.bundle, "cuda"))
    write_images(on_gpu_half, cases, "cuda", args.out / "python-cuda-fp16", args.cases)
    write_fp16_bundle(args.bundle, on_gpu_half, args.out / "tiny-shapes-fp16")
    load_bundle(args.out / "tiny-shapes-fp16", "cuda")
    print(f"upscaler x4, CPU against GPU: largest difference {upscaler_difference(args.upscaler):.2e}")
    on_gpu = load_bundle(args.bundle, "cuda")
    for batch in (1, 4, 16):
        print(f"whole generation on the GPU, {batch} image(s): float32 {generation_ms(on_gpu, batch):.1f} ms,"
              f" float16 {generation_ms(on_gpu_half, batch):.1f} ms")


if __name__ == "__main__":
    main()
