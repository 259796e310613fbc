#!/usr/bin/env python3
"""Reference vectors for the Java samplers (dev.durablediffusion.engine.sampler).

An independent float64 implementation written from the published formulas, not from the Java:

* DDIM: Song et al. 2020, "Denoising Diffusion Implicit Models", eq. (12) and (16), in the
  variance-preserving form x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps.
* Euler ancestral: Karras et al. 2022 / k-diffusion (``sample_euler_ancestral``,
  ``get_ancestral_step``), in the variance-exploding form x = x0 + sigma eps, the network seeing
  c_in x with c_in = 1 / sqrt(sigma^2 + 1) (v-prediction via the sigma_data = 1 preconditioning
  c_skip = 1 / (sigma^2 + 1), c_out = -sigma / sqrt(sigma^2 + 1)).
* DPM-Solver++(2M): Lu et al. 2022, "DPM-Solver++", Algorithm 2, as written in k-diffusion's
  ``sample_dpmpp_2m`` (variance-exploding form, t = -log sigma), with Karras et al. eq. (5)
  sigmas (rho = 7). The Java sampler keeps the sample in the variance-preserving form
  x_vp = alpha x_ve, alpha = 1 / sqrt(sigma^2 + 1); this script converts at the boundary.

Schedule choices (documented in the Java classes): DDIM "leading" spacing with steps_offset,
final alpha = abar_0; Euler ancestral "linspace" spacing over [0, T-1] with interpolated sigmas and
a final 0; DPM++ 2M Karras with sigmas mapped back to *fractional* timesteps by interpolating t in
log sigma, final sigma 0, the first and last step first order. Deliberate deviation from
diffusers: with steps == 1 DDIM and Euler ancestral use the single timestep T-1.

Inputs (sample, model output, noise) are float32-representable so that the Java side, which takes
float[], sees exactly the same numbers; outputs are full float64.

Usage: python3 tools/sampler_reference.py  (writes
engine/src/test/resources/sampler-reference.json)
"""
import json
import os

import numpy as np

N = 16  # elements per vector
STEPS = [1, 4, 20, 50]
CONFIGS = {
    "scaled_linear_epsilon": dict(num_train_timesteps=1000, beta_start=0.00085, beta_end=0.012,
                                  beta_schedule="scaled_linear", prediction_type="epsilon",
                                  steps_offset=1),
    "linear_v_prediction": dict(num_train_timesteps=1000, beta_start=0.0001, beta_end=0.02,
                                beta_schedule="linear", prediction_type="v_prediction",
                                steps_offset=0),
}


def f32(a):
    """Round to float32 values, keep as float64."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def alphas_bar(cfg):
    T = cfg["num_train_timesteps"]
    if cfg["beta_schedule"] == "linear":
        beta = np.linspace(cfg["beta_start"], cfg["beta_end"], T)
    elif cfg["beta_schedule"] == "scaled_linear":
        beta = np.linspace(np.sqrt(cfg["beta_start"]), np.sqrt(cfg["beta_end"]), T) ** 2
    else:
        raise ValueError(cfg["beta_schedule"])
    return np.cumprod(1.0 - beta)


def ve_sigmas(abar):
    return np.sqrt((1.0 - abar) / abar)


# ---------------------------------------------------------------- DDIM (VP form)

class Ddim:
    name = "ddim"

    def __init__(self, cfg, steps, eta):
        self.cfg, self.eta = cfg, eta
        self.abar = alphas_bar(cfg)
        T = cfg["num_train_timesteps"]
        if steps == 1:
            self.ts = np.array([T - 1.0])
            self.jump = T
        else:
            self.jump = T // steps
            self.ts = (np.arange(steps)[::-1] * self.jump + cfg["steps_offset"]).astype(np.float64)
        self.sigmas = None
        self.init_noise_sigma = 1.0

    def _abars(self, i):
        t = int(self.ts[i])
        s = t - self.jump
        return self.abar[t], (self.abar[s] if s >= 0 else self.abar[0])

    def scale(self, x, i):
        return x

    def eps_x0(self, x, out, a):
        if self.cfg["prediction_type"] == "epsilon":
            eps = out
            x0 = (x - np.sqrt(1 - a) * eps) / np.sqrt(a)
        else:  # v = sqrt(a) eps - sqrt(1-a) x0, x = sqrt(a) x0 + sqrt(1-a) eps
            x0 = np.sqrt(a) * x - np.sqrt(1 - a) * out
            eps = np.sqrt(1 - a) * x + np.sqrt(a) * out
        return eps, x0

    def step(self, out, i, x, z):
        a, a_prev = self._abars(i)
        eps, x0 = self.eps_x0(x, out, a)
        # eq. (16): sigma_t(eta)
        sig = self.eta * np.sqrt((1 - a_prev) / (1 - a)) * np.sqrt(1 - a / a_prev)
        res = np.sqrt(a_prev) * x0 + np.sqrt(1 - a_prev - sig ** 2) * eps
        if sig > 0:
            res = res + sig * z
        return res

    def add_noise(self, x0, n, i):
        a = self.abar[int(self.ts[i])]
        return np.sqrt(a) * x0 + np.sqrt(1 - a) * n

    def uses_noise(self, i):
        a, a_prev = self._abars(i)
        return self.eta > 0


# ---------------------------------------------------------------- Euler ancestral (VE form)

def denoise_ve(pred, x_ve, sigma, v_pred):
    if not v_pred:
        return x_ve - sigma * pred
    c_skip = 1.0 / (sigma ** 2 + 1.0)
    c_out = -sigma / np.sqrt(sigma ** 2 + 1.0)
    return c_skip * x_ve + c_out * pred


class EulerA:
    name = "euler_a"

    def __init__(self, cfg, steps, eta):
        self.cfg = cfg
        T = cfg["num_train_timesteps"]
        table = ve_sigmas(alphas_bar(cfg))
        if steps == 1:
            self.ts = np.array([T - 1.0])
        else:
            self.ts = np.linspace(0.0, T - 1.0, steps)[::-1].copy()
        self.sigmas = np.append(np.interp(self.ts, np.arange(T), table), 0.0)
        self.init_noise_sigma = float(self.sigmas.max())
        self.v = cfg["prediction_type"] == "v_prediction"

    def scale(self, x, i):
        return x / np.sqrt(self.sigmas[i] ** 2 + 1.0)

    def ancestral(self, s_from, s_to):
        up = min(s_to, np.sqrt(s_to ** 2 * (s_from ** 2 - s_to ** 2) / s_from ** 2))
        down = np.sqrt(s_to ** 2 - up ** 2)
        return down, up

    def step(self, out, i, x, z):
        s, s_next = self.sigmas[i], self.sigmas[i + 1]
        den = denoise_ve(out, x, s, self.v)
        down, up = self.ancestral(s, s_next)
        d = (x - den) / s
        x = x + d * (down - s)
        return x + z * up if up > 0 else x

    def add_noise(self, x0, n, i):
        return x0 + self.sigmas[i] * n

    def uses_noise(self, i):
        return self.ancestral(self.sigmas[i], self.sigmas[i + 1])[1] > 0


# ---------------------------------------------------------------- DPM-Solver++(2M), Karras sigmas

class DpmPP2MKarras:
    name = "dpmpp_2m_karras"

    def __init__(self, cfg, steps, eta):
        self.cfg = cfg
        T = cfg["num_train_timesteps"]
        table = ve_sigmas(alphas_bar(cfg))
        smin, smax, rho = table[0], table[-1], 7.0
        ramp = np.linspace(0.0, 1.0, steps)
        karras = (smax ** (1 / rho) + ramp * (smin ** (1 / rho) - smax ** (1 / rho))) ** rho
        self.ts = np.interp(np.log(karras), np.log(table), np.arange(T, dtype=np.float64))
        self.sigmas = np.append(karras, 0.0)
        self.init_noise_sigma = 1.0
        self.v = cfg["prediction_type"] == "v_prediction"
        self.old = None  # previous denoised (VE data prediction)

    def reset(self):
        self.old = None

    def scale(self, x, i):
        return x

    def step(self, out, i, x_vp, z):
        s, s_next = self.sigmas[i], self.sigmas[i + 1]
        alpha = 1.0 / np.sqrt(s ** 2 + 1.0)
        x = x_vp / alpha  # to VE; the network saw c_in * x = x_vp
        den = denoise_ve(out, x, s, self.v)
        if s_next == 0:
            x_next = den
        else:
            t, t_next = -np.log(s), -np.log(s_next)
            h = t_next - t
            if self.old is None:
                d = den
            else:
                h_last = t - (-np.log(self.sigmas[i - 1]))
                r = h_last / h
                d = (1 + 1 / (2 * r)) * den - (1 / (2 * r)) * self.old
            x_next = (s_next / s) * x - np.expm1(-h) * d
        self.old = den
        return x_next / np.sqrt(s_next ** 2 + 1.0)  # back to VP

    def add_noise(self, x0, n, i):
        s = self.sigmas[i]
        return (x0 + s * n) / np.sqrt(s ** 2 + 1.0)

    def uses_noise(self, i):
        return False


SAMPLERS = [Ddim, EulerA, DpmPP2MKarras]


def vec(rng, scale=1.0):
    return f32(rng.standard_normal(N) * scale)


def case(cls, cfg_name, steps, eta, rng):
    cfg = CONFIGS[cfg_name]
    s = cls(cfg, steps, eta)
    c = {
        "sampler": cls.name,
        "config": cfg_name,
        "scheduler": cfg,
        "eta": eta,
        "steps": steps,
        "timesteps": s.ts.tolist(),
        "init_noise_sigma": float(s.init_noise_sigma),
    }
    if s.sigmas is not None:
        c["sigmas"] = s.sigmas.tolist()
    starts = sorted({0, steps // 2, steps - 1})
    seqs = []
    if cls is DpmPP2MKarras:
        pair_starts = sorted({0, steps // 2, steps - 2}) if steps >= 2 else [0]
        for k in pair_starts:
            if k < 0 or k > steps - 1:
                continue
            s.reset()
            seq = []
            x = vec(rng, 1.0)
            for i in range(k, min(k + 2, steps)):
                out = vec(rng)
                y = s.step(out, i, x, None)
                seq.append({"index": i, "sample": x.tolist(), "model_output": out.tolist(),
                            "noise": None, "scaled_input": s.scale(x, i).tolist(),
                            "output": y.tolist()})
                x = f32(y)  # the Java side hands float[] to the next step
            seqs.append(seq)
    else:
        for i in starts:
            sc = np.sqrt(s.sigmas[i] ** 2 + 1.0) if s.sigmas is not None else 1.0
            x = vec(rng, sc)
            out = vec(rng)
            z = vec(rng) if s.uses_noise(i) else None
            y = s.step(out, i, x, z)
            seqs.append([{"index": i, "sample": x.tolist(), "model_output": out.tolist(),
                          "noise": None if z is None else z.tolist(),
                          "scaled_input": s.scale(x, i).tolist(), "output": y.tolist()}])
    c["sequences"] = seqs
    adds = []
    for i in starts:
        x0, n = vec(rng), vec(rng)
        adds.append({"index": i, "original": x0.tolist(), "noise": n.tolist(),
                     "output": s.add_noise(x0, n, i).tolist()})
    c["add_noise"] = adds
    return c


def main():
    rng = np.random.default_rng(20240607)
    cases = []
    for cls in SAMPLERS:
        for cfg_name in CONFIGS:
            for steps in STEPS:
                cases.append(case(cls, cfg_name, steps, 0.0, rng))
    for cfg_name in CONFIGS:  # stochastic DDIM
        for steps in (4, 20):
            cases.append(case(Ddim, cfg_name, steps, 0.5, rng))
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.path.join(root, "activities-gpu", "src", "test", "resources", "sampler-reference.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump({"generator": "tools/sampler_reference.py", "numpy": np.__version__,
                   "cases": cases}, f, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {path}")


if __name__ == "__main__":
    main()
