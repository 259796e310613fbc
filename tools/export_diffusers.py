"""Export a diffusers Stable Diffusion pipeline (SD 1.5, SD-Turbo, …) as a model bundle.

Runs where `diffusers`, `transformers` and a torch matching the target are installed (not on the
project's build machines: diffusers is not installable there). See docs/model-bundles.md for the
step-by-step path. Usage:

    python tools/export_diffusers.py --pipeline ./stable-diffusion-v1-5 --out bundles/sd15 \
        --name sd15 --version 1.0.0 --device cuda --dtype float16 \
        --sizes 512x512 512x768 768x512 --steps 30 --guidance 7.5 --sampler dpmpp_2m_karras

Each component is traced on the device it will run on: tensors that transformers creates inside
`forward` (CLIP's causal mask) are baked in with the tracing device, so a CUDA bundle is traced on
CUDA and a CPU bundle on CPU. The text encoder is traced without an attention mask, as the
pipelines call it. Everything goes through bundle_writer, the one writer of bundles.
"""
import argparse
import sys
import tempfile
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bundle_writer import DTYPES, load_bundle, write_bundle  # noqa: E402


class TextEncoder(torch.nn.Module):
    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder

    def forward(self, input_ids):
        return self.encoder(input_ids, return_dict=False)[0]


class UNet(torch.nn.Module):
    def __init__(self, unet):
        super().__init__()
        self.unet = unet

    def forward(self, sample, timestep, encoder_hidden_states):
        return self.unet(sample, timestep, encoder_hidden_states, return_dict=False)[0]


class VaeDecoder(torch.nn.Module):
    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, latents):
        return self.vae.decode(latents, return_dict=False)[0]


class VaeEncoder(torch.nn.Module):
    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, image):
        return self.vae.encode(image, return_dict=False)[0].mean


def size(text: str) -> list:
    width, height = text.lower().split("x")
    return [int(width), int(height)]


@torch.no_grad()
def main():
    from diffusers import StableDiffusionPipeline  # imported here: absent on the build machines

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pipeline", required=True, help="a diffusers pipeline directory (or hub id, when online)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--version", default="1.0.0")
    parser.add_argument("--device", default="cpu", help="cpu or cuda: the device the bundle will run on")
    parser.add_argument("--dtype", default="float32", choices=sorted(DTYPES), help="float16 only for CUDA")
    parser.add_argument("--sizes", nargs="+", type=size, default=[[512, 512]], help="allowed WIDTHxHEIGHT")
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--guidance", type=float, default=7.5)
    parser.add_argument("--sampler", default="dpmpp_2m_karras", choices=["ddim", "euler_a", "dpmpp_2m_karras"])
    args = parser.parse_args()
    if args.dtype == "float16" and args.device == "cpu":
        parser.error("float16 bundles are for CUDA; export float32 for CPU")

    dtype = DTYPES[args.dtype]
    pipe = StableDiffusionPipeline.from_pretrained(args.pipeline, torch_dtype=dtype).to(args.device)
    tokenizer, text_encoder, unet, vae = pipe.tokenizer, pipe.text_encoder.eval(), pipe.unet.eval(), pipe.vae.eval()
    max_length = tokenizer.model_max_length
    hidden = text_encoder.config.hidden_size
    channels = unet.config.in_channels
    factor = 2 ** (len(vae.config.block_out_channels) - 1)
    width, height = args.sizes[0]
    device = torch.device(args.device)

    ids = torch.full((1, max_length), tokenizer.pad_token_id, dtype=torch.long, device=device)
    latent = torch.randn(1, channels, height // factor, width // factor, device=device, dtype=dtype)
    image = torch.rand(1, 3, height, width, device=device, dtype=dtype) * 2 - 1
    timestep = torch.tensor([999.0], device=device)
    context = TextEncoder(text_encoder)(ids)
    traced = {
        "text_encoder": torch.jit.trace(TextEncoder(text_encoder), (ids,), check_trace=False),
        "unet": torch.jit.trace(UNet(unet), (latent, timestep, context), check_trace=False),
        "vae_decoder": torch.jit.trace(VaeDecoder(vae), (latent,), check_trace=False),
        "vae_encoder": torch.jit.trace(VaeEncoder(vae), (image,), check_trace=False),
    }

    examples = {"text_encoder": (ids,), "unet": (latent, timestep, context), "vae_decoder": (latent,),
                "vae_encoder": (image,)}
    expected = {name: traced[name](*inputs) for name, inputs in examples.items()}

    with tempfile.TemporaryDirectory() as scratch:
        tokenizer_file = Path(scratch) / "tokenizer.json"
        fast_tokenizer(args.pipeline).save(str(tokenizer_file))
        write_bundle(
            args.out, name=args.name, version=args.version, kind="latent-diffusion", dtype=args.dtype,
            components=traced, tokenizer=tokenizer_file,
            text={"max_length": max_length, "hidden_size": hidden, "pad_token_id": tokenizer.pad_token_id},
            latent={"channels": channels, "downscale_factor": factor, "scaling_factor": vae.config.scaling_factor},
            image={"default_width": width, "default_height": height, "allowed_sizes": args.sizes},
            scheduler={k: v for k, v in pipe.scheduler.config.items() if not k.startswith("_")},
            defaults={"steps": args.steps, "guidance_scale": args.guidance, "sampler": args.sampler})

    loaded = load_bundle(args.out, device=args.device)
    for name, inputs in examples.items():
        difference = (loaded[name](*inputs).float() - expected[name].float()).abs().max().item()
        print(f"{name}: reloaded output differs by {difference:.3g}")


def fast_tokenizer(pipeline_dir: str):
    """The pipeline's CLIP tokenizer in the Hugging Face `tokenizers` format the engine loads."""
    from transformers import CLIPTokenizerFast

    return CLIPTokenizerFast.from_pretrained(pipeline_dir, subfolder="tokenizer").backend_tokenizer


if __name__ == "__main__":
    main()
