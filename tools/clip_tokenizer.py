#!/usr/bin/env python3
"""The real CLIP tokenizer, built offline, and transformers' token ids to hold the engine to.

CLIP's byte-level BPE vocabulary ships inside open-clip-torch (bpe_simple_vocab_16e6.txt.gz). From
it this script builds vocab.json and merges.txt exactly as CLIP's own SimpleTokenizer lays them out
(256 byte symbols, the same with "</w>", 48,894 merges, then <|startoftext|> and <|endoftext|>:
49,408 ids), loads them into transformers' CLIPTokenizer (the tokenizer diffusers' Stable Diffusion
pipelines use) and its fast twin; export_diffusers.py writes the fast one as a bundle's
tokenizer.json, the Hugging Face tokenizers format the engine reads (the tiny SD 1.x test bundle
holds it). For a prompt set with punctuation, unicode, emoji and prompts
longer than the 77-token window it records CLIPTokenizer's ids as Stable Diffusion feeds them
(padding to 77, truncation), padded with <|endoftext|> (SD 1.x) and with id 0 (SD 2.x, SDXL's
second encoder).

Usage: "$(tools/python-env.sh)" tools/clip_tokenizer.py
(writes engine/src/test/resources/clip/clip-token-ids.json)
"""
import gzip
import json
import os
import tempfile

import open_clip
from transformers import CLIPTokenizer, CLIPTokenizerFast

WINDOW = 77
PROMPTS = [
    "",
    "a photograph of an astronaut riding a horse",
    "A Photograph Of An ASTRONAUT, riding a horse!!!",
    "portrait of a cat, 85mm, f/1.8, (masterpiece:1.2), [highly detailed], {sharp}",
    "a café in Zürich at dusk — naïve art, façade, crème brûlée",
    "東京の夜景、ネオン、雨",
    "a dragon 🐉 breathing fire 🔥 over a castle 🏰",
    "  leading and   trailing   spaces\tand\ttabs\nnewlines  ",
    "don't stop, it's 3:45pm & we're at 100% — ok?",
    "!!!",
    "an oil painting of " + "a very long prompt that goes on and on " * 12,
    "<|endoftext|> is a special token written as text",
    "e=mc^2; x<y>z; a|b; ~tilde~; `code`; \"quotes\"; 'single'",
    "Ελληνικά και русский текст и العربية",
]


def bytes_to_unicode():
    """CLIP's reversible map from bytes to printable unicode characters."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) \
        + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def vocabulary():
    path = os.path.join(os.path.dirname(open_clip.__file__), "bpe_simple_vocab_16e6.txt.gz")
    lines = gzip.open(path).read().decode("utf-8").split("\n")
    merges = [tuple(line.split()) for line in lines[1:49152 - 256 - 2 + 1]]
    tokens = list(bytes_to_unicode().values())
    tokens = tokens + [t + "</w>" for t in tokens]
    tokens += ["".join(m) for m in merges]
    tokens += ["<|startoftext|>", "<|endoftext|>"]
    return {t: i for i, t in enumerate(tokens)}, merges


def clip_tokenizer(fast=False, pad_token="<|endoftext|>"):
    """transformers' CLIPTokenizer (or its fast twin) on CLIP's own vocabulary."""
    vocab, merges = vocabulary()
    with tempfile.TemporaryDirectory() as tmp:
        vocab_file = os.path.join(tmp, "vocab.json")
        merges_file = os.path.join(tmp, "merges.txt")
        with open(vocab_file, "w", encoding="utf-8") as f:
            json.dump(vocab, f, ensure_ascii=False)
        with open(merges_file, "w", encoding="utf-8") as f:
            f.write("#version: 0.2\n" + "\n".join(" ".join(m) for m in merges) + "\n")
        return (CLIPTokenizerFast if fast else CLIPTokenizer)(
            vocab_file, merges_file, model_max_length=WINDOW, pad_token=pad_token)


def main():
    here = os.path.dirname(__file__)
    out = os.path.join(here, "..", "engine", "src", "test", "resources", "clip")
    os.makedirs(out, exist_ok=True)
    slow = clip_tokenizer()
    fast = clip_tokenizer(fast=True)
    vocab = slow.get_vocab()
    cases = []
    for prompt in PROMPTS:
        ids = slow(prompt, padding="max_length", max_length=WINDOW, truncation=True).input_ids
        unpadded = slow(prompt).input_ids
        assert fast(prompt).input_ids == unpadded, prompt
        length = min(len(unpadded), WINDOW)
        cases.append(dict(prompt=prompt, truncated=len(unpadded) > WINDOW,
                          sd1=ids, sd2=ids[:length] + [0] * (WINDOW - length)))
    with open(os.path.join(out, "clip-token-ids.json"), "w", encoding="utf-8") as f:
        json.dump(dict(vocab_size=len(vocab), window=WINDOW,
                       pad_sd1=slow.convert_tokens_to_ids("<|endoftext|>"), pad_sd2=0,
                       cases=cases), f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{len(vocab)} tokens, {len(cases)} prompts written to {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
