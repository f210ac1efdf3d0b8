#!/usr/bin/python3
"""Times one training step of PyTorch replicas of sep4j's DCASE models, for the side-by-side figure
of README's engine section (`ModelTrainingBenchmark` is the sep4j side).

The replicas have the shapes of sep4j's graphs (models.sed.SedTagger, models.sep.ResUNet): the
tiny tagger (M2D-style ViT, attention head), the tiny baseline separator (ResUNet + class FiLM) and
the tiny AudioSep-SED separator (+ a trainable SED, Time-FiLM, Soundbeam injection), on 4-s clips at
16 kHz; `--size full` builds ViT-B on 10 s and ResUNet30 on 1 s at 32 kHz, batch 1. A step is what
sep4j's Trainer does: forward, loss (mean square of the output, as the benchmark), backward, global
norm clipping at 5, AdamW. Debian's python3-torch (1.13), 2 threads by default. Debian's torch uses
the system libblas.so.3: install libopenblas0-pthread (else it is the reference BLAS, 3x slower
on the tagger) and unset OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE for the run.

    tools/bench/torch_training.py                      # tiny, batch 4 and 8, all three models
    tools/bench/torch_training.py --size full --batch 1
    tools/bench/torch_training.py --export results/bench/torchscript   # for LibtorchTrainingBenchmark

`--export DIR` writes, per model and batch, the step's forward and loss traced in training mode as
TorchScript (`<model>-<size>-b<batch>.pt`) and its example inputs (`.npz`): the JMH benchmark
`LibtorchTrainingBenchmark` trains them in a current libtorch through DJL, the stronger reference.
"""
import argparse
import math
import os
import time

# torch's own threads do the parallel work; a multi-threaded OpenBLAS under them oversubscribes the
# 2 cores (tagger step 97 ms median instead of 30 ms). Set before torch loads BLAS.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import torch  # noqa: E402
import torch.nn as nn
import torch.nn.functional as F

CLASSES = 18


class Block(nn.Module):
    """Pre-LN transformer block with timm's layout (qkv packed, exact GELU)."""

    def __init__(self, d, heads, ratio=4):
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(d, eps=1e-6)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.norm2 = nn.LayerNorm(d, eps=1e-6)
        self.fc1 = nn.Linear(d, ratio * d)
        self.fc2 = nn.Linear(ratio * d, d)

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.qkv(self.norm1(x)).reshape(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        a = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(d // self.heads), dim=-1)
        x = x + self.proj((a @ v).transpose(1, 2).reshape(b, n, d))
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))


class Tagger(nn.Module):
    """M2D-style ViT over log-mel patches with the 2nd-place strong/weak attention head."""

    def __init__(self, d, depth, heads, mels, frames, patch=16, strong=100):
        super().__init__()
        self.fp, self.tp, self.d, self.strong_frames = mels // patch, frames // patch, d, strong
        n = self.fp * self.tp
        self.patch_embed = nn.Conv2d(1, d, patch, patch)
        self.pos_embed = nn.Parameter(torch.randn(1, n + 1, d) * 0.02)
        self.blocks = nn.ModuleList(Block(d, heads) for _ in range(depth))
        self.norm = nn.LayerNorm(d, eps=1e-6)
        self.strong = nn.Linear(self.fp * d, CLASSES)
        self.weak = nn.Linear(self.fp * d, CLASSES)

    def forward(self, logmel):
        b = logmel.shape[0]
        g = self.patch_embed(logmel)                                   # [B, D, Fp, Tp]
        tokens = g.reshape(b, self.d, -1).transpose(1, 2) + self.pos_embed[:, 1:]
        x = torch.cat([self.pos_embed[:, :1].expand(b, 1, self.d), tokens], 1)
        layers = [tokens]
        for blk in self.blocks:
            x = blk(x)
            layers.append(x[:, 1:])
        frames = self.norm(x)[:, 1:].reshape(b, self.fp, self.tp, self.d).permute(0, 2, 1, 3).reshape(b, self.tp, -1)
        resized = F.interpolate(frames.transpose(1, 2), size=self.strong_frames, mode="linear",
                                align_corners=True).transpose(1, 2)
        strong, weak = self.strong(resized), self.weak(resized)
        clip = (torch.sigmoid(strong) * torch.softmax(weak, 1)).sum(1)
        return clip, strong, layers


def mlp(i, d):
    return nn.Sequential(nn.Linear(i, d), nn.LayerNorm(d), nn.ReLU(), nn.Linear(d, d), nn.LayerNorm(d), nn.ReLU())


class FilmNorm(nn.Module):
    """BatchNorm whose offset gets the class FiLM β (and, with Time-FiLM, an interpolated β per frame)."""

    def __init__(self, c, d):
        super().__init__()
        self.bn = nn.BatchNorm2d(c)
        self.film = nn.Linear(d, c)

    def forward(self, x, cond, time):
        y = self.bn(x) + self.film(cond)[:, :, None, None]
        if time is not None:  # time [B, S, d] -> β [B, C, t, 1]
            bt = self.film(time).transpose(1, 2)
            y = y + F.interpolate(bt, size=x.shape[2], mode="linear", align_corners=True)[..., None]
        return y


class ConvBlockRes(nn.Module):
    def __init__(self, i, o, d):
        super().__init__()
        self.bn1, self.bn2 = FilmNorm(i, d), FilmNorm(o, d)
        self.conv1 = nn.Conv2d(i, o, 3, padding=1, bias=False)
        self.conv2 = nn.Conv2d(o, o, 3, padding=1, bias=False)
        self.shortcut = nn.Conv2d(i, o, 1) if i != o else None

    def forward(self, x, cond, time):
        h = self.conv1(F.leaky_relu(self.bn1(x, cond, time), 0.01))
        h = self.conv2(F.leaky_relu(self.bn2(h, cond, time), 0.01))
        return (x if self.shortcut is None else self.shortcut(x)) + h


def normalise(x):
    flat = x.reshape(x.shape[0], x.shape[1], -1)
    c = flat - flat.mean(2, keepdim=True)
    return (c / (c.pow(2).mean(2, keepdim=True).sqrt() + 1e-6)).reshape(x.shape)


class ResUNet(nn.Module):
    """ResUNet30 topology on 4-channel STFT magnitudes: mask + phase rotation, channel mix, inverse STFT."""

    def __init__(self, n_fft, hop, samples, widths, pool_t, pool_f, d, sed=None):
        super().__init__()
        self.n_fft, self.hop, self.samples = n_fft, hop, samples
        self.frames = 1 + samples // hop
        tm = math.prod(pool_t)
        self.padded = (self.frames + tm - 1) // tm * tm
        self.bins = n_fft // 2
        self.pool_t, self.pool_f = pool_t, pool_f
        self.bn0 = nn.BatchNorm2d(self.bins + 1)
        self.label_mlp = mlp(CLASSES, d)
        self.sed = sed
        self.time_mlp = mlp(1, d) if sed is not None else None
        self.pre_conv = nn.Conv2d(4, widths[0], 1)
        self.enc = nn.ModuleList()
        w = widths[0]
        for c in widths:
            self.enc.append(ConvBlockRes(w, c, d))
            w = c
        self.mid = ConvBlockRes(w, w, d)
        if sed is not None:
            self.sb_logits = nn.Parameter(torch.full((len(sed.blocks) + 1,), 1.0 / (len(sed.blocks) + 1)))
            self.sb_bn = nn.BatchNorm2d(sed.d)
            self.sb_proj = nn.Conv2d(sed.d, w, 1)
            self.sb_alpha = nn.Parameter(torch.ones(1))
            self.sb_beta = nn.Parameter(torch.ones(1))
        self.dec_bn, self.dec_up, self.dec = nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        for i in reversed(range(len(widths))):
            o = widths[i]
            self.dec_bn.append(FilmNorm(w, d))
            self.dec_up.append(nn.ConvTranspose2d(w, o, (pool_t[i], pool_f[i]), (pool_t[i], pool_f[i]), bias=False))
            self.dec.append(ConvBlockRes(2 * o, o, d))
            w = o
        self.after_conv = nn.Conv2d(w, 12, 1)
        self.channel_mix = nn.Parameter(torch.randn(4) * 0.5)
        self.register_buffer("window", torch.hann_window(n_fft))

    def forward(self, mag, cos, sin, query, active, logmel=None):
        b = mag.shape[0]
        x = self.bn0(mag.permute(0, 3, 1, 2)).permute(0, 2, 3, 1)[..., : self.bins]
        x = F.pad(x, (0, 0, 0, self.padded - self.frames))
        cond = self.label_mlp(query)
        time = layers = None
        if self.sed is not None:
            _, strong, layers = self.sed(logmel)
            logits = (strong * query[:, None, :]).sum(2) * active
            time = self.time_mlp(logits.reshape(-1, 1)).reshape(b, -1, cond.shape[1])
        x = self.pre_conv(x)
        skips = []
        for i, blk in enumerate(self.enc):
            x = blk(x, cond, time)
            skips.append(x)
            x = F.avg_pool2d(x, (self.pool_t[i], self.pool_f[i]))
        x = self.mid(x, cond, time)
        if self.sed is not None:
            s = self.sed
            mixed = (torch.softmax(self.sb_logits, 0)[:, None] * torch.stack(layers).reshape(len(layers), -1)).sum(0)
            mixed = mixed.reshape(b, s.fp, s.tp, s.d).permute(0, 3, 2, 1)
            h = F.leaky_relu(self.sb_bn(mixed), 0.01)
            h = F.interpolate(h, size=x.shape[2:], mode="bilinear", align_corners=True)
            x = normalise(x) * self.sb_alpha + normalise(self.sb_proj(h)) * self.sb_beta
        for bn, up, blk, skip in zip(self.dec_bn, self.dec_up, self.dec, reversed(skips)):
            h = up(F.leaky_relu(bn(x, cond, time), 0.01))
            x = blk(torch.cat([h, skip], 1), cond, time)
        o = self.after_conv(x)[:, :, : self.frames]
        o = torch.cat([o, torch.zeros_like(o[..., :1])], 3).reshape(b, 1, 4, 3, self.frames, self.bins + 1)
        mask, pr, pi = torch.sigmoid(o[:, :, :, 0]), torch.tanh(o[:, :, :, 1]), torch.tanh(o[:, :, :, 2])
        norm = (pr * pr + pi * pi + 1e-10).sqrt()
        pr, pi = pr / norm, pi / norm
        m, c, s = mag[:, None] * mask, cos[:, None], sin[:, None]
        re = (m * (c * pr - s * pi) * self.channel_mix[:, None, None]).sum(2).reshape(b, self.frames, -1)
        im = (m * (s * pr + c * pi) * self.channel_mix[:, None, None]).sum(2).reshape(b, self.frames, -1)
        wave = torch.istft(torch.complex(re, im).transpose(1, 2), self.n_fft, self.hop, window=self.window,
                           length=self.samples)
        return wave.reshape(b, 1, -1) * active[:, :, None]


def build(model, full, batch):
    sr_samples = 160_000 if full and model == "tagger" else (32_000 if full else 64_000)
    sed_samples = 16_000 if full and model != "tagger" else sr_samples
    frames = 1 + sed_samples // 160
    d, depth, heads = (768, 12, 12) if full else (64, 2, 4)
    tagger = Tagger(d, depth, heads, 80, frames, strong=250 if full else 100)
    logmel = torch.randn(batch, 1, 80, frames)
    if model == "tagger":
        return tagger, (logmel,)
    n_fft, hop = (2048, 160) if full else (256, 128)
    widths, pt, pf = ([32, 64, 128, 256, 384, 384], [2, 2, 2, 2, 2, 1], [2] * 6) if full else ([8, 16, 32, 32], [2, 2, 2, 1], [2] * 4)
    net = ResUNet(n_fft, hop, sr_samples, widths, pt, pf, 512 if full else 32, tagger if model == "audiosep-sed" else None)
    shape = (batch, 4, net.frames, n_fft // 2 + 1)
    phase = torch.rand(shape) * 2 * math.pi
    query = torch.zeros(batch, CLASSES)
    query[torch.arange(batch), torch.arange(batch) % CLASSES] = 1
    ins = (torch.rand(shape), phase.cos(), phase.sin(), query, torch.ones(batch, 1))
    return net, ins + ((logmel,) if model == "audiosep-sed" else ())


class Loss(nn.Module):
    """The benchmark's loss around a replica: mean square of its (first) output."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, *ins):
        out = self.net(*ins)
        out = out[0] if isinstance(out, tuple) else out
        return (out * out).mean()


def export(model, full, batch, folder):
    """Traces the replica's loss in training mode (batch statistics, as the step) for libtorch."""
    import numpy as np
    torch.manual_seed(0)
    net, ins = build(model, full, batch)
    traced = torch.jit.trace(Loss(net).train(), ins, check_trace=False)
    stem = os.path.join(folder, f"{model}-{'full' if full else 'tiny'}-b{batch}")
    traced.save(stem + ".pt")
    np.savez(stem + ".npz", *[t.numpy() for t in ins])
    return stem


def step_time(model, full, batch, warmup, steps):
    torch.manual_seed(0)
    net, ins = build(model, full, batch)
    net.train()
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=0.01)

    def step():
        opt.zero_grad(set_to_none=True)
        out = net(*ins)
        out = out[0] if isinstance(out, tuple) else out
        (out * out).mean().backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
        opt.step()

    for _ in range(warmup):
        step()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    times.sort()
    params = sum(p.numel() for p in net.parameters())
    return params, times[len(times) // 2] * 1e3, times[0] * 1e3


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", choices=["tiny", "full"], default="tiny")
    ap.add_argument("--batch", type=int, nargs="+", default=None, help="batch sizes (default: 4 8 tiny, 1 full)")
    ap.add_argument("--models", nargs="+", default=["tagger", "baseline", "audiosep-sed"])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--export", metavar="DIR", help="write TorchScript steps and inputs for libtorch, do not time")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    full = a.size == "full"
    batches = a.batch or ([1] if full else [4, 8])
    if a.export:
        os.makedirs(a.export, exist_ok=True)
        for m in a.models:
            for b in batches:
                print(export(m, full, b, a.export) + ".pt", flush=True)
        return
    print(f"torch {torch.__version__}, {a.threads} threads, {a.size}: median (min) ms per training step")
    for m in a.models:
        for b in batches:
            params, med, best = step_time(m, full, b, a.warmup, a.steps)
            print(f"{m:13s} batch {b}: {params:>11,d} parameters  {med:9.1f} ms  ({best:.1f})", flush=True)


if __name__ == "__main__":
    main()
