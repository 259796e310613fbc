"""The one writer of model bundles (see docs/model-bundles.md), and a check that a bundle reloads.

    write_bundle(out_dir, name="tiny-shapes", version="1.0.0", kind="latent-diffusion",
                 components={"text_encoder": scripted_module, "unet": "path/to/unet.pt", ...},
                 tokenizer=tokenizer_dict_or_path, text={...}, latent={...}, image={...},
                 scheduler={...}, defaults={...})

Components are TorchScript modules (traced or scripted, already in the bundle's `dtype`) or
paths to files written elsewhere; each is saved as `<component>.pt` (a path keeps its suffix).
The remaining keyword sections go into the manifest in the order given.
"""
import hashlib
import json
import shutil
from pathlib import Path

import torch

FORMAT = 1
DTYPES = {"float32": torch.float32, "float16": torch.float16}


def _file_entry(path: Path) -> dict:
    data = path.read_bytes()
    return {"file": path.name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def _check_dtype(name: str, module: torch.jit.ScriptModule, dtype: torch.dtype) -> None:
    wrong = {p.dtype for p in module.parameters() if p.is_floating_point() and p.dtype != dtype}
    if wrong:
        raise ValueError(f"component {name} has {sorted(map(str, wrong))} parameters, bundle dtype is {dtype}")


def write_bundle(out_dir, *, name: str, version: str, kind: str, components: dict,
                 tokenizer=None, dtype: str = "float32", **sections) -> dict:
    """Write every component and manifest.json into out_dir; returns the manifest."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    entries = {}
    if tokenizer is not None:
        target = out / "tokenizer.json"
        if isinstance(tokenizer, dict):
            target.write_text(json.dumps(tokenizer, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        else:
            shutil.copyfile(tokenizer, target)
        entries["tokenizer"] = _file_entry(target)
    for component, source in components.items():
        if isinstance(source, torch.jit.ScriptModule):
            _check_dtype(component, source, DTYPES[dtype])
            target = out / f"{component}.pt"
            torch.jit.save(source, str(target))
        else:
            target = out / f"{component}{Path(source).suffix}"
            shutil.copyfile(source, target)
        entries[component] = _file_entry(target)
    manifest = {"format": FORMAT, "name": name, "version": version, "kind": kind, "dtype": dtype,
                "components": entries, **sections}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def load_bundle(bundle_dir, device: str = "cpu") -> dict:
    """manifest, tokenizer (a dict, when present) and every TorchScript component, after checking
    each file's size and sha256 against the manifest."""
    root = Path(bundle_dir)
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    loaded = {"manifest": manifest}
    for component, entry in manifest["components"].items():
        path = root / entry["file"]
        if _file_entry(path) != entry:
            raise ValueError(f"{path}: size or sha256 differs from the manifest")
        if component == "tokenizer":
            loaded[component] = json.loads(path.read_text(encoding="utf-8"))
        else:
            loaded[component] = torch.jit.load(str(path), map_location=device).eval()
    return loaded


@torch.no_grad()
def verify_bundle(bundle_dir, examples: dict, atol: float = 1e-4) -> dict:
    """Reload the bundle and run each component on its example inputs.

    examples: component -> (tuple of inputs, expected output). Returns component -> max abs
    difference; raises when one exceeds atol."""
    loaded = load_bundle(bundle_dir)
    diffs = {}
    for component, (inputs, expected) in examples.items():
        actual = loaded[component](*inputs)
        if actual.shape != expected.shape:
            raise ValueError(f"{component}: output shape {tuple(actual.shape)}, expected {tuple(expected.shape)}")
        diffs[component] = (actual.float() - expected.float()).abs().max().item()
        if diffs[component] > atol:
            raise ValueError(f"{component}: reloaded output differs by {diffs[component]:.3g} (atol {atol})")
    return diffs
