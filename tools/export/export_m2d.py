#!/usr/bin/env python3
"""Export an M2D checkpoint to sep4j's M2D ONNX contract (models.onnx.M2dEncoder).

Run in your own PyTorch environment (not by the sep4j build), with a checkout of
https://github.com/nttcslab/m2d and its portable runtime's requirements (timm, einops, nnAudio):

    python tools/export/export_m2d.py --m2d-repo ~/m2d \
        --weights ~/m2d_as_vit_base-80x1001p16x16-240213_AS-FT_enconly/weights_ep69it3124-0.48494.pth \
        --num-classes 527 --out m2d_as.onnx

Contract written:
  input  logmel  [B, 1, 80, T]   normalised log-mel (sep4j model.sed front end, mel_scale=slaney);
                                 T = the checkpoint's frame count (its folder name, e.g. 80x1001 -> 1001)
  output layers  [B, L+1, N, D]  token map after the patch embedding (+ position) and after each block,
                                 before the final norm, CLS removed, N = F' * T' frequency-major
  output logits  [B, C]          only with --num-classes and a checkpoint carrying an EVAR head: the
                                 portable runtime's head (mean over time of the stacked, normed tokens,
                                 BatchNorm1d without affine, Linear)
The log-mel is computed in Java, so the export carries no front end; the normalisation statistics the
checkpoint stores (norm_stats, default -7.1 / 4.2) are printed for model.sed.norm_mean / norm_std.
"""
import argparse
import sys

import torch


class Contract(torch.nn.Module):
    def __init__(self, m2d):
        super().__init__()
        self.m2d = m2d
        self.vit = m2d.backbone

    def forward(self, logmel):
        vit = self.vit
        x = vit.patch_embed(logmel)
        pos = vit.pos_embed[:, 1:, :]
        if x.shape[1] < pos.shape[1]:  # a shorter input than the checkpoint's: keep the first frames' positions
            fbins = int(vit.grid_size()[0])
            pos = pos.reshape(1, fbins, -1, pos.shape[-1])[:, :, : x.shape[1] // fbins, :].reshape(1, x.shape[1], -1)
        x = x + pos
        layers = [x]
        cls = (vit.cls_token + vit.pos_embed[:, :1, :]).expand(x.shape[0], -1, -1)
        x = torch.cat([cls, x], dim=1)
        for blk in vit.blocks:
            x = blk(x)
            layers.append(x[:, 1:, :])
        out = [torch.stack(layers, dim=1)]
        if hasattr(self.m2d, "head"):
            fbins = int(vit.grid_size()[0])
            t = vit.norm(x)[:, 1:, :]
            b, n, d = t.shape
            t = t.reshape(b, fbins, n // fbins, d).permute(0, 2, 1, 3).reshape(b, n // fbins, fbins * d)
            feat = self.m2d.head_norm(t.mean(1).unsqueeze(-1)).squeeze(-1)
            out.append(self.m2d.head(feat))
        return tuple(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--m2d-repo", required=True, help="a checkout of nttcslab/m2d (its examples/portable_m2d.py is used)")
    ap.add_argument("--weights", required=True, help="the checkpoint .pth, inside its original folder (the name holds the sizes)")
    ap.add_argument("--num-classes", type=int, default=None, help="export the fine-tuned head's logits too")
    ap.add_argument("--out", required=True, help="the .onnx to write")
    ap.add_argument("--opset", type=int, default=17)
    args = ap.parse_args()

    sys.path.insert(0, args.m2d_repo)
    sys.path.insert(0, args.m2d_repo + "/examples")
    from portable_m2d import PortableM2D

    m2d = PortableM2D(args.weights, num_classes=args.num_classes).eval()
    frames = m2d.cfg.input_size[1]
    model = Contract(m2d).eval()
    example = torch.zeros(1, 1, m2d.cfg.input_size[0], frames)
    names = ["layers"] + (["logits"] if hasattr(m2d, "head") else [])
    with torch.no_grad():
        torch.onnx.export(model, example, args.out, input_names=["logmel"], output_names=names,
                          dynamic_axes={n: {0: "batch"} for n in ["logmel"] + names}, opset_version=args.opset)
    print(f"wrote {args.out}: logmel [B, 1, {m2d.cfg.input_size[0]}, {frames}] -> {names}")
    print(f"front end: {m2d.cfg.sample_rate} Hz, n_fft {m2d.cfg.n_fft}, hop {m2d.cfg.hop_size}, mels {m2d.cfg.n_mels} "
          f"{m2d.cfg.f_min}-{m2d.cfg.f_max} Hz (Slaney), norm_mean {m2d.cfg.mean}, norm_std {m2d.cfg.std}")


if __name__ == "__main__":
    main()
