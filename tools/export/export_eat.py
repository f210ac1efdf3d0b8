#!/usr/bin/env python3
"""Export an EAT-family encoder (EAT, and SSLAM checkpoints published in EAT's format) to sep4j's fbank
encoder contract (models.onnx.FbankEncoder).

Run in your own PyTorch environment (not by the sep4j build) with `pip install transformers`:

    python tools/export/export_eat.py --hf worstchan/EAT-base_epoch30_pretrain --frames 1024 --out eat.onnx

Contract written:
  input  fbank   [B, 1, T, 128]        Kaldi fbank of 16 kHz audio, AudioSet-normalised, T fixed (1024 = 10 s)
  output tokens  [B, 1 + 8*T/16, 768]  CLS token, then one per 16x16 patch
sep4j computes the fbank itself (core.dsp.KaldiFbank.audioSetInput), so the export has no front end.
"""
import argparse

import torch


class Contract(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, fbank):
        return self.model.extract_features(fbank)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hf", required=True, help="a Hugging Face model id or local folder with EAT's remote code")
    ap.add_argument("--frames", type=int, default=1024, help="fbank frames T, a multiple of 16")
    ap.add_argument("--out", required=True, help="the .onnx to write")
    ap.add_argument("--opset", type=int, default=17)
    args = ap.parse_args()
    if args.frames % 16:
        ap.error(f"--frames must be a multiple of 16, got {args.frames}")

    from transformers import AutoModel

    model = AutoModel.from_pretrained(args.hf, trust_remote_code=True).eval()
    with torch.no_grad():
        torch.onnx.export(Contract(model).eval(), torch.zeros(1, 1, args.frames, 128), args.out, input_names=["fbank"],
                          output_names=["tokens"], dynamic_axes={"fbank": {0: "batch"}, "tokens": {0: "batch"}},
                          opset_version=args.opset)
    print(f"wrote {args.out}: fbank [B, 1, {args.frames}, 128] -> tokens [B, {1 + 8 * args.frames // 16}, D]")


if __name__ == "__main__":
    main()
