#!/usr/bin/env python3
"""diffusers' own schedulers on the scheduler configs a bundle may carry, for the Java samplers.

For DDIMScheduler, EulerDiscreteScheduler and EulerAncestralDiscreteScheduler, over the timestep spacings (leading,
trailing, linspace), step counts, steps_offset, set_alpha_to_one, clip_sample and both prediction
types, this records what diffusers computes: the timesteps, init_noise_sigma, the sigmas and the
model-input scale (Euler), and for DDIM at eta 0 and Euler a whole run on fixed float32 inputs (a
start sample and one model output per step). Single-step leading and linspace schedules are left
out: there the Java samplers deliberately use timestep T-1 (diffusers' would denoise pure noise as
if it were almost clean).

Usage: "$(tools/python-env.sh)" tools/scheduler_reference.py
(writes engine/src/test/resources/diffusers-schedulers.json)
"""
import json
import os

import numpy as np
import torch
from diffusers import DDIMScheduler, EulerAncestralDiscreteScheduler, EulerDiscreteScheduler

import diffusers

N = 16
CONFIGS = {
    "sd_epsilon": dict(num_train_timesteps=1000, beta_start=0.00085, beta_end=0.012,
                       beta_schedule="scaled_linear", prediction_type="epsilon", steps_offset=1),
    "linear_v_prediction": dict(num_train_timesteps=1000, beta_start=0.0001, beta_end=0.02,
                                beta_schedule="linear", prediction_type="v_prediction",
                                steps_offset=0),
}
SPACINGS = ["leading", "trailing", "linspace"]
STEPS = [1, 4, 20, 50]
DDIM_OPTIONS = [
    dict(set_alpha_to_one=False, clip_sample=False),
    dict(set_alpha_to_one=True, clip_sample=False),
    dict(set_alpha_to_one=False, clip_sample=True, clip_sample_range=1.0),
    dict(set_alpha_to_one=True, clip_sample=True, clip_sample_range=0.5),
]


def f32(rng, n, scale=1.0):
    return (rng.standard_normal(n) * scale).astype(np.float32)


def deterministic_run(rng, scheduler, steps, **step_options):
    """A start sample, one fixed model output per step, and every sample the scheduler steps to."""
    sample0 = f32(rng, N)
    outputs = [f32(rng, N) for _ in range(steps)]
    sample = torch.from_numpy(sample0.astype(np.float64))
    samples = []
    for i, t in enumerate(scheduler.timesteps):
        model_output = torch.from_numpy(outputs[i].astype(np.float64))
        sample = scheduler.step(model_output, t, sample, **step_options).prev_sample
        samples.append(sample.numpy().tolist())
    return dict(sample=sample0.astype(float).tolist(),
                model_outputs=[o.astype(float).tolist() for o in outputs], samples=samples)


def ddim_case(rng, name, base, spacing, steps, options):
    config = dict(base, timestep_spacing=spacing, **options)
    scheduler = DDIMScheduler(**config)
    scheduler.set_timesteps(steps)
    return dict(sampler="ddim", config=name, scheduler=config, steps=steps,
                timesteps=scheduler.timesteps.numpy().astype(float).tolist(),
                init_noise_sigma=float(scheduler.init_noise_sigma),
                **deterministic_run(rng, scheduler, steps, eta=0.0))


def euler_case(rng, sampler, name, base, spacing, steps):
    config = dict(base, timestep_spacing=spacing)
    ancestral = sampler == "euler_a"
    scheduler = (EulerAncestralDiscreteScheduler if ancestral else EulerDiscreteScheduler)(**config)
    scheduler.set_timesteps(steps)
    sigmas = scheduler.sigmas.numpy().astype(float)
    scales = [1.0 / float(np.sqrt(s * s + 1.0)) for s in sigmas[:-1]]
    case = dict(sampler=sampler, config=name, scheduler=config, steps=steps,
                timesteps=scheduler.timesteps.numpy().astype(float).tolist(),
                init_noise_sigma=float(scheduler.init_noise_sigma),
                sigmas=sigmas.tolist(), input_scales=scales)
    if not ancestral:
        case.update(deterministic_run(rng, scheduler, steps))
    return case


def main():
    rng = np.random.default_rng(20261204)
    cases = []
    for name, base in CONFIGS.items():
        for spacing in SPACINGS:
            for steps in STEPS:
                if steps == 1 and spacing != "trailing":
                    continue
                for options in DDIM_OPTIONS if steps == 20 else DDIM_OPTIONS[:1]:
                    cases.append(ddim_case(rng, name, base, spacing, steps, options))
                cases.append(euler_case(rng, "euler_a", name, base, spacing, steps))
                cases.append(euler_case(rng, "euler", name, base, spacing, steps))
    out = os.path.join(os.path.dirname(__file__), "..", "engine", "src", "test", "resources",
                       "diffusers-schedulers.json")
    with open(out, "w") as f:
        json.dump(dict(diffusers=diffusers.__version__, torch=torch.__version__.split("+")[0],
                       cases=cases), f, separators=(",", ":"))
        f.write("\n")
    print(f"{len(cases)} cases written to {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
