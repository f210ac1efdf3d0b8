package org.sep4j.benchmarks.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.onnx.OnnxExporter;
import org.sep4j.models.onnx.OrtModel;
import org.sep4j.models.sed.SedTagger;
import org.sep4j.models.sep.ResUNet;

/**
 * The subject of the ONNX benchmarks: the DCASE 2025 Task 4 tagger or AudioSep-SED separator at the
 * sizes of {@link ModelZooBenchmark}, batch 1 or 8, as a SameDiff graph with random inputs, and
 * exported to ONNX and opened in ONNX Runtime with the subclass's provider.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xmx8g"})
public abstract class ExportedModel {

    @Param({"tagger", "separator"})
    public String model;

    @Param({"tiny", "full"})
    public String size;

    @Param({"1", "8"})
    public int batch;

    Graph graph;
    Map<String, INDArray> inputs;
    String output;
    OrtModel ort;
    private Path file;

    /** The ONNX Runtime provider the export runs under. */
    abstract String provider();

    @Setup(Level.Trial)
    public void setup() throws IOException {
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
        ort = OrtModel.open(file, OrtModel.Options.defaults().provider(provider()));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        ort.close();
        Files.deleteIfExists(file);
    }
}
