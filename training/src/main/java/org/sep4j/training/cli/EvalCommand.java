package org.sep4j.training.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.sep4j.evaluation.scoring.EvaluationReport;
import org.sep4j.evaluation.scoring.FolderScorer;
import org.sep4j.evaluation.scoring.Layout;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sep4j eval}: scores a folder of estimates against references and writes items.csv,
 * summary.json, summary.md and histogram.png.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Score a folder of estimated waveforms against references.",
            "",
            "DCASE layout (<soundscape>_<Label>.wav, as in the S5 oracle_target/ folder): per-class SNR/SI-SDR",
            "and, with --mixture, their improvements and CA-SDRi; false positives and negatives are counted.",
            "Paired layout: the same file names in both folders; metrics averaged over channels.",
            "Missing and extra files are reported, never skipped silently."},
        footer = {"", "Examples:",
            "  sep4j eval --ref dev/oracle_target --est out/estimates --mixture dev/soundscape --out results/eval",
            "  sep4j eval --ref clean/ --est enhanced/ --metrics pesq,sisdr --jobs 2",
            "    (paired speech files; wideband PESQ at 16 kHz; add --pesq-mode nb for P.862 narrowband and its raw",
            "     score, --resample for files at other rates; a pair PESQ cannot score keeps its reason in items.csv)",
            "  sep4j eval experiment=dcase2025/separator checkpoint=outputs/dcase2025/separator/run1 \\",
            "      tagger=outputs/dcase2025/tagger/sed set=data/tiny-test --out results/run1",
            "    (separates every soundscape of a DCASE-layout set, stage-1 labels from the tagger or, without",
            "     tagger=, the oracle labels; writes <out>/estimates/<soundscape>_<Label>.wav and scores them)",
            "  sep4j eval experiment=dcase2025/separator checkpoint=outputs/dcase2025/separator/run1 \\",
            "      tagger=m2d_stage1.onnx set=data/tiny-test --out results/run1",
            "    (stage-1 labels from an ONNX tagger: input log-mel [B, 1, mels, frames] as model.sed computes it,",
            "     output clip [B, 18] probabilities, or an M2D export's logits; CUDA when usable, else CPU)",
            "  sep4j eval experiment=dcase2025/separator checkpoint=sep.onnx tagger=sed.onnx set=data/tiny-test",
            "    (both stages from models exported by sep4j export, run in ONNX Runtime)"})
final class EvalCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--ref", paramLabel = "DIR", description = "Reference waveforms (scoring a folder).")
    Path ref;

    @Option(names = "--est", paramLabel = "DIR", description = "Estimated waveforms (scoring a folder).")
    Path est;

    @CommandLine.Mixin
    ConfigCommand.Composition composition = new ConfigCommand.Composition();

    @Option(names = "--mixture", paramLabel = "DIR",
            description = "Mixtures <soundscape>.wav (channel 0 is the improvement reference); needed for casdri.")
    Path mixture;

    @Option(names = "--metrics", paramLabel = "LIST",
            description = "Comma-separated: snr, sisdr, sisnr, casdri, bss, pesq. Default: casdri,snr,sisdr with "
                    + "--mixture, else snr,sisdr.")
    String metrics;

    @Option(names = "--pesq-mode", defaultValue = "wb", paramLabel = "wb|nb",
            description = "PESQ variant: wb (P.862.2, 16 kHz) or nb (P.862 + P.862.1, 8 or 16 kHz; also writes "
                    + "pesq_raw). Default: ${DEFAULT-VALUE}.")
    String pesqMode;

    @Option(names = "--resample",
            description = "Score PESQ on files at other rates after resampling them (wb to 16 kHz, nb to 8 kHz); "
                    + "without it such files get a pesq_error in items.csv.")
    boolean resample;

    @Option(names = "--allow-missing",
            description = "Exit 0 even when references have no estimate (they are listed either way).")
    boolean allowMissing;

    @Option(names = "--jobs", defaultValue = "0", paramLabel = "N",
            description = "Items scored in parallel (default: ${DEFAULT-VALUE}, one per core).")
    int jobs;

    @Option(names = "--layout", defaultValue = "auto", paramLabel = "auto|dcase|paired",
            description = "How files pair up (default: ${DEFAULT-VALUE}, detected from the file names).")
    String layout;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where to write the report (default: outputs/eval/<date-time>).")
    Path out;

    @Override
    public Integer call() throws IOException {
        FolderScorer.Settings settings;
        try {
            settings = new FolderScorer.Settings(jobs, org.sep4j.evaluation.metrics.Pesq.Mode.parse(pesqMode), resample);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!composition.overrides.isEmpty()) {
            return new ModelEvaluation(spec, composition, metrics, settings, out).call();
        }
        if (ref == null || est == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --ref and --est (scoring a folder), or "
                    + "experiment=... checkpoint=... set=... (separating a dataset with a trained model)");
        }
        PrintWriter w = spec.commandLine().getOut();
        Set<FolderScorer.Metric> chosen;
        Layout lay;
        try {
            chosen = FolderScorer.Metric.parse(metrics != null ? metrics : mixture != null ? "casdri,snr,sisdr" : "snr,sisdr");
            lay = layout.equalsIgnoreCase("auto") ? Layout.detect(ref, mixture != null) : Layout.parse(layout);
        } catch (IllegalArgumentException | IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        FolderScorer.Result result;
        try {
            result = new FolderScorer(ref, est, mixture, chosen, settings).run(lay);
        } catch (IllegalArgumentException | IOException e) {
            // bad folders, unreadable layouts, impossible metric choices: usage errors (exit 2)
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Map<String, Object> provenance = provenance();
        provenance.put("references", ref.toAbsolutePath().toString());
        provenance.put("estimates", est.toAbsolutePath().toString());
        provenance.put("mixtures", mixture == null ? null : mixture.toAbsolutePath().toString());
        return report(w, result, provenance, reportDir(out), allowMissing);
    }

    /** The report folder: the one given, else outputs/eval/<date-time>. */
    static Path reportDir(Path out) {
        return out != null ? out
                : Path.of("outputs", "eval", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    static Map<String, Object> provenance() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("sep4j", Versions.sep4j());
        p.put("created", LocalDateTime.now().toString());
        return p;
    }

    /** Writes the report, prints its table; exit code 1 when items failed or (unless allowed) estimates are missing. */
    static int report(PrintWriter w, FolderScorer.Result result, Map<String, Object> provenance, Path dir,
            boolean allowMissing) throws IOException {
        EvaluationReport report = new EvaluationReport(result, provenance);
        report.write(dir);
        w.println(report.markdown());
        w.println("report written to " + dir);
        w.flush();
        if (!result.missing().isEmpty() && !allowMissing) {
            w.println(result.missing().size() + " reference(s) without an estimate: exit code 1 (--allow-missing accepts that)");
            w.flush();
            return 1;
        }
        return result.failed().isEmpty() ? 0 : 1;
    }
}
