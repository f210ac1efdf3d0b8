package org.sep4j.models.sed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sep4j.core.testing.Close.assertClose;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.dsp.KaldiFbank;
import org.sep4j.core.tensor.Safetensors;
import org.sep4j.core.tensor.TensorData;
import org.sep4j.core.testing.Fixtures;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.nn.WeightImport;

/** model.sed.backbone=sslam: the DCASE tagger on the EAT/SSLAM encoder, held to the torch replica's features. */
class SslamBackboneTest {

    private static final Safetensors.Contents GOLD = Fixtures.load("sslam/tiny_eat");
    /** 64 Kaldi frames: 400 + 160·63 samples at 16 kHz. */
    private static final int SAMPLES = 400 + 160 * 63;

    private static SedConfig sslam(String head) {
        return new SedConfig(16000, 400, 400, 160, 128, 50, 8000, "slaney", 0, 1, 16, 32, 2, 4, 4, 1e-6, head, 6, 0, null, "sslam");
    }

    @Test
    void theTaggersTokensAreTheEatFeaturesOfTheTorchReplica() {
        SedTagger tagger = new SedTagger(sslam("attention"), "sed.", 3, SAMPLES);
        assertThat(tagger.frames()).isEqualTo(64);
        assertThat(tagger.timePatches()).isEqualTo(4);
        Graph g = new Graph(1);
        SedTagger.Outputs o = tagger.apply(g, tagger.input(g, "logmel"));
        Map<String, TensorData> weights = new LinkedHashMap<>();
        GOLD.tensors().forEach((k, v) -> {
            if (!k.startsWith("in.") && !k.startsWith("out.") && !k.contains("decoder")) {
                weights.put(k, v);
            }
        });
        WeightImport.Report r = WeightImport.load(g, weights, n -> "sed." + n, false);
        assertThat(r.unexpected()).isEmpty();
        assertThat(r.missing()).allMatch(n -> n.startsWith("sed.head."));
        TensorData in = GOLD.get("in.fbank");                                                   // [2, 1, 64 frames, 128 bins]
        INDArray logmel = Nd4j.create(in.floats(), in.shape(), 'c').permute(0, 1, 3, 2).dup('c'); // bins × frames, as the tagger takes it
        String last = o.layers().get(o.layers().size() - 1).name();
        Map<String, INDArray> out = g.output(Map.of("logmel", logmel), o.frames().name(), last);
        // torch's features [2, 1 + 32, 32], tokens t·8 + f: the frames [2, 4, 8·32] are the tokens of each time step in a row
        float[] gold = GOLD.get("out.features").floats();
        float[] frames = new float[2 * 32 * 32];
        float[] freqMajor = new float[2 * 32 * 32];
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 4; t++) {
                for (int f = 0; f < 8; f++) {
                    for (int c = 0; c < 32; c++) {
                        float v = gold[(b * 33 + 1 + t * 8 + f) * 32 + c];
                        frames[((b * 4 + t) * 8 + f) * 32 + c] = v;
                        freqMajor[((b * 8 + f) * 4 + t) * 32 + c] = v;
                    }
                }
            }
        }
        assertClose(frames, out.get(o.frames().name()).castTo(DataType.FLOAT).dup('c').data().asFloat(), 1e-4, 1e-5, "frames");
        assertClose(freqMajor, out.get(last).castTo(DataType.FLOAT).dup('c').data().asFloat(), 1e-4, 1e-5,
                "the last token map, frequency-major as M2D's");
    }

    @Test
    void theFrontEndIsEatsFbankLaidOutAsTheLogMel() {
        SedConfig cfg = sslam("baseline");
        float[] clip = new float[16000];
        for (int i = 0; i < clip.length; i++) {
            clip[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / 16000.0) + 0.01 * Math.sin(i * 0.37));
        }
        LogMel front = new LogMel(cfg);
        int frames = front.frames(clip.length);
        assertThat(frames).as("98 Kaldi frames of 1 s, padded to 112").isEqualTo(112);
        float[] m = front.apply(clip);
        float[][] fb = KaldiFbank.audioSetInput(clip, frames);
        for (int t = 0; t < frames; t += 7) {
            for (int b = 0; b < 128; b += 5) {
                assertThat(m[b * frames + t]).isEqualTo(fb[t][b]);
            }
        }
        assertThatThrownBy(() -> new SedConfig(16000, 400, 400, 160, 80, 50, 8000, "slaney", 0, 1, 16, 32, 2, 4, 4, 1e-6, "baseline",
                6, 0, null, "sslam")).hasMessageContaining("n_mels 128");
    }
}
