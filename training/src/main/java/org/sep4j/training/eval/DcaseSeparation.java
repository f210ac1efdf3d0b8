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

/**
 * The DCASE 2025 Task 4 system over a dataset in the official layout: stage 1 labels each
 * soundscape (a tagger's clip probabilities through the challenge's decoding rule, or the oracle
 * labels), stage 2 separates every label, and the estimates are written as
 * {@code <out>/<soundscape>_<Label>.wav} for the scorer. Resumable: a soundscape whose estimates
 * are complete (marked in {@code <out>/.done/}) is skipped.
 */
public final class DcaseSeparation {

    private final ChunkedSeparator separator;
    private final List<String> classes;
    private final ChunkedTagger stage1;

    /**
     * @param classes the stage-1 tagger's classes (null without {@code stage1})
     * @param stage1  the stage-1 tagger (a sep4j tagger or an ONNX one), or null for the oracle labels
     */
    public DcaseSeparation(ChunkedSeparator separator, List<String> classes, ChunkedTagger stage1) {
        this.separator = separator;
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
                List<String> labels = decoder == null ? new ArrayList<>(item.targets().keySet())
                        : decoder.decode(stage1.probabilities(mix));
                java.util.Map<String, float[]> est;
                try {
                    // any length and rate: chunks of the model's length at its rate, back to the file's
                    est = separator.separate(mix, labels, null);
                } catch (IllegalArgumentException e) {
                    throw new IOException(layout.root().resolve(Dcase2025Layout.SOUNDSCAPE).resolve(name + ".wav") + ": "
                            + e.getMessage(), e);
                }
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
