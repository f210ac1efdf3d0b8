package org.sep4j.benchmarks.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.onnx.OnnxExporter;
import org.sep4j.models.onnx.OrtModel;
import org.sep4j.models.sed.SedTagger;
import org.sep4j.models.sep.ResUNet;

/**
 * A benchmark subject: the DCASE 2025 Task 4 tagger or AudioSep-SED separator at the sizes of
 * {@link ModelZooBenchmark}, as a SameDiff graph with random inputs, and exported to ONNX and opened
 * in ONNX Runtime with the provider asked for.
 */
final class ExportedModel implements AutoCloseable {

    final Graph graph;
    final Map<String, INDArray> inputs;
    final String output;
    final OrtModel ort;
    private final Path file;

    ExportedModel(String model, String size, int batch, String provider) throws IOException {
        boolean full = size.equals("full");
        int classes = 18;
        graph = new Graph(1);
        graph.train(false);
        if (model.equals("tagger")) {
            SedTagger tagger = new SedTagger(ModelZooBenchmark.sed(full), "", classes, full ? 160_000 : 64_000);
            graph.sd().identity("clip", tagger.apply(graph, tagger.input(graph, "logmel")).clip());
            output = "clip";
            inputs = Map.of("logmel", Nd4j.rand(DataType.FLOAT, batch, 1, ModelZooBenchmark.sed(full).nMels(), tagger.frames()));
        } else {
            int samples = full ? 32_000 : 64_000;
            SedTagger stage2 = new SedTagger(ModelZooBenchmark.sed(full), "sed.", classes, full ? 16_000 : samples);
            ResUNet net = new ResUNet(ModelZooBenchmark.separator(full), stage2, classes, samples);
            net.build(graph, -1);
            output = ResUNet.ESTIMATE;
            inputs = ModelZooBenchmark.inputs(net, stage2, batch, samples, classes);
        }
        file = Files.createTempFile("sep4j-bench", ".onnx");
        OnnxExporter.export(graph, List.of(output), file);
        ort = OrtModel.open(file, OrtModel.Options.defaults().provider(provider));
    }

    @Override
    public void close() throws IOException {
        ort.close();
        Files.deleteIfExists(file);
    }
}
