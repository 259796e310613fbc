"""Export a diffusers Stable Diffusion pipeline (SD 1.5, SD-Turbo, …) as a model bundle.

Runs in the pinned environment (tools/python-env.sh). See docs/model-bundles.md for the
step-by-step path. Usage, with a local pipeline directory or a built-in random-weight architecture:

    "$(tools/python-env.sh)" tools/export_diffusers.py --pipeline ./stable-diffusion-v1-5 \
        --out bundles/sd15 --name sd15 --version 1.0.0 --device cuda --dtype float16 \
        --sizes 512x512 512x768 768x512 --steps 30 --guidance 7.5 --sampler dpmpp_2m_karras
    "$(tools/python-env.sh)" tools/export_diffusers.py --architecture sd1-tiny --out bundles/t --name t

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
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--pipeline", help="a local diffusers pipeline directory")
    source.add_argument("--architecture", choices=sorted(ARCHITECTURES),
                        help="a built-in architecture with seeded random weights, for tests and benchmarks")
    parser.add_argument("--out", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--version", default="1.0.0")
    parser.add_argument("--device", default="cpu", help="cpu or cuda: the device the bundle will run on")
    parser.add_argument("--dtype", default="float32", choices=sorted(DTYPES), help="float16 only for CUDA")
    parser.add_argument("--sizes", nargs="+", type=size, default=None, help="allowed WIDTHxHEIGHT")
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--guidance", type=float, default=7.5)
    parser.add_argument("--sampler", default="dpmpp_2m_karras", choices=["ddim", "euler", "euler_a", "dpmpp_2m_karras"])
    args = parser.parse_args()
    if args.dtype == "float16" and args.device == "cpu":
        parser.error("float16 bundles are for CUDA; export float32 for CPU")

    if args.pipeline:
        from diffusers import StableDiffusionPipeline

        pipe = StableDiffusionPipeline.from_pretrained(args.pipeline, torch_dtype=DTYPES[args.dtype])
        sizes = args.sizes or [[512, 512]]
    else:
        pipe, default_size = ARCHITECTURES[args.architecture]()
        sizes = args.sizes or [default_size]
    export(pipe, args.out, name=args.name, version=args.version, device=args.device, dtype=args.dtype,
           sizes=sizes, steps=args.steps, guidance=args.guidance, sampler=args.sampler)


@torch.no_grad()
def export(pipe, out, *, name, version, device, dtype, sizes, steps, guidance, sampler):
    """Traces the pipeline's components on `device` and writes them as a bundle in `out`."""
    pipe = pipe.to(device=device, dtype=DTYPES[dtype])
    tokenizer, text_encoder, unet, vae = pipe.tokenizer, pipe.text_encoder.eval(), pipe.unet.eval(), pipe.vae.eval()
    max_length = tokenizer.model_max_length
    hidden = text_encoder.config.hidden_size
    channels = unet.config.in_channels
    factor = 2 ** (len(vae.config.block_out_channels) - 1)
    width, height = sizes[0]
    device = torch.device(device)
    dtype_ = DTYPES[dtype]

    ids = torch.full((1, max_length), tokenizer.pad_token_id, dtype=torch.long, device=device)
    torch.manual_seed(0)
    latent = torch.randn(1, channels, height // factor, width // factor, device=device, dtype=dtype_)
    image = torch.rand(1, 3, height, width, device=device, dtype=dtype_) * 2 - 1
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
    expected = {component: traced[component](*inputs) for component, inputs in examples.items()}

    with tempfile.TemporaryDirectory() as scratch:
        tokenizer_file = Path(scratch) / "tokenizer.json"
        as_fast(tokenizer).save(str(tokenizer_file))
        write_bundle(
            out, name=name, version=version, kind="latent-diffusion", dtype=dtype,
            components=traced, tokenizer=tokenizer_file,
            text={"max_length": max_length, "hidden_size": hidden, "pad_token_id": tokenizer.pad_token_id},
            latent={"channels": channels, "downscale_factor": factor, "scaling_factor": vae.config.scaling_factor},
            image={"default_width": width, "default_height": height, "allowed_sizes": sizes},
            scheduler={k: v for k, v in pipe.scheduler.config.items() if not k.startswith("_")},
            defaults={"steps": steps, "guidance_scale": guidance, "sampler": sampler})

    loaded = load_bundle(out, device=str(device))
    for component, inputs in examples.items():
        difference = (loaded[component](*inputs).float() - expected[component].float()).abs().max().item()
        print(f"{component}: reloaded output differs by {difference:.3g}")


def as_fast(tokenizer):
    """The pipeline's CLIP tokenizer in the Hugging Face `tokenizers` format the engine loads."""
    from transformers import CLIPTokenizerFast

    if isinstance(tokenizer, CLIPTokenizerFast):
        return tokenizer.backend_tokenizer
    with tempfile.TemporaryDirectory() as scratch:
        tokenizer.save_pretrained(scratch)
        return CLIPTokenizerFast.from_pretrained(scratch).backend_tokenizer


def sd1_tiny():
    """diffusers' own tiny Stable Diffusion 1.x test configuration, with the real CLIP tokenizer
    (49,408 ids, built by clip_tokenizer.py) and weights drawn from torch.manual_seed(0)."""
    return tiny_pipeline(
        unet=dict(), text=dict(intermediate_size=64, num_attention_heads=8, num_hidden_layers=3),
        scheduler=dict(), pad_token="<|endoftext|>")


def sd2_tiny():
    """The same at Stable Diffusion 2.x's differences: v-prediction, linear projections and per-block
    attention heads in the UNet, a GELU text encoder, prompts padded with "!" (id 0)."""
    return tiny_pipeline(
        unet=dict(attention_head_dim=(2, 4), use_linear_projection=True),
        text=dict(intermediate_size=37, num_attention_heads=4, num_hidden_layers=5, hidden_act="gelu",
                  projection_dim=512),
        scheduler=dict(prediction_type="v_prediction"), pad_token="!")


def tiny_pipeline(*, unet, text, scheduler, pad_token):
    from diffusers import AutoencoderKL, DDIMScheduler, StableDiffusionPipeline, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel

    from clip_tokenizer import clip_tokenizer

    tokenizer = clip_tokenizer(pad_token=pad_token)
    torch.manual_seed(0)
    unet = UNet2DConditionModel(
        block_out_channels=(4, 8), layers_per_block=1, sample_size=32, in_channels=4, out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"), cross_attention_dim=32, norm_num_groups=2,
        **unet)
    scheduler = DDIMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                              clip_sample=False, set_alpha_to_one=False, **scheduler)
    torch.manual_seed(0)
    vae = AutoencoderKL(
        block_out_channels=[4, 8], in_channels=3, out_channels=3,
        down_block_types=["DownEncoderBlock2D", "DownEncoderBlock2D"],
        up_block_types=["UpDecoderBlock2D", "UpDecoderBlock2D"], latent_channels=4, norm_num_groups=2)
    torch.manual_seed(0)
    text_encoder = CLIPTextModel(CLIPTextConfig(
        bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id, hidden_size=32,
        layer_norm_eps=1e-05, pad_token_id=tokenizer.pad_token_id, vocab_size=len(tokenizer), **text))
    pipe = StableDiffusionPipeline(
        unet=unet, scheduler=scheduler, vae=vae, text_encoder=text_encoder, tokenizer=tokenizer,
        safety_checker=None, feature_extractor=None, requires_safety_checker=False)
    return pipe, [64, 64]


ARCHITECTURES = {"sd1-tiny": sd1_tiny, "sd2-tiny": sd2_tiny}

if __name__ == "__main__":
    main()
