package org.sep4j.benchmarks.core;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sep4j.core.dsp.Spectrogram;
import org.sep4j.core.dsp.Stft;
import org.sep4j.core.dsp.StftConfig;

/**
 * The comparison case of tools/bench/torch_stft.py: a batch of 16 × 10 s at 16 kHz, n_fft 512,
 * hop 128, periodic Hann, centred, reflect padding. Run the script on the same machine for the
 * torch.stft figure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class StftVsTorchBenchmark {

    private Stft stft;
    private float[][] batch;

    @Setup
    public void setup() {
        stft = new Stft(StftConfig.of(512, 128));
        batch = Noise.channels(16, 160_000, 2);
    }

    @Benchmark
    public Spectrogram stftBatch16x10s16k() {
        return stft.forward(batch);
    }
}
