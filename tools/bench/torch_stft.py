#!/usr/bin/python3
"""torch.stft timing for the case of org.sep4j.benchmarks.core.StftVsTorchBenchmark:
16 x 10 s at 16 kHz, n_fft 512, hop 128, periodic Hann, center, reflect.

    tools/bench/torch_stft.py [--threads N]

Prints the median of 30 runs after 5 warm-up runs (milliseconds), for the thread count given
(default: torch's own default, i.e. all cores) and for 1 thread.
"""
import argparse
import statistics
import time

import torch


def bench(threads):
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(2)
    x = (torch.rand(16, 160000, generator=g) * 2 - 1) * 0.3
    w = torch.hann_window(512)
    for _ in range(5):
        torch.stft(x, 512, hop_length=128, window=w, center=True, pad_mode="reflect", return_complex=True)
    times = []
    for _ in range(30):
        t0 = time.perf_counter()
        torch.stft(x, 512, hop_length=128, window=w, center=True, pad_mode="reflect", return_complex=True)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=torch.get_num_threads())
    a = ap.parse_args()
    print(f"torch {torch.__version__} stft 16x10s@16k n_fft 512 hop 128: "
          f"{bench(a.threads):.1f} ms ({a.threads} threads), {bench(1):.1f} ms (1 thread)")
