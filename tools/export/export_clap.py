#!/usr/bin/env python3
"""Export a LAION-CLAP checkpoint to sep4j's CLAP ONNX contract (models.onnx.ClapEncoder).

Run in your own PyTorch environment (not by the sep4j build) with `pip install laion_clap`:

    python tools/export/export_clap.py --ckpt 630k-audioset-best.pt --amodel HTSAT-tiny --out clap/

Writes into --out:
  clap_audio.onnx   waveform [B, 480000] (48 kHz, 10 s)           -> embedding [B, 512]
  clap_text.onnx    input_ids, attention_mask int64 [B, 77]       -> embedding [B, 512],
                                                                     last_hidden_state [B, 77, 768]
  clap_audio_vjp.onnx  waveform [1, 480000], cotangent [1, 512]     -> embedding [1, 512],
                       gradient [1, 480000] (cotangent . d embedding / d waveform: BiSep's L_CNT
                       trains through the frozen audio tower with it)
  clap.json         {"logit_scale": exp(logit_scale_a)}, the temperature CLAP was trained with
  vocab.json, merges.txt   the RoBERTa tokenizer (sep4j's ByteLevelBpe reads them)
Embeddings are the projections before L2 normalisation; sep4j normalises. Fusion checkpoints
(enable_fusion=True) take a different audio input and are not covered. sep4j cuts long audio to its
centre and repeat-pads short audio; laion_clap's own example also rounds audio through int16 first.

The gradient graph is torch's own backward, traced by make_fx at batch 1 and lowered to ONNX ops
(export_vjp); an operator whose backward has no ONNX form stops the export with its name. sep4j's
tests run export_vjp on a toy tower (tools/fixtures/make_backbone_fixtures.py), not on HTSAT.
"""
import argparse
import json
import os

import torch
import torch.nn.functional as F


def _conv_input_gradient(grad, x, weight, bias_sizes, stride, padding, dilation, transposed, output_padding, groups, mask):
    """aten.convolution_backward for a frozen convolution: only the input's gradient, a transposed
    convolution of the output's (ONNX has no convolution_backward); output_padding restores the size."""
    if transposed:
        raise NotImplementedError("export_vjp: transposed convolutions are not covered")
    nd = weight.dim() - 2
    out = [x.shape[2 + i] - ((grad.shape[2 + i] - 1) * stride[i] - 2 * padding[i] + dilation[i] * (weight.shape[2 + i] - 1) + 1)
           for i in range(nd)]
    transpose = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}[nd]
    gi = transpose(grad, weight, None, stride, padding, out, groups, dilation) if mask[0] else None
    return gi, None, None


def export_vjp(module, example, path, output_dim, opset=17):
    """Writes an ONNX graph (waveform [1, S], cotangent [1, D]) -> (embedding, gradient = cotangent .
    d embedding / d waveform) of a frozen module: make_fx traces the forward and torch's backward as
    aten ops, backward ops are decomposed into forward ones, and the private aliases ONNX lacks are
    renamed to their public forms."""
    from functorch import vjp
    from torch._decomp import get_decompositions
    from torch.fx.experimental.proxy_tensor import make_fx
    aten = torch.ops.aten
    module = module.eval()
    for p in module.parameters():
        p.requires_grad_(False)

    def embedding_and_gradient(waveform, cotangent):
        e, pullback = vjp(module, waveform)
        return e, pullback(cotangent)[0]

    table = get_decompositions([aten._softmax_backward_data, aten._log_softmax_backward_data, aten.gelu_backward,
                                aten.native_layer_norm_backward, aten.native_batch_norm_backward, aten.threshold_backward,
                                aten.tanh_backward, aten.sigmoid_backward, aten.leaky_relu_backward, aten._reshape_alias])
    table[aten.convolution_backward.default] = _conv_input_gradient
    graph = make_fx(embedding_and_gradient, decomposition_table=table)(example, torch.zeros(1, output_dim))
    public = {aten._softmax.default: lambda x, d, half: torch.softmax(x, d),
              aten._log_softmax.default: lambda x, d, half: torch.log_softmax(x, d),
              aten._unsafe_view.default: lambda x, shape: x.reshape(shape),
              aten._reshape_alias.default: lambda x, shape, stride: x.reshape(shape)}
    for n in graph.graph.nodes:
        if n.op == "call_function" and n.target in public:
            n.target = public[n.target]
    graph.recompile()
    torch.onnx.export(graph, (example, torch.zeros(1, output_dim)), path, input_names=["waveform", "cotangent"],
                      output_names=["embedding", "gradient"], opset_version=opset)


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
        out = self.clap.text_branch(input_ids=input_ids, attention_mask=attention_mask)
        return self.clap.text_projection(out["pooler_output"]), out["last_hidden_state"]


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
                          input_names=["input_ids", "attention_mask"], output_names=["embedding", "last_hidden_state"],
                          dynamic_axes={"input_ids": {0: "batch"}, "attention_mask": {0: "batch"}, "embedding": {0: "batch"},
                                        "last_hidden_state": {0: "batch"}}, opset_version=args.opset)
    export_vjp(Audio(clap), torch.zeros(1, samples), os.path.join(args.out, "clap_audio_vjp.onnx"),
               clap.audio_projection[-1].out_features, args.opset)
    with open(os.path.join(args.out, "clap.json"), "w") as f:
        json.dump({"logit_scale": float(clap.logit_scale_a.exp())}, f)
    RobertaTokenizer.from_pretrained("roberta-base").save_vocabulary(args.out)
    print(f"wrote {args.out}: clap_audio.onnx (waveform [B, {samples}]), clap_text.onnx ([B, 77]), "
          "clap_audio_vjp.onnx, clap.json, vocab.json, merges.txt")


if __name__ == "__main__":
    main()
