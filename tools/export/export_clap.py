#!/usr/bin/env python3
"""Export a LAION-CLAP checkpoint to sep4j's CLAP ONNX contract (models.onnx.ClapEncoder).

Run in your own PyTorch environment (not by the sep4j build) with `pip install laion_clap`:

    python tools/export/export_clap.py --ckpt 630k-audioset-best.pt --amodel HTSAT-tiny --out clap/

Writes into --out:
  clap_audio.onnx   waveform [B, 480000] (48 kHz, 10 s)           -> embedding [B, 512]
  clap_text.onnx    input_ids, attention_mask int64 [B, 77]       -> embedding [B, 512]
  vocab.json, merges.txt   the RoBERTa tokenizer (sep4j's ByteLevelBpe reads them)
Embeddings are the projections before L2 normalisation; sep4j normalises. Fusion checkpoints
(enable_fusion=True) take a different audio input and are not covered. sep4j cuts long audio to its
centre and repeat-pads short audio; laion_clap's own example also rounds audio through int16 first.
"""
import argparse
import os

import torch


class Audio(torch.nn.Module):
    def __init__(self, clap):
        super().__init__()
        self.clap = clap

    def forward(self, waveform):
        return self.clap.audio_projection(self.clap.audio_branch({"waveform": waveform}, mixup_lambda=None,
                                                                 device=waveform.device)["embedding"])


class Text(torch.nn.Module):
    def __init__(self, clap):
        super().__init__()
        self.clap = clap

    def forward(self, input_ids, attention_mask):
        pooled = self.clap.text_branch(input_ids=input_ids, attention_mask=attention_mask)["pooler_output"]
        return self.clap.text_projection(pooled)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckpt", required=True, help="a LAION-CLAP checkpoint (.pt), fusion off")
    ap.add_argument("--amodel", default="HTSAT-tiny", help="its audio model: HTSAT-tiny or HTSAT-base")
    ap.add_argument("--tmodel", default="roberta")
    ap.add_argument("--out", required=True, help="folder to write the two .onnx files and the tokenizer into")
    ap.add_argument("--opset", type=int, default=17)
    args = ap.parse_args()

    import laion_clap
    from transformers import RobertaTokenizer

    wrapper = laion_clap.CLAP_Module(enable_fusion=False, amodel=args.amodel, tmodel=args.tmodel)
    wrapper.load_ckpt(args.ckpt)
    clap = wrapper.model.eval()
    os.makedirs(args.out, exist_ok=True)
    samples = clap.audio_cfg.clip_samples
    with torch.no_grad():
        torch.onnx.export(Audio(clap).eval(), torch.zeros(1, samples), os.path.join(args.out, "clap_audio.onnx"),
                          input_names=["waveform"], output_names=["embedding"],
                          dynamic_axes={"waveform": {0: "batch"}, "embedding": {0: "batch"}}, opset_version=args.opset)
        ids = torch.ones(1, 77, dtype=torch.long)
        torch.onnx.export(Text(clap).eval(), (ids, torch.ones_like(ids)), os.path.join(args.out, "clap_text.onnx"),
                          input_names=["input_ids", "attention_mask"], output_names=["embedding"],
                          dynamic_axes={"input_ids": {0: "batch"}, "attention_mask": {0: "batch"}, "embedding": {0: "batch"}},
                          opset_version=args.opset)
    RobertaTokenizer.from_pretrained("roberta-base").save_vocabulary(args.out)
    print(f"wrote {args.out}: clap_audio.onnx (waveform [B, {samples}]), clap_text.onnx ([B, 77]), vocab.json, merges.txt")


if __name__ == "__main__":
    main()
