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
import org.sep4j.core.audio.Resampler;
import org.sep4j.core.dsp.FftConvolver;
import org.sep4j.core.dsp.KaldiFbank;
import org.sep4j.core.dsp.KaldiFbankConfig;
import org.sep4j.core.dsp.MelSpectrogram;
import org.sep4j.core.dsp.MelSpectrogramConfig;

/**
 * Front ends and signal plumbing on 10 s clips: the 2nd-place SED's log-mel (16 kHz, n_fft 400,
 * hop 160, 80 mels), the AST/EAT Kaldi fbank (16 kHz, 128 bins), resampling 32k→16k and
 * 44.1k→16k, and FFT convolution of 10 s 16 kHz audio with a 4-channel 0.5 s RIR.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FeatureBenchmark {

    private float[][] clip16k;
    private float[] clip32k;
    private float[] clip44k;
    private float[][] rir;
    private MelSpectrogram mel;
    private KaldiFbank fbank;
    private Resampler from32k;
    private Resampler from44k;

    @Setup
    public void setup() {
        clip16k = Noise.channels(1, 160_000, 3);
        clip32k = Noise.channels(1, 320_000, 4)[0];
        clip44k = Noise.channels(1, 441_000, 5)[0];
        rir = Noise.channels(4, 8_000, 6);
        mel = new MelSpectrogram(MelSpectrogramConfig.of(16000, 400, 160, 80));
        fbank = new KaldiFbank(KaldiFbankConfig.audioSet());
        from32k = new Resampler(32000, 16000);
        from44k = new Resampler(44100, 16000);
    }

    @Benchmark
    public float[] logMel10s16k() {
        return MelSpectrogram.log(mel.forward(clip16k), 1e-6f);
    }

    @Benchmark
    public float[][] kaldiFbank10s16k() {
        return fbank.compute(clip16k[0]);
    }

    @Benchmark
    public float[] resample32kTo16k10s() {
        return from32k.resample(clip32k);
    }

    @Benchmark
    public float[] resample44kTo16k10s() {
        return from44k.resample(clip44k);
    }

    @Benchmark
    public float[][] convolve10sWith4chRir() {
        return FftConvolver.convolve(clip16k, rir, FftConvolver.Mode.FULL);
    }
}
