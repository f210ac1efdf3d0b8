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
import org.sep4j.core.config.ConfigError;
import org.sep4j.core.io.AtomicFiles;
import org.sep4j.core.io.Json;
import org.sep4j.core.progress.ProgressBar;
import org.sep4j.evaluation.metrics.LabelDecoder;
import org.sep4j.training.eval.ChunkedTagger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sep4j tag INPUT... --out DIR tagger=MODEL}: a trained tagger on recordings of any length and rate. */
@Command(name = "tag", mixinStandardHelpOptions = true,
        description = {"Tag recordings of any length and rate with a trained sound-event tagger.", "",
            "Clip probabilities pooled over model-length chunks (inference.pool) and the DCASE-rule labels go to",
            "tags.json. A tagger with a strong (attention) head also writes <name>_frames.csv: frame probabilities",
            "over the whole recording, stitched across chunks with the chunks' cross-fade weights.",
            "Arguments without '=' are the INPUT files or folders (.wav, .flac); the others are config overrides."},
        footer = {"", "Examples:",
            "  sep4j tag field_recordings/ --out tags/ tagger=outputs/dcase2025/tagger/sed",
            "  sep4j tag scene.flac --out tags/ tagger=sed.onnx experiment=dcase2025/tagger   (clip probabilities only)"})
final class TagCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigCommand.Composition composition = new ConfigCommand.Composition();

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where tags.json and the frame CSVs go.")
    Path out;

    @Override
    public Integer call() throws IOException {
        PrintWriter w = spec.commandLine().getOut();
        List<String> rest = new ArrayList<>();
        Map<String, String> own = composition.take(List.of("tagger"), rest);
        List<String> overrides = new ArrayList<>();
        List<Path> inputs = new ArrayList<>();
        for (String a : rest) {
            if (a.contains("=") || a.startsWith("~")) {
                overrides.add(a);
            } else {
                inputs.add(Path.of(a));
            }
        }
        if (!own.containsKey("tagger")) {
            throw usage("give tagger=<tagger run folder, checkpoint folder or .onnx file>");
        }
        if (inputs.isEmpty()) {
            throw usage("give the recordings to tag: files or folders (.wav, .flac)");
        }
        List<Path[]> items = new ArrayList<>(); // {file, name}
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                for (Path f : AudioFiles.list(in, true)) {
                    items.add(new Path[] {f, in.relativize(f)});
                }
            } else if (Files.isRegularFile(in)) {
                items.add(new Path[] {in, in.getFileName()});
            } else {
                throw usage(in + ": no such file or folder");
            }
        }
        TrainedModels models;
        try {
            models = TrainedModels.load(composition, overrides, null, Path.of(own.get("tagger")));
        } catch (ConfigError | IllegalArgumentException | IOException e) {
            throw usage(e.getMessage());
        }
        Files.createDirectories(out);
        Map<String, Object> tags = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        try (models; ProgressBar bar = ProgressBar.start("tag", items.size(), "files")) {
            LabelDecoder decoder = LabelDecoder.dcase(models.classes);
            for (Path[] item : items) {
                String name = item[1].toString().replace(java.io.File.separatorChar, '/');
                name = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
                try {
                    Audio mix = AudioFiles.read(item[0]);
                    ChunkedTagger.Tags t = models.tagger.tag(mix);
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("labels", decoder.decode(t.clip()));
                    Map<String, Object> probs = new LinkedHashMap<>();
                    for (int c = 0; c < t.clip().length; c++) {
                        probs.put(models.classes.get(c), (double) t.clip()[c]);
                    }
                    entry.put("probabilities", probs);
                    if (t.frames() != null) {
                        Path csv = out.resolve(name + "_frames.csv");
                        Files.createDirectories(csv.getParent());
                        StringBuilder sb = new StringBuilder("time_s," + String.join(",", models.classes) + "\n");
                        for (int f = 0; f < t.frames().length; f++) {
                            sb.append(String.format(Locale.ROOT, "%.4f", (f + 0.5) / t.frameRate()));
                            for (float p : t.frames()[f]) {
                                sb.append(',').append(String.format(Locale.ROOT, "%.5f", p));
                            }
                            sb.append('\n');
                        }
                        AtomicFiles.writeString(csv, sb.toString());
                        entry.put("frame_rate", t.frameRate());
                        entry.put("frames", out.relativize(csv).toString());
                    }
                    tags.put(name, entry);
                } catch (IOException | IllegalArgumentException e) {
                    failed.add(item[0] + ": " + e.getMessage());
                }
                bar.step();
            }
        }
        AtomicFiles.writeString(out.resolve("tags.json"), Json.pretty(tags));
        w.printf(Locale.ROOT, "tagged %d file(s) into %s%n", tags.size(), out.resolve("tags.json"));
        failed.forEach(f -> w.println("failed: " + f));
        w.flush();
        return failed.isEmpty() ? 0 : 1;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
