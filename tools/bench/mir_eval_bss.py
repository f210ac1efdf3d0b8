#!/usr/bin/python3
"""mir_eval 0.7 timing for the case of org.sep4j.benchmarks.evaluation.BssEvalBenchmark:
bss_eval_sources on 2 (and 4) sources x 10 s at 16 kHz of white noise mixtures, with permutation.

    tools/bench/mir_eval_bss.py [--sources 2] [--runs 3]
"""
import argparse
import statistics
import time

import mir_eval
import numpy as np

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("--sources", type=int, default=2)
ap.add_argument("--runs", type=int, default=3)
a = ap.parse_args()
rng = np.random.default_rng(1)
refs = rng.standard_normal((a.sources, 160000))
mix = np.eye(a.sources) * 0.8 + 0.2 / a.sources
ests = mix @ refs + 0.1 * rng.standard_normal(refs.shape)
times = []
for _ in range(a.runs):
    t0 = time.perf_counter()
    mir_eval.separation.bss_eval_sources(refs, ests)
    times.append(time.perf_counter() - t0)
print(f"mir_eval {mir_eval.__version__} bss_eval_sources {a.sources} sources x 10 s @ 16 kHz: "
      f"median {statistics.median(times) * 1000:.0f} ms over {a.runs} runs")
