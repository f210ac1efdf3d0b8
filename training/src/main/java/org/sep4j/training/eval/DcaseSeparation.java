package org.sep4j.training.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sep4j.core.audio.Audio;
import org.sep4j.core.audio.WavEncoding;
import org.sep4j.core.audio.WavWriter;
import org.sep4j.core.io.AtomicFiles;
import org.sep4j.core.progress.ProgressBar;
import org.sep4j.data.dcase.Dcase2025Layout;
import org.sep4j.evaluation.metrics.LabelDecoder;
import org.sep4j.training.dcase.SeparatorTask;

/**
 * The DCASE 2025 Task 4 system over a dataset in the official layout: stage 1 labels each
 * soundscape (a tagger's clip probabilities through the challenge's decoding rule, or the oracle
 * labels), stage 2 separates every label, and the estimates are written as
 * {@code <out>/<soundscape>_<Label>.wav} for the scorer. Resumable: a soundscape whose estimates
 * are complete (marked in {@code <out>/.done/}) is skipped.
 */
public final class DcaseSeparation {

    private final SeparatorTask separator;
    private final SeparatorTask.Engine engine;
    private final List<String> classes;
    private final java.util.function.Function<float[][], List<float[]>> stage1;

    /**
     * @param classes the stage-1 tagger's classes (null with {@code stage1})
     * @param stage1  clip probabilities of channel-0 signals (a sep4j tagger or an ONNX one), or null for the
     *                oracle labels
     */
    public DcaseSeparation(SeparatorTask separator, SeparatorTask.Engine engine, List<String> classes,
            java.util.function.Function<float[][], List<float[]>> stage1) {
        this.separator = separator;
        this.engine = engine;
        this.classes = classes;
        this.stage1 = stage1;
    }

    /** What was done: soundscapes separated now and before, estimates written now. */
    public record Summary(int separated, int skipped, int estimates) {
    }

    public Summary run(Dcase2025Layout layout, Path out) throws IOException {
        Path done = out.resolve(".done");
        Files.createDirectories(done);
        List<String> names = layout.names();
        LabelDecoder decoder = stage1 == null ? null : LabelDecoder.dcase(classes);
        int separated = 0;
        int skipped = 0;
        int written = 0;
        try (ProgressBar bar = ProgressBar.start("separate", names.size(), "soundscapes")) {
            for (String name : names) {
                if (Files.exists(done.resolve(name))) {
                    skipped++;
                    bar.step();
                    continue;
                }
                Dcase2025Layout.Item item = layout.read(name);
                Audio mix = item.mixture();
                if (mix.sampleRate() != separator.sampleRate() || mix.length() != separator.samples()) {
                    throw new IOException(layout.root().resolve(Dcase2025Layout.SOUNDSCAPE).resolve(name + ".wav") + ": the model "
                            + "expects " + separator.samples() + " samples at " + separator.sampleRate() + " Hz, found "
                            + mix.length() + " at " + mix.sampleRate() + " Hz (set data.scene.sample_rate/duration to match)");
                }
                List<String> labels = decoder == null ? new ArrayList<>(item.targets().keySet())
                        : decoder.decode(stage1.apply(new float[][] {mix.channel(0)}).get(0));
                java.util.Map<String, float[]> est = separator.separate(engine, java.util.Collections.singletonList(mix.samples()), List.of(labels),
                        separator.config().iterations().max(), null).get(0);
                for (String label : labels) {
                    WavWriter.write(out.resolve(name + "_" + label + ".wav"), Audio.mono(est.get(label), mix.sampleRate()),
                            WavEncoding.FLOAT_32);
                    written++;
                }
                AtomicFiles.writeString(done.resolve(name), String.join("\n", labels) + "\n");
                separated++;
                bar.step();
            }
        }
        return new Summary(separated, skipped, written);
    }
}
