#!/usr/bin/env python3
"""Reference values for dev.durablediffusion.cpu.upscale.LanczosResampler.

Independent numpy float64 implementation of separable Lanczos-3 resampling written as matrix
products: out = Wy @ img @ Wx.T, where W (out x in) holds, for output pixel i centred at input
coordinate c = (i + 0.5) * in / out, the weights L((j + 0.5 - c) / f) of the input pixels j,
f = max(in / out, 1) (the kernel is widened when shrinking), L(x) = sinc(x) sinc(x / 3) on |x| < 3.
Taps outside the image are folded onto the nearest edge pixel (edge clamping) and each row of W is
normalised to sum to 1. The rounded expectation is floor(v + 0.5) clamped to 0..255.

Usage: python3 tools/lanczos_reference.py  (writes
activities-cpu/src/test/resources/lanczos-reference.json)
"""
import json
import os

import numpy as np

A = 3


def lanczos(x):
    x = np.asarray(x, dtype=np.float64)
    return np.where(np.abs(x) < A, np.sinc(x) * np.sinc(x / A), 0.0)


def weight_matrix(n_in, n_out):
    scale = n_in / n_out
    f = max(scale, 1.0)
    W = np.zeros((n_out, n_in))
    for i in range(n_out):
        c = (i + 0.5) * scale
        j = np.arange(int(np.floor(c - A * f)) - 2, int(np.ceil(c + A * f)) + 2)
        w = lanczos((j + 0.5 - c) / f)
        np.add.at(W[i], np.clip(j, 0, n_in - 1), w)
        W[i] /= W[i].sum()
    return W


def resize(plane, w_out, h_out):
    h_in, w_in = plane.shape
    return weight_matrix(h_in, h_out) @ plane @ weight_matrix(w_in, w_out).T


def source_image():
    """5x4 RGB: red a gradient, green a gradient with a sharp feature, blue seeded noise."""
    h, w = 4, 5
    yy, xx = np.mgrid[0:h, 0:w]
    red = np.round(255.0 * (xx + yy) / (w + h - 2))
    green = np.round(40.0 + 30.0 * xx)
    green[1:3, 2] = 250.0
    blue = np.random.default_rng(1234).integers(0, 256, size=(h, w)).astype(np.float64)
    return [red, green, blue]


def main():
    src = source_image()
    h, w = src[0].shape
    cases = []
    for (dw, dh) in [(13, 9), (3, 2), (20, 16), (5, 4), (9, 2), (1, 1)]:
        out = [resize(p, dw, dh) for p in src]
        rounded = [np.clip(np.floor(o + 0.5), 0, 255).astype(int) for o in out]
        cases.append({
            "dst_width": dw,
            "dst_height": dh,
            "expected": [o.ravel().tolist() for o in out],
            "expected_rgb": [r.ravel().tolist() for r in rounded],
        })
    doc = {
        "generator": "tools/lanczos_reference.py",
        "src_width": w,
        "src_height": h,
        "src": [p.astype(int).ravel().tolist() for p in src],
        "cases": cases,
    }
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(root, "activities-cpu", "src", "test", "resources", "lanczos-reference.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {path}")


if __name__ == "__main__":
    main()
