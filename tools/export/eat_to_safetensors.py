#!/usr/bin/env python3
"""Convert an official EAT or SSLAM checkpoint (fairseq .pt, or a safetensors state dict) to the
.safetensors sep4j's EAT encoder reads (probe.weights, finetune.weights, pretrain.init).

Run in your own PyTorch environment (not by the sep4j build); fairseq checkpoints pickle their config,
so `pip install omegaconf` first:

    python tools/export/eat_to_safetensors.py SSLAM_pretrain.pt sslam.safetensors
    python tools/export/eat_to_safetensors.py EAT-base_epoch30_pt.pt eat.safetensors --decoder

sep4j's parameter names are fairseq's (../shared/specs/sslam.md, "Checkpoints and export"), so the
conversion only picks the encoder's tensors out of the checkpoint:
  modality_encoders.IMAGE.local_encoder.proj.{weight,bias}   patch embedding
  modality_encoders.IMAGE.extra_tokens                        CLS
  modality_encoders.IMAGE.context_encoder.norm.{weight,bias}  context LayerNorm
  blocks.{i}.{norm1,attn.qkv,attn.proj,norm2,mlp.fc1,mlp.fc2}.{weight,bias}
(and with --decoder, modality_encoders.IMAGE.decoder.*). Wrapper prefixes ("model.", "encoder.",
"w2v_encoder.w2v_model.", "backbone.") are stripped; the EMA teacher ("_ema") is left out. The
fixed sin-cos positions are not parameters in sep4j (it computes them), so they are checked, not
copied: a checkpoint whose positions differ from the formula stops the conversion.
Prints the size it found (dim, depth) to pass as model.sslam.dim / model.sslam.depth.
"""
import argparse
import math
import os
import re
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
from safetensors_io import save  # noqa: E402

PREFIXES = ("w2v_encoder.w2v_model.", "model.", "encoder.", "backbone.")
ENCODER = re.compile(r"^(modality_encoders\.IMAGE\.(local_encoder\.proj|extra_tokens|context_encoder\.norm)"
                     r"|blocks\.\d+\.(norm1|attn\.qkv|attn\.proj|norm2|mlp\.fc1|mlp\.fc2)\.)")
DECODER = "modality_encoders.IMAGE.decoder."
POSITIONS = "modality_encoders.IMAGE.fixed_positional_encoder.positions"


def state_dict(path):
    if path.endswith(".safetensors"):
        from safetensors.torch import load_file
        return load_file(path)
    ckpt = torch.load(path, map_location="cpu")
    for key in ("model", "state_dict", "module"):
        if isinstance(ckpt, dict) and key in ckpt and isinstance(ckpt[key], dict):
            ckpt = ckpt[key]
    return ckpt


def strip(name):
    changed = True
    while changed:
        changed = False
        for p in PREFIXES:
            if name.startswith(p):
                name, changed = name[len(p):], True
    return name


def sincos(tp, fp, dim):
    """sep4j's positions (models.nn.PositionalEncoding.sincos2d): [tp*fp, dim], frequency half first."""
    def one(pos, d):
        omega = torch.tensor([1.0 / 10000 ** (k / (d / 2)) for k in range(d // 2)], dtype=torch.float64)
        out = pos.double()[:, None] * omega[None]
        return torch.cat([out.sin(), out.cos()], 1)
    t = torch.arange(tp).repeat_interleave(fp)
    f = torch.arange(fp).repeat(tp)
    return torch.cat([one(f, dim // 2), one(t, dim // 2)], 1).float()


def convert(src, decoder=False):
    """The encoder's (and with decoder, the decoder's) tensors of a state dict, under sep4j's names."""
    out, dropped = {}, []
    for k, v in src.items():
        if not torch.is_tensor(v):
            continue
        name = strip(k)
        if "_ema" in name:
            dropped.append(k)
        elif ENCODER.match(name) or (decoder and name.startswith(DECODER)):
            out[name] = v.float()
        elif name == POSITIONS:
            pos = v.float().reshape(-1, v.shape[-1])
            dim = pos.shape[-1]
            want = sincos(pos.shape[0] // 8, 8, dim)
            if not torch.allclose(pos, want, atol=1e-4):
                raise SystemExit(f"{k}: the checkpoint's positions differ from sep4j's sin-cos formula by up to "
                                 f"{(pos - want).abs().max():.3g}; sep4j cannot carry them")
        else:
            dropped.append(k)
    if "modality_encoders.IMAGE.local_encoder.proj.weight" not in out:
        raise SystemExit("no modality_encoders.IMAGE.local_encoder.proj.weight in the checkpoint: not an EAT/SSLAM model "
                         f"(first keys: {list(src)[:8]})")
    return out, dropped


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("checkpoint", help="the official .pt (fairseq) or a .safetensors state dict")
    ap.add_argument("out", help="the .safetensors to write")
    ap.add_argument("--decoder", action="store_true", help="keep the pre-training decoder too (for pretrain.init)")
    args = ap.parse_args()
    tensors, dropped = convert(state_dict(args.checkpoint), args.decoder)
    dim = tensors["modality_encoders.IMAGE.local_encoder.proj.weight"].shape[0]
    depth = len({k.split(".")[1] for k in tensors if k.startswith("blocks.")})
    save(args.out + ".tmp", tensors, {"source": os.path.basename(args.checkpoint), "dim": dim, "depth": depth})
    os.replace(args.out + ".tmp", args.out)
    print(f"wrote {args.out}: {len(tensors)} tensors, dim {dim}, depth {depth} (model.sslam.dim={dim} "
          f"model.sslam.depth={depth}); left out {len(dropped)} others (EMA teacher, heads, optimiser state)")


if __name__ == "__main__":
    main()
