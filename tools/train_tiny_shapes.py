"""Train the tiny-shapes latent diffusion model on CPU and write its bundle.

    /usr/bin/python3 tools/train_tiny_shapes.py [--out DIR]

Stages: procedural data -> word-level tokenizer -> VAE (64x64x3 <-> 16x16x4) -> latents ->
text encoder + conditional UNet (epsilon prediction, scaled_linear betas, 10% empty captions for
classifier-free guidance, EMA) -> TorchScript export through bundle_writer -> DDIM evaluation
of the exported bundle with the shapes judge. Data, initialisation, batches and noise are seeded.
"""
import argparse
import copy
import math
import sys
import time
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
import shapes_judge  # noqa: E402
from bundle_writer import load_bundle, verify_bundle, write_bundle  # noqa: E402
from shapes_data import caption_words, dataset  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "engine/src/main/resources/models/tiny-shapes"
MAX_LENGTH, HIDDEN, LATENT_CHANNELS, DOWNSCALE, SIDE = 16, 64, 4, 4, 64
PAD_ID, UNK_ID = 0, 1
SCHEDULER = {"num_train_timesteps": 1000, "beta_start": 0.00085, "beta_end": 0.012,
             "beta_schedule": "scaled_linear", "prediction_type": "epsilon", "steps_offset": 1}
START = time.time()


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} +{time.time() - START:6.0f}s] {message}", flush=True)


# ---------------------------------------------------------------- tokenizer

def tokenizer_json() -> dict:
    """A Hugging Face `tokenizers` WordLevel tokenizer over every caption word."""
    vocab = {"[PAD]": PAD_ID, "[UNK]": UNK_ID}
    for word in caption_words():
        vocab[word] = len(vocab)
    special = [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                "normalized": False, "special": True} for t, i in (("[PAD]", PAD_ID), ("[UNK]", UNK_ID))]
    return {"version": "1.0", "truncation": None, "padding": None, "added_tokens": special,
            "normalizer": {"type": "Lowercase"}, "pre_tokenizer": {"type": "Whitespace"},
            "post_processor": None, "decoder": None,
            "model": {"type": "WordLevel", "vocab": vocab, "unk_token": "[UNK]"}}


# ---------------------------------------------------------------- models

class Attention(nn.Module):
    """Multi-head attention, channels first: x [B, dim, N] attends over context [B, context_dim, M].

    Projections are 1x1 convolutions and the per-(sample, head) products are grouped 1x1
    convolutions: on CPU builds with a generic BLAS, Linear and bmm are ~10x slower than oneDNN
    convolutions. The math is plain softmax(q k^T / sqrt(d)) v."""

    def __init__(self, dim: int, context_dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.q = nn.Conv1d(dim, dim, 1, bias=False)
        self.k = nn.Conv1d(context_dim, dim, 1, bias=False)
        self.v = nn.Conv1d(context_dim, dim, 1, bias=False)
        self.out = nn.Conv1d(dim, dim, 1)

    def forward(self, x, context):
        b, c, n = x.shape
        m = context.shape[2]
        g = b * self.heads
        d = c // self.heads
        q = self.q(x).reshape(1, b * c, n)
        k = self.k(context).reshape(g, d, m).transpose(1, 2).reshape(g * m, d, 1)
        v = self.v(context).reshape(g * d, m, 1)
        scores = F.conv1d(q, k, groups=g).reshape(g, m, n) * d ** -0.5
        weights = torch.softmax(scores, dim=1).reshape(1, g * m, n)
        return self.out(F.conv1d(weights, v, groups=g).reshape(b, c, n))


class TransformerBlock(nn.Module):
    """Pre-norm self-attention + MLP over channels-first tokens [B, C, N]."""

    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Conv1d(dim, 4 * dim, 1), nn.GELU(), nn.Conv1d(4 * dim, dim, 1))

    def forward(self, x):
        h = self.norm1(x.transpose(1, 2)).transpose(1, 2)
        x = x + self.attn(h, h)
        return x + self.mlp(self.norm2(x.transpose(1, 2)).transpose(1, 2))


class TextEncoder(nn.Module):
    """input_ids [B, 16] int64 -> [B, 16, 64]: token + learned position embeddings, transformer
    blocks without attention mask, final LayerNorm."""

    def __init__(self, vocab_size: int, layers: int = 2, heads: int = 4):
        super().__init__()
        self.token = nn.Embedding(vocab_size, HIDDEN)
        self.position = nn.Embedding(MAX_LENGTH, HIDDEN)
        self.register_buffer("position_ids", torch.arange(MAX_LENGTH).unsqueeze(0))
        self.blocks = nn.Sequential(*[TransformerBlock(HIDDEN, heads) for _ in range(layers)])
        self.norm = nn.LayerNorm(HIDDEN)

    def forward(self, input_ids):
        x = self.token(input_ids) + self.position(self.position_ids)
        return self.norm(self.blocks(x.transpose(1, 2)).transpose(1, 2))


class ResBlock(nn.Module):
    def __init__(self, cin: int, cout: int, tdim: int):
        super().__init__()
        self.norm1 = nn.GroupNorm(16, cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.temb = nn.Linear(tdim, cout)
        self.norm2 = nn.GroupNorm(16, cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, temb):
        h = self.conv1(F.silu(self.norm1(x))) + self.temb(temb)[:, :, None, None]
        return self.skip(x) + self.conv2(F.silu(self.norm2(h)))


class CrossAttention(nn.Module):
    def __init__(self, channels: int, heads: int = 4):
        super().__init__()
        self.norm = nn.GroupNorm(16, channels)
        self.attn = Attention(channels, HIDDEN, heads)

    def forward(self, x, context):
        b, c, h, w = x.shape
        return x + self.attn(self.norm(x).reshape(b, c, h * w), context).reshape(b, c, h, w)


class UNet(nn.Module):
    """sample [B, 4, 16, 16], timestep [B], encoder_hidden_states [B, 16, 64] -> epsilon [B, 4, 16, 16].
    Levels 16x16 -> 8x8 -> 4x4; a ResBlock + cross-attention per level on the way down and up.
    Text reaches the UNet only through cross-attention: a pooled text term lets colors skip the
    word-to-shape binding (see docs/tiny-shapes.md)."""

    def __init__(self, channels=(64, 128, 128)):
        super().__init__()
        c1, c2, c3 = channels
        tdim = 4 * c1
        half = c1 // 2
        self.register_buffer("freqs", torch.exp(-math.log(10000) * torch.arange(half, dtype=torch.float32) / half))
        self.time_mlp = nn.Sequential(nn.Linear(c1, tdim), nn.SiLU(), nn.Linear(tdim, tdim))
        self.conv_in = nn.Conv2d(LATENT_CHANNELS, c1, 3, padding=1)
        self.down = nn.ModuleList([ResBlock(c1, c1, tdim), ResBlock(c1, c2, tdim), ResBlock(c2, c3, tdim)])
        self.down_attn = nn.ModuleList([CrossAttention(c) for c in (c1, c2, c3)])
        self.downsample = nn.ModuleList([nn.Conv2d(c1, c1, 3, 2, 1), nn.Conv2d(c2, c2, 3, 2, 1), nn.Identity()])
        self.mid = nn.ModuleList([ResBlock(c3, c3, tdim), ResBlock(c3, c3, tdim)])
        self.mid_attn = CrossAttention(c3)
        self.up = nn.ModuleList([ResBlock(2 * c3, c3, tdim), ResBlock(c3 + c2, c2, tdim), ResBlock(c2 + c1, c1, tdim)])
        self.up_attn = nn.ModuleList([CrossAttention(c) for c in (c3, c2, c1)])
        self.upsample = nn.ModuleList([nn.Upsample(scale_factor=2.0), nn.Upsample(scale_factor=2.0), nn.Identity()])
        self.norm_out = nn.GroupNorm(16, c1)
        self.conv_out = nn.Conv2d(c1, LATENT_CHANNELS, 3, padding=1)
        nn.init.zeros_(self.conv_out.weight)
        nn.init.zeros_(self.conv_out.bias)

    def forward(self, sample, timestep, encoder_hidden_states):
        context = encoder_hidden_states.transpose(1, 2)
        angles = timestep[:, None] * self.freqs[None, :]
        temb = self.time_mlp(torch.cat([torch.cos(angles), torch.sin(angles)], dim=1))
        x = self.conv_in(sample)
        skips = []
        for block, attn, down in zip(self.down, self.down_attn, self.downsample):
            x = attn(block(x, temb), context)
            skips.append(x)
            x = down(x)
        x = self.mid[1](self.mid_attn(self.mid[0](x, temb), context), temb)
        for block, attn, up in zip(self.up, self.up_attn, self.upsample):
            x = up(attn(block(torch.cat([x, skips.pop()], dim=1), temb), context))
        return self.conv_out(F.silu(self.norm_out(x)))


def conv(cin: int, cout: int, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(cin, cout, 3, stride=stride, padding=1)


class VAEEncoder(nn.Module):
    """Image [B, 3, 64, 64] in [-1, 1] -> latent mean and log-variance [B, 4, 16, 16] each."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(conv(3, 32), nn.SiLU(), conv(32, 32, 2), nn.SiLU(), conv(32, 64), nn.SiLU(),
                                 conv(64, 64, 2), nn.SiLU(), conv(64, 64), nn.SiLU(), conv(64, 2 * LATENT_CHANNELS))

    def forward(self, image):
        mean, logvar = self.net(image).chunk(2, dim=1)
        return mean, logvar


class LatentMean(nn.Module):
    """The exported vae_encoder: the deterministic mean only."""

    def __init__(self, encoder: VAEEncoder):
        super().__init__()
        self.encoder = encoder

    def forward(self, image):
        return self.encoder(image)[0]


def vae_decoder() -> nn.Sequential:
    """Latents [B, 4, 16, 16] -> image [B, 3, 64, 64] in [-1, 1]."""
    up = nn.Upsample(scale_factor=2.0, mode="nearest")
    return nn.Sequential(conv(LATENT_CHANNELS, 64), nn.SiLU(), conv(64, 64), nn.SiLU(), up, conv(64, 64), nn.SiLU(),
                         conv(64, 32), nn.SiLU(), up, conv(32, 32), nn.SiLU(), conv(32, 3), nn.Tanh())


# ---------------------------------------------------------------- training

def to_model_images(images: torch.Tensor) -> torch.Tensor:
    """uint8 [B, H, W, 3] -> float [B, 3, H, W] in [-1, 1]."""
    return images.permute(0, 3, 1, 2).float() / 127.5 - 1


def schedule(optimizer, steps: int, warmup: int):
    """Linear warmup, then cosine decay to 10%."""
    def factor(step):
        if step < warmup:
            return (step + 1) / warmup
        return 0.1 + 0.45 * (1 + math.cos(math.pi * (step - warmup) / max(1, steps - warmup)))
    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def train_vae(images: torch.Tensor, args):
    encoder, decoder = VAEEncoder().to(args.device), vae_decoder().to(args.device)
    params = list(encoder.parameters()) + list(decoder.parameters())
    optimizer = torch.optim.AdamW(params, lr=args.vae_lr, weight_decay=0.0)
    lr = schedule(optimizer, args.vae_steps, 100)
    for step in range(args.vae_steps):
        x = to_model_images(images[torch.randint(len(images), (args.vae_batch,))]).to(args.device)
        mean, logvar = encoder(x)
        logvar = logvar.clamp(-20, 10)
        z = mean + torch.randn_like(mean) * (0.5 * logvar).exp()
        mse = F.mse_loss(decoder(z), x)
        kl = 0.5 * (mean ** 2 + logvar.exp() - 1 - logvar).mean()
        loss = mse + args.kl_weight * kl
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        lr.step()
        if step % 200 == 0 or step == args.vae_steps - 1:
            log(f"vae step {step}: mse {mse.item():.5f} kl {kl.item():.3f}")
    return encoder.eval().cpu(), decoder.eval().cpu()


@torch.no_grad()
def encode_all(encoder: VAEEncoder, images: torch.Tensor, batch: int = 500) -> torch.Tensor:
    return torch.cat([encoder(to_model_images(images[i:i + batch]))[0] for i in range(0, len(images), batch)])


@torch.no_grad()
def ema_update(ema: nn.Module, model: nn.Module, decay: float) -> None:
    for e, p in zip(ema.parameters(), model.parameters()):
        e.mul_(decay).add_(p, alpha=1 - decay)


def train_diffusion(latents: torch.Tensor, ids: torch.Tensor, vocab_size: int, args, evaluate):
    """Text encoder + UNet, epsilon prediction. Returns the EMA copies."""
    text_encoder = TextEncoder(vocab_size, layers=args.text_layers).to(args.device)
    unet = UNet(tuple(args.channels)).to(args.device)
    latents, ids = latents.to(args.device), ids.to(args.device)
    ema_text_encoder, ema_unet = copy.deepcopy(text_encoder).eval(), copy.deepcopy(unet).eval()
    log(f"unet {sum(p.numel() for p in unet.parameters()) / 1e6:.2f}M params, "
        f"text encoder {sum(p.numel() for p in text_encoder.parameters()) / 1e6:.2f}M")
    params = list(text_encoder.parameters()) + list(unet.parameters())
    optimizer = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    lr = schedule(optimizer, args.steps, 200)
    alphas = shapes_judge.alphas_cumprod(SCHEDULER).float().to(args.device)
    running = 0.0
    for step in range(args.steps):
        index = torch.randint(len(latents), (args.batch,)).to(args.device)
        x0, tokens = latents[index], ids[index].clone()
        tokens[(torch.rand(args.batch) < args.caption_dropout).to(args.device)] = PAD_ID
        t = torch.randint(SCHEDULER["num_train_timesteps"], (args.batch,)).to(args.device)
        noise = torch.randn_like(x0)
        a = alphas[t].view(-1, 1, 1, 1)
        pred = unet(a.sqrt() * x0 + (1 - a).sqrt() * noise, t.float(), text_encoder(tokens))
        snr = a.flatten() / (1 - a.flatten())
        weight = snr.clamp(max=args.min_snr_gamma) / snr  # Min-SNR weighting: faster convergence
        loss = (weight * (pred - noise).pow(2).mean(dim=(1, 2, 3))).mean()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        lr.step()
        decay = min(args.ema, (1 + step) / (10 + step))
        ema_update(ema_text_encoder, text_encoder, decay)
        ema_update(ema_unet, unet, decay)
        running += loss.item()
        if (step + 1) % 100 == 0:
            log(f"unet step {step + 1}/{args.steps}: loss {running / 100:.4f} lr {lr.get_last_lr()[0]:.2e}")
            running = 0.0
        if args.eval_every and (step + 1) % args.eval_every == 0 and step + 1 < args.steps:
            log(f"eval (EMA, 1 seed per combination): {evaluate(copy.deepcopy(ema_text_encoder).cpu(), copy.deepcopy(ema_unet).cpu())}")
    return ema_text_encoder.cpu(), ema_unet.cpu()


# ---------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(DEFAULT_OUT))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--images", type=int, default=30000)
    parser.add_argument("--vae-steps", type=int, default=1000)
    parser.add_argument("--vae-batch", type=int, default=32)
    parser.add_argument("--vae-lr", type=float, default=1e-3)
    parser.add_argument("--kl-weight", type=float, default=3e-4)
    parser.add_argument("--channels", type=int, nargs=3, default=[64, 128, 128])
    parser.add_argument("--text-layers", type=int, default=2)
    parser.add_argument("--steps", type=int, default=8000)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--ema", type=float, default=0.999)
    parser.add_argument("--min-snr-gamma", type=float, default=5.0)
    parser.add_argument("--caption-dropout", type=float, default=0.1)
    parser.add_argument("--eval-every", type=int, default=2000, help="quick judge of the EMA model (0: never)")
    parser.add_argument("--grid", default="/tmp/tiny-shapes-grid.png")
    parser.add_argument("--device", default="cpu", help="training device; export and judging run on CPU")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    log(f"args: {vars(args)}")

    images, captions, _ = dataset(args.seed, args.images)
    images = torch.from_numpy(images)
    tokenizer = tokenizer_json()
    ids = torch.tensor([shapes_judge.tokenize(tokenizer, c, MAX_LENGTH, PAD_ID) for c in captions])
    log(f"{len(images)} images, vocabulary of {len(tokenizer['model']['vocab'])}")

    held_out = to_model_images(torch.from_numpy(dataset(args.seed + 1, 500)[0]))
    encoder, decoder = train_vae(images, args)
    with torch.no_grad():
        log(f"vae reconstruction mse on held-out images: {F.mse_loss(decoder(encoder(held_out)[0]), held_out).item():.5f}")
    latents = encode_all(encoder, images)
    scaling_factor = float(f"{1 / latents.std().item():.5g}")
    latents *= scaling_factor
    log(f"latent std {1 / scaling_factor:.4f} -> scaling_factor {scaling_factor}, mean {latents.mean():.3f}")

    sections = {
        "text": {"max_length": MAX_LENGTH, "hidden_size": HIDDEN, "pad_token_id": PAD_ID},
        "latent": {"channels": LATENT_CHANNELS, "downscale_factor": DOWNSCALE, "scaling_factor": scaling_factor},
        "image": {"default_width": SIDE, "default_height": SIDE, "allowed_sizes": [[SIDE, SIDE]]},
        "scheduler": SCHEDULER,
        "defaults": {"steps": 20, "guidance_scale": 5.0, "sampler": "ddim"},
    }
    pipeline = {"manifest": sections, "tokenizer": tokenizer, "vae_decoder": decoder}

    def evaluate(text_encoder, unet, seeds=1):
        return shapes_judge.evaluate({**pipeline, "text_encoder": text_encoder, "unet": unet}, seeds)

    text_encoder, unet = train_diffusion(latents, ids, len(tokenizer["model"]["vocab"]), args, evaluate)

    log("exporting (torch.jit.script)")
    eager = {"text_encoder": text_encoder, "unet": unet, "vae_decoder": decoder, "vae_encoder": LatentMean(encoder)}
    with torch.no_grad():
        inputs = {"text_encoder": (ids[:3],),
                  "unet": (latents[:3], torch.tensor([1.0, 500.0, 951.0]), text_encoder(ids[:3])),
                  "vae_decoder": (latents[:3] / scaling_factor,),
                  "vae_encoder": (held_out[:3],)}
        examples = {k: (x, eager[k](*x)) for k, x in inputs.items()}
    write_bundle(args.out, name="tiny-shapes", version="1.0.0", kind="latent-diffusion",
                 components={k: torch.jit.script(m) for k, m in eager.items()}, tokenizer=tokenizer, **sections)
    log(f"reloaded bundle matches eager outputs: {verify_bundle(args.out, examples)}")

    accuracy = shapes_judge.evaluate(load_bundle(args.out), seeds_per_combination=2, grid_path=args.grid)
    log(f"judge of the exported bundle (DDIM 20 steps, guidance 5): "
        + " ".join(f"{k} {v:.1%}" for k, v in accuracy.items()) + f"; samples in {args.grid}")


if __name__ == "__main__":
    main()
