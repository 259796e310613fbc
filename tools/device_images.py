"""Judge a directory of tiny-shapes images made on some device, and compare it with another.

    /usr/bin/python3 tools/device_images.py cases [--seeds 1] > cases.tsv
    /usr/bin/python3 tools/device_images.py judge DIR [--against OTHER_DIR]

`cases` prints the judge's prompt set (every shape, foreground and background with fg != bg,
phrasings in turn) as tab-separated lines: index, prompt, seed, shape, fg, bg.
EngineDeviceCheck (Java) and tools/cuda_check.py (Python) write one PNG per line, named by the
index (`0007.png`), beside a copy of the cases file (`cases.tsv`).

`judge` prints the share of images whose foreground color, background color and shape the judge
reads as asked. With `--against`, it also compares each image with the same-named one of the
other directory: mean and largest absolute pixel difference (0-255) and how many images the judge
reads the same in both.
"""
import argparse
import sys
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shapes_judge import eval_prompts, judge  # noqa: E402


def read_cases(path: Path) -> list:
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [(int(i), prompt, int(seed), shape, fg, bg) for i, prompt, seed, shape, fg, bg in rows]


def load(directory: Path, index: int) -> np.ndarray:
    return np.asarray(Image.open(directory / f"{index:04d}.png").convert("RGB"))


def judge_directory(directory: Path, against) -> None:
    cases = read_cases(directory / "cases.tsv")
    hits = np.zeros(3)
    same_reading, diffs, largest = 0, [], 0
    for index, _, _, shape, fg, bg in cases:
        image = load(directory, index)
        reading = judge(image)
        hits += np.array(reading) == np.array([fg, bg, shape])
        if against is not None:
            other = load(against, index)
            delta = np.abs(image.astype(np.int16) - other.astype(np.int16))
            diffs.append(delta.mean())
            largest = max(largest, int(delta.max()))
            same_reading += reading == judge(other)
    accuracy = hits / len(cases)
    print(f"{directory}: {len(cases)} images, fg {accuracy[0]:.1%} bg {accuracy[1]:.1%} shape {accuracy[2]:.1%}")
    if against is not None:
        print(f"against {against}: mean abs pixel difference {np.mean(diffs):.3f} (per image max "
              f"{np.max(diffs):.3f}), largest {largest}, same judge reading {same_reading}/{len(cases)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    cases = commands.add_parser("cases")
    cases.add_argument("--seeds", type=int, default=1, help="seeds per (shape, fg, bg) combination")
    judged = commands.add_parser("judge")
    judged.add_argument("directory", type=Path)
    judged.add_argument("--against", type=Path)
    args = parser.parse_args()
    if args.command == "cases":
        for index, (prompt, seed, shape, fg, bg) in enumerate(eval_prompts(args.seeds)):
            print(f"{index}\t{prompt}\t{seed}\t{shape}\t{fg}\t{bg}")
    else:
        judge_directory(args.directory, args.against)


if __name__ == "__main__":
    main()
