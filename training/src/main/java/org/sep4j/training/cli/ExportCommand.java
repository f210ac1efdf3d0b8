package org.sep4j.training.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.sep4j.core.config.Composed;
import org.sep4j.core.config.ConfigBinder;
import org.sep4j.core.config.ConfigError;
import org.sep4j.data.DataConfig;
import org.sep4j.data.scene.SceneGenerator;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.onnx.OnnxExporter;
import org.sep4j.models.onnx.OrtModel;
import org.sep4j.models.sed.SedConfig;
import org.sep4j.models.sep.ResUNet;
import org.sep4j.models.sep.SeparatorConfig;
import org.sep4j.training.Checkpoint;
import org.sep4j.training.dcase.SeparatorTask;
import org.sep4j.training.dcase.TaggerTask;
import org.sep4j.training.dcase.TrainSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sep4j export experiment=... checkpoint=RUN --out model.onnx}: a trained model as ONNX. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a trained DCASE 2025 Task 4 model to ONNX (opset 13), weights included.", "",
            "The experiment picks the model (task: tagger | separator) as in `sep4j train`; checkpoint= is a run folder",
            "(its checkpoints/best, else last) or a checkpoint folder. The written model is opened in ONNX Runtime and",
            "its inputs and outputs are listed (output parity with SameDiff is covered by the test suite).",
            "Tagger: input logmel [B, 1, mels, frames] (model.sed's front end), output clip [B, classes]; it serves",
            "as a stage-1 tagger in `sep4j eval tagger=<file>.onnx`.",
            "Separator: inputs mixture_magnitude, mixture_cos, mixture_sin (the 4-channel STFT, [B, 4, frames, bins];",
            "the STFT stays outside, the inverse STFT is inside), query [B, sources x classes], active [B, sources]",
            "(and logmel / feedback when the variant uses them); output estimate [B, sources, samples]."},
        footer = {"", "Examples:",
            "  sep4j export experiment=dcase2025/tagger checkpoint=outputs/dcase2025/tagger/sed --out sed.onnx",
            "  sep4j export experiment=dcase2025/separator checkpoint=outputs/dcase2025/separator/run1 --out sep.onnx"})
final class ExportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigCommand.Composition composition = new ConfigCommand.Composition();

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "The .onnx file to write.")
    Path out;

    @Override
    public Integer call() throws IOException {
        List<String> overrides = new ArrayList<>();
        String checkpoint = composition.take(List.of("checkpoint"), overrides).get("checkpoint");
        Path at = checkpoint == null ? null : Path.of(checkpoint);
        if (at == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give checkpoint=<run folder or checkpoint folder>");
        }
        Graph g;
        List<String> outputs;
        String task;
        try {
            // a run folder's own config is the default; the command's overrides apply on top
            List<String> all = new ArrayList<>(TrainedModels.runOverrides(at));
            all.addAll(overrides);
            Composed config = composition.compose(all);
            task = String.valueOf(config.get("task"));
            SceneGenerator gen = ConfigBinder.bind(config, "data", DataConfig.class).generator();
            SedConfig sed = ConfigBinder.bind(config, "model.sed", SedConfig.class);
            TrainSettings settings = ConfigBinder.bind(config, "trainer", TrainSettings.class);
            long seed = ((Number) config.get("seed")).longValue();
            at = TrainedModels.checkpoint(at, "checkpoint");
            switch (task) {
                case "tagger" -> {
                    g = new TaggerTask(sed, gen, settings).graph(false, seed);
                    outputs = List.of("clip");
                }
                case "separator" -> {
                    g = new SeparatorTask(ConfigBinder.bind(config, "model.separator", SeparatorConfig.class), sed, gen, settings)
                            .graph(false, -1, seed);
                    outputs = List.of(ResUNet.ESTIMATE);
                }
                default -> throw new IllegalArgumentException("task: choose an experiment that sets task (tagger or separator), "
                        + "e.g. experiment=dcase2025/separator; found " + task);
            }
        } catch (ConfigError | IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Checkpoint.loadWeights(at, g);
        OnnxExporter.export(g, outputs, out);
        try (OrtModel m = OrtModel.open(out, OrtModel.Options.defaults())) {
            PrintWriter w = spec.commandLine().getOut();
            w.printf("exported the %s of %s to %s (%.1f MB)%n", task, at, out, java.nio.file.Files.size(out) / 1e6);
            w.println("  inputs:  " + m.inputs());
            w.println("  outputs: " + m.outputs());
            w.flush();
        }
        return 0;
    }
}
