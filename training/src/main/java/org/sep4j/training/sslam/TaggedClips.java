package org.sep4j.training.sslam;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.core.progress.ProgressBar;
import org.sep4j.data.clips.LabelledClips;
import org.sep4j.data.scene.Scene;
import org.sep4j.data.scene.SceneGenerator;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.sslam.EatConfig;

/**
 * Labelled clips by index, as the tagging evaluations read them: a 16-kHz mono waveform and
 * multi-hot labels over {@code classes}. From the embedded scenes (channel 0, weak labels) or a
 * user's {@link LabelledClips}.
 */
record TaggedClips(String where, List<String> classes, int size, IntFunction<Item> item) {

    /** One clip: its waveform and its labels. */
    record Item(float[] wave, float[] labels) {
    }

    static final int RATE = 16000;
    static final String FBANK = "fbank";
    static final String LABELS = "weak";
    /** A user's clips without a validation set keep every this-many-th clip of each label set for it. */
    static final int HOLD_OUT = 5;

    /**
     * Training and validation clips: {@code data} (a folder or CSV; null: the generated scenes) and its
     * validation set, for an encoder of {@code model} on {@code frames} frames; {@code key} names the block in errors.
     */
    static TaggedClips[] open(String key, Path data, Path validationData, SceneGenerator scenes, EatConfig model, int frames,
            int trainItems, int validationItems) throws IOException {
        if (data == null) {
            Clips.check(scenes, model, frames, key + ".frames", "sslam " + key);
        } else {
            Clips.checkFrames(model, frames, key + ".frames");
        }
        if (trainItems < 1) {
            throw new IllegalArgumentException(key + ".train_items: expected at least 1, got " + trainItems);
        }
        if (data == null) {
            if (validationData != null) {
                throw new IllegalArgumentException(key + ".validation_data needs " + key + ".data (the generated scenes have their own)");
            }
            Scene[] val = scenes.validation(validationItems);
            List<String> classes = scenes.targetClasses();
            return new TaggedClips[] {
                new TaggedClips("the generated scenes", classes, trainItems, i -> item(scenes.generate(i), classes)),
                new TaggedClips("the validation scenes", classes, val.length, i -> item(val[i], classes))};
        }
        LabelledClips train = LabelledClips.open(data);
        LabelledClips validation;
        if (validationData == null) {
            LabelledClips[] split = train.split(HOLD_OUT);
            train = split[0];
            validation = split[1];
        } else {
            validation = LabelledClips.open(validationData);
        }
        if (validation.size() == 0 || train.size() == 0) {
            throw new IOException(key + ".data: " + data + " has too few clips to hold out every " + HOLD_OUT
                    + "th for validation; give " + key + ".validation_data");
        }
        List<String> classes = train.classes();
        return new TaggedClips[] {of(train, classes), of(validation, classes)};
    }

    private static TaggedClips of(LabelledClips c, List<String> classes) {
        return new TaggedClips(c.where(), classes, c.size(), i -> new Item(c.wave(i, RATE), c.multiHot(i, classes)));
    }

    private static Item item(Scene s, List<String> classes) {
        return new Item(s.mixture()[0], s.multiHot(classes));
    }

    /** The clips {@code idx} as normalised fbanks {@code [n, 1, frames, 128]} ({@code "fbank"}) and labels {@code [n, classes]}, read in parallel. */
    Map<String, INDArray> batch(int[] idx, int frames) {
        Item[] items = IntStream.range(0, idx.length).parallel().mapToObj(j -> item.apply(idx[j])).toArray(Item[]::new);
        int c = classes.size();
        float[] v = new float[idx.length * c];
        for (int j = 0; j < idx.length; j++) {
            System.arraycopy(items[j].labels(), 0, v, j * c, c);
        }
        return Map.of(FBANK, Clips.fbanks(java.util.Arrays.stream(items).map(Item::wave).toArray(float[][]::new), frames),
                LABELS, Nd4j.create(v, new long[] {idx.length, c}, 'c'));
    }

    /** A graph's per-clip output for every clip of the set, beside the clips' labels. */
    record Outputs(INDArray values, INDArray labels) {
    }

    /**
     * {@code output} of {@code g} (fed {@code "fbank"}) for every clip, {@code batch} clips a pass,
     * with the labels; {@code bar} (may be null) steps by clips.
     */
    Outputs outputs(Graph g, String output, int frames, int batch, ProgressBar bar) {
        INDArray values = null;
        INDArray labels = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, size, classes.size());
        for (int from = 0; from < size; from += batch) {
            int[] idx = IntStream.range(from, Math.min(size, from + batch)).toArray();
            Map<String, INDArray> b = batch(idx, frames);
            INDArray out = g.output(Map.of(FBANK, b.get(FBANK)), output).get(output);
            if (values == null) {
                values = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, size, out.size(1));
            }
            for (int j = 0; j < idx.length; j++) {
                values.putRow(idx[j], out.getRow(j));
                labels.putRow(idx[j], b.get(LABELS).getRow(j));
            }
            if (bar != null) {
                bar.step(idx.length);
            }
        }
        return new Outputs(values, labels);
    }
}
