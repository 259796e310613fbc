"""Where a generation's time goes, operator by operator, in Java/DJL and in Python/PyTorch.

    /usr/bin/python3 tools/profile_ops.py <bundle-dir> --java-trace <trace.json> [--runs 5]
        [--warmup 5] [--steps 20] [--guidance 5] [--seed 42] [--threads 2] [--top 20]

The Java side is a Chrome trace that EngineBenchmark --sections profile writes with libtorch's
profiler (DJL JniUtils.startProfile/stopProfile) over --runs generations. This script runs the
same generations (tools/bench_python_loop.py's loop) under torch.autograd.profiler, works out each
operator's self time (its time minus that of the operators it called) on both sides, and prints
a Markdown table: calls and self milliseconds per generation, Java next to Python.
"""
import argparse
import collections
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_python_loop import timed_generation  # noqa: E402
from bundle_writer import load_bundle  # noqa: E402

PROMPT = "a red circle on a blue background"


def java_self_times(trace_path: str, runs: int) -> dict:
    """Self time per operator from a Chrome trace of complete ("X") events, nested per thread."""
    events = [e for e in json.loads(Path(trace_path).read_text()) if e.get("ph") == "X"]
    per_thread = collections.defaultdict(list)
    for event in events:
        per_thread[event["tid"]].append(event)
    self_us = collections.Counter()
    calls = collections.Counter()
    for thread_events in per_thread.values():
        thread_events.sort(key=lambda e: (e["ts"], -e["dur"]))
        open_events = []
        for event in thread_events:
            while open_events and open_events[-1]["ts"] + open_events[-1]["dur"] <= event["ts"]:
                open_events.pop()
            if open_events:
                self_us[open_events[-1]["name"]] -= event["dur"]
            self_us[event["name"]] += event["dur"]
            calls[event["name"]] += 1
            open_events.append(event)
    return {name: (calls[name] / runs, us / 1000.0 / runs) for name, us in self_us.items()}


def python_self_times(bundle_dir: str, args) -> dict:
    torch.set_num_threads(args.threads)
    model = load_bundle(bundle_dir)
    for _ in range(args.warmup):
        timed_generation(model, PROMPT, args.steps, args.guidance, args.seed, 1)
    with torch.autograd.profiler.profile() as profile:
        for _ in range(args.runs):
            timed_generation(model, PROMPT, args.steps, args.guidance, args.seed, 1)
    return {
        e.key: (e.count / args.runs, e.self_cpu_time_total / 1000.0 / args.runs)
        for e in profile.key_averages()
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("bundle")
    parser.add_argument("--java-trace", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--guidance", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    java = java_self_times(args.java_trace, args.runs)
    python = python_self_times(args.bundle, args)
    names = sorted(set(java) | set(python),
                   key=lambda n: -max(java.get(n, (0, 0))[1], python.get(n, (0, 0))[1]))
    print(f"Self time per generation (ms), {args.runs} generations each, torch {torch.__version__} "
          f"for Python\n")
    print("| operator | Java calls | Java ms | Python calls | Python ms |")
    print("| --- | --- | --- | --- | --- |")
    for name in names[:args.top]:
        java_calls, java_ms = java.get(name, (0, 0.0))
        python_calls, python_ms = python.get(name, (0, 0.0))
        print(f"| `{name}` | {java_calls:.0f} | {java_ms:.2f} | {python_calls:.0f} | {python_ms:.2f} |")
    print(f"| all operators | | {sum(ms for _, ms in java.values()):.2f} | "
          f"| {sum(ms for _, ms in python.values()):.2f} |")


if __name__ == "__main__":
    main()
