package org.sep4j.benchmarks.core;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sep4j.core.dsp.Spectrogram;
import org.sep4j.core.dsp.Stft;
import org.sep4j.core.dsp.StftConfig;

/**
 * STFT and ISTFT of 10 s of 4-channel 32 kHz audio (the full DCASE preset's mixtures) at three FFT
 * sizes, hop = nFft/4, periodic Hann, centred.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StftBenchmark {

    @Param({"512", "1024", "2048"})
    int nFft;

    private Stft stft;
    private float[][] audio;
    private Spectrogram spec;

    @Setup
    public void setup() {
        stft = new Stft(StftConfig.of(nFft, nFft / 4));
        audio = Noise.channels(4, 320_000, 1);
        spec = stft.forward(audio);
    }

    @Benchmark
    public Spectrogram stft4ch10s32k() {
        return stft.forward(audio);
    }

    @Benchmark
    public float[][] istft4ch10s32k() {
        return stft.inverse(spec, audio[0].length);
    }
}
