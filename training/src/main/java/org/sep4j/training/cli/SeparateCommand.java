package org.sep4j.training.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sep4j.core.audio.Audio;
import org.sep4j.core.audio.AudioFiles;
import org.sep4j.core.audio.WavEncoding;
import org.sep4j.core.audio.WavWriter;
import org.sep4j.core.config.ConfigError;
import org.sep4j.core.io.AtomicFiles;
import org.sep4j.core.io.Json;
import org.sep4j.core.progress.ProgressBar;
import org.sep4j.evaluation.metrics.LabelDecoder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sep4j separate INPUT... --out DIR checkpoint=MODEL (--labels A,B | tagger=MODEL)}: runs a
 * trained separator on recordings of any length and rate and writes one estimate per label.
 */
@Command(name = "separate", mixinStandardHelpOptions = true,
        description = {"Separate recordings of any length, rate and format (WAV, FLAC) with a trained model.", "",
            "Writes one <name>_<Label>.wav per label, at the input's own rate and length. Inputs are resampled to the",
            "model's rate and run in chunks of the model's length that overlap and are cross-faded back",
            "(inference.overlap_seconds, inference.fade, inference.batch_size chunks per pass).",
            "Arguments without '=' are the INPUT files or folders; the others are config overrides.",
            "Labels come from --labels or from a stage-1 tagger (tagger=, probabilities pooled over chunks by",
            "inference.pool, decoded by the DCASE rule), written to labels.json. INPUT is files or folders",
            "(.wav, .flac; folders recursively). Files already separated are skipped, so an interrupted run resumes."},
        footer = {"", "Examples:",
            "  sep4j separate my_recording.wav --out separated/ checkpoint=outputs/dcase2025/separator/audiosep-sed \\",
            "      --labels Speech,Doorbell",
            "  sep4j separate field_recordings/ --out separated/ checkpoint=outputs/dcase2025/separator/audiosep-sed \\",
            "      tagger=outputs/dcase2025/tagger/sed",
            "  sep4j separate scene.flac --out separated/ checkpoint=sep.onnx experiment=dcase2025/separator --labels Speech",
            "",
            "A run folder's own config is the default (its overrides.txt); overrides given here apply on top.",
            "An exported ONNX model needs experiment= (and any keys it was trained with)."})
final class SeparateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigCommand.Composition composition = new ConfigCommand.Composition();

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where the estimates go.")
    Path out;

    @Option(names = "--labels", paramLabel = "A,B", description = "The classes to separate (instead of a tagger=).")
    String labels;

    @Override
    public Integer call() throws IOException {
        PrintWriter w = spec.commandLine().getOut();
        List<String> rest = new ArrayList<>();
        Map<String, String> own = composition.take(List.of("checkpoint", "tagger"), rest);
        List<String> overrides = new ArrayList<>();
        List<Path> inputs = new ArrayList<>();
        for (String a : rest) {
            // key=value, +key=value and ~key are config overrides; anything else names an input
            if (a.contains("=") || a.startsWith("~")) {
                overrides.add(a);
            } else {
                inputs.add(Path.of(a));
            }
        }
        if (!own.containsKey("checkpoint")) {
            throw usage("give checkpoint=<separator run folder, checkpoint folder or .onnx file>");
        }
        if (inputs.isEmpty()) {
            throw usage("give the recordings to separate: files or folders (.wav, .flac)");
        }
        if ((labels == null) == !own.containsKey("tagger")) {
            throw usage("give either --labels A,B or tagger=<tagger run folder or .onnx file>");
        }
        List<Item> items = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                for (Path f : AudioFiles.list(in, true)) {
                    items.add(new Item(f, stem(in.relativize(f))));
                }
            } else if (Files.isRegularFile(in)) {
                items.add(new Item(in, stem(in.getFileName())));
            } else {
                throw usage(in + ": no such file or folder");
            }
        }
        TrainedModels models;
        try {
            models = TrainedModels.load(composition, overrides, Path.of(own.get("checkpoint")),
                    own.containsKey("tagger") ? Path.of(own.get("tagger")) : null);
        } catch (ConfigError | IllegalArgumentException | IOException e) {
            throw usage(e.getMessage());
        }
        List<String> fixed = labels == null ? null : List.of(labels.split(",")).stream().map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        Path done = out.resolve(".done");
        Files.createDirectories(done);
        Map<String, Object> tagged = readLabels(out.resolve("labels.json"));
        int separated = 0;
        int skipped = 0;
        List<String> failed = new ArrayList<>();
        try (models; ProgressBar bar = ProgressBar.start("separate", items.size(), "files")) {
            LabelDecoder decoder = models.tagger == null ? null : LabelDecoder.dcase(models.classes);
            for (Item item : items) {
                Path marker = done.resolve(item.name.replace('/', '%') + ".done");
                if (Files.exists(marker)) {
                    skipped++;
                    bar.step();
                    continue;
                }
                try {
                    Audio mix = AudioFiles.read(item.file);
                    List<String> chosen = fixed;
                    if (decoder != null) {
                        float[] p = models.tagger.probabilities(mix);
                        chosen = decoder.decode(p);
                        Map<String, Object> entry = new LinkedHashMap<>();
                        entry.put("labels", chosen);
                        Map<String, Object> probs = new LinkedHashMap<>();
                        for (int c = 0; c < p.length; c++) {
                            probs.put(models.classes.get(c), (double) p[c]);
                        }
                        entry.put("probabilities", probs);
                        tagged.put(item.name, entry);
                        AtomicFiles.writeString(out.resolve("labels.json"), Json.pretty(tagged));
                    }
                    Map<String, float[]> est = models.separator.separate(mix, chosen, null);
                    for (Map.Entry<String, float[]> e : est.entrySet()) {
                        Path file = out.resolve(item.name + "_" + e.getKey() + ".wav");
                        Files.createDirectories(file.getParent());
                        WavWriter.write(file, Audio.mono(e.getValue(), mix.sampleRate()), WavEncoding.FLOAT_32);
                    }
                    AtomicFiles.writeString(marker, String.join("\n", chosen) + "\n");
                    separated++;
                } catch (IOException | IllegalArgumentException e) {
                    failed.add(item.file + ": " + e.getMessage());
                }
                bar.step();
            }
        }
        w.printf(Locale.ROOT, "separated %d file(s) (%d done before) into %s; labels: %s%n", separated, skipped, out,
                fixed != null ? String.join(",", fixed) : "stage 1 from " + models.taggerAt + " (labels.json)");
        for (String f : failed) {
            w.println("failed: " + f);
        }
        w.flush();
        return failed.isEmpty() ? 0 : 1;
    }

    private record Item(Path file, String name) {
    }

    /** A relative path without its audio extension, '/'-separated. */
    private static String stem(Path rel) {
        String s = rel.toString().replace(java.io.File.separatorChar, '/');
        int dot = s.lastIndexOf('.');
        return dot > s.lastIndexOf('/') ? s.substring(0, dot) : s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readLabels(Path file) throws IOException {
        return Files.isRegularFile(file) ? new LinkedHashMap<>((Map<String, Object>) Json.parse(Files.readString(file)))
                : new LinkedHashMap<>();
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
