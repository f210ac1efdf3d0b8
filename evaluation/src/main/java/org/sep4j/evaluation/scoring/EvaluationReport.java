package org.sep4j.evaluation.scoring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sep4j.core.io.AtomicFiles;
import org.sep4j.core.io.Json;
import org.sep4j.evaluation.metrics.CaSdri;
import org.sep4j.core.plot.Charts;
import org.sep4j.evaluation.report.ResultsTable;

/**
 * Writes what {@link FolderScorer} found: {@code items.csv} (one row per file or per class),
 * {@code mixtures.csv} (DCASE: per-soundscape CA-SDRi), {@code summary.json}, {@code summary.md}
 * and {@code histogram.png} of the per-item headline score. Every file is written atomically.
 */
public final class EvaluationReport {

    private final FolderScorer.Result result;
    private final Map<String, Object> provenance;

    public EvaluationReport(FolderScorer.Result result, Map<String, Object> provenance) {
        this.result = result;
        this.provenance = provenance;
    }

    /** Summary statistics of one metric over scored rows. */
    public record Stat(String metric, int count, double mean, double median, double std) {
    }

    public List<Stat> stats() {
        Set<String> keys = new LinkedHashSet<>();
        for (FolderScorer.Row r : result.rows()) {
            keys.addAll(r.values().keySet());
        }
        List<Stat> out = new ArrayList<>();
        if (!result.mixtures().isEmpty()) {
            out.add(stat("casdri", result.mixtures().stream().mapToDouble(CaSdri.Mixture::value).toArray()));
        }
        for (String k : keys) {
            out.add(stat(k, result.rows().stream().filter(r -> r.values().containsKey(k))
                    .mapToDouble(r -> r.values().get(k)).toArray()));
        }
        return out;
    }

    private static Stat stat(String name, double[] v) {
        double[] finite = Arrays.stream(v).filter(Double::isFinite).sorted().toArray();
        int n = finite.length;
        if (n == 0) {
            return new Stat(name, 0, Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = Arrays.stream(finite).average().orElse(Double.NaN);
        double median = n % 2 == 1 ? finite[n / 2] : (finite[n / 2 - 1] + finite[n / 2]) / 2;
        double var = Arrays.stream(finite).map(x -> (x - mean) * (x - mean)).sum() / n;
        return new Stat(name, n, mean, median, Math.sqrt(var));
    }

    /** The summary as a markdown table plus counts, as printed on the console. */
    public String markdown() {
        ResultsTable t = new ResultsTable(List.of("metric", "n", "mean", "median", "std"), 3);
        for (Stat s : stats()) {
            t.add(s.metric(), s.count(), s.mean(), s.median(), s.std());
        }
        StringBuilder sb = new StringBuilder(t.markdown());
        if (result.layout() == Layout.DCASE) {
            long tp = result.rows().stream().filter(r -> r.status().equals("TP")).count();
            long fp = result.rows().stream().filter(r -> r.status().equals("FP")).count();
            long fn = result.rows().stream().filter(r -> r.status().equals("FN")).count();
            sb.append(String.format(java.util.Locale.ROOT, "%nclasses: %d true positives, %d false positives, %d false negatives%n",
                    tp, fp, fn));
            if (!result.mixtures().isEmpty()) {
                sb.append(String.format(java.util.Locale.ROOT, "label accuracy: %.2f %% of %d soundscapes%n",
                        100 * CaSdri.labelAccuracy(result.mixtures()), result.mixtures().size()));
            }
        }
        appendList(sb, "metric errors (scoring went on)", result.rows().stream()
                .flatMap(r -> r.notes().entrySet().stream().map(e -> r.item()
                        + (r.label().isEmpty() ? "" : " " + r.label()) + " " + e.getKey() + ": " + e.getValue()))
                .toList());
        appendList(sb, "missing", result.missing());
        appendList(sb, "extra (not scored)", result.extra());
        appendList(sb, "failed", result.failed());
        return sb.toString();
    }

    private static void appendList(StringBuilder sb, String title, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        sb.append('\n').append(title).append(" (").append(items.size()).append("):\n");
        items.stream().limit(20).forEach(i -> sb.append("  ").append(i).append('\n'));
        if (items.size() > 20) {
            sb.append("  ... and ").append(items.size() - 20).append(" more (see summary.json)\n");
        }
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Set<String> keys = new LinkedHashSet<>();
        for (FolderScorer.Row r : result.rows()) {
            keys.addAll(r.values().keySet());
        }
        Set<String> noteKeys = new LinkedHashSet<>();
        for (FolderScorer.Row r : result.rows()) {
            noteKeys.addAll(r.notes().keySet());
        }
        List<String> header = new ArrayList<>(List.of("item", "label", "status"));
        header.addAll(keys);
        header.addAll(noteKeys);
        ResultsTable items = new ResultsTable(header, 3);
        for (FolderScorer.Row r : result.rows()) {
            Object[] cells = new Object[header.size()];
            cells[0] = r.item();
            cells[1] = r.label();
            cells[2] = r.status();
            int c = 3;
            for (String k : keys) {
                cells[c++] = r.values().get(k);
            }
            for (String k : noteKeys) {
                cells[c++] = r.notes().getOrDefault(k, "");
            }
            items.add(cells);
        }
        items.writeCsv(dir.resolve("items.csv"));
        double[] headline;
        String headlineName;
        String unit = "dB";
        if (!result.mixtures().isEmpty()) {
            ResultsTable mix = new ResultsTable(List.of("soundscape", "casdri", "tp", "fp", "fn", "labels_correct"), 3);
            for (int i = 0; i < result.mixtures().size(); i++) {
                CaSdri.Mixture m = result.mixtures().get(i);
                mix.add(result.mixtureNames().get(i), m.value(), String.join(" ", m.truePositives()),
                        String.join(" ", m.falsePositives()), String.join(" ", m.falseNegatives()), m.labelsCorrect());
            }
            mix.writeCsv(dir.resolve("mixtures.csv"));
            headline = result.mixtures().stream().mapToDouble(CaSdri.Mixture::value).toArray();
            headlineName = "CA-SDRi per soundscape (dB)";
        } else {
            String k = keys.isEmpty() ? null : keys.iterator().next();
            headline = result.rows().stream().filter(r -> k != null && r.values().containsKey(k))
                    .mapToDouble(r -> r.values().get(k)).toArray();
            unit = k != null && k.startsWith("pesq") ? "MOS" : "dB";
            headlineName = (k == null ? "score" : k) + " per item (" + unit + ")";
        }
        Map<String, Object> summary = new LinkedHashMap<>(provenance);
        summary.put("layout", result.layout().name().toLowerCase(java.util.Locale.ROOT));
        Map<String, Object> metrics = new LinkedHashMap<>();
        for (Stat s : stats()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("n", (long) s.count());
            m.put("mean", s.mean());
            m.put("median", s.median());
            m.put("std", s.std());
            metrics.put(s.metric(), m);
        }
        summary.put("metrics", metrics);
        if (!result.mixtures().isEmpty()) {
            summary.put("label_accuracy", CaSdri.labelAccuracy(result.mixtures()));
            summary.put("soundscapes", (long) result.mixtures().size());
        }
        summary.put("rows", (long) result.rows().size());
        summary.put("missing", result.missing());
        summary.put("extra", result.extra());
        summary.put("failed", result.failed());
        AtomicFiles.writeString(dir.resolve("summary.json"), Json.pretty(summary));
        AtomicFiles.writeString(dir.resolve("summary.md"), markdown());
        Charts.histogram(dir.resolve("histogram.png"), headline, 30, headlineName, unit);
        html(dir, keys, noteKeys);
    }

    /** report.html: the summary, the histogram, and every row with players for its files. */
    private void html(Path dir, Set<String> keys, Set<String> noteKeys) throws IOException {
        org.sep4j.evaluation.report.HtmlReport page = new org.sep4j.evaluation.report.HtmlReport(
                "sep4j eval: " + result.rows().size() + " rows (" + result.layout().name().toLowerCase(java.util.Locale.ROOT)
                        + " layout)");
        Object refs = provenance.get("references");
        if (refs != null) {
            page.note("references " + refs + "; estimates " + provenance.get("estimates"));
        }
        List<String[]> summaryRows = new ArrayList<>();
        for (Stat st : stats()) {
            summaryRows.add(new String[] {st.metric(), Long.toString(st.count()), fmt(st.mean()), fmt(st.median()), fmt(st.std())});
        }
        page.summary(List.of("metric", "n", "mean", "median", "std"), summaryRows);
        page.image("histogram", "histogram.png");
        List<String> columns = new ArrayList<>(List.of("item", "label", "status"));
        columns.addAll(keys);
        columns.addAll(noteKeys);
        List<org.sep4j.evaluation.report.HtmlReport.Item> items = new ArrayList<>();
        for (FolderScorer.Row r : result.rows()) {
            Map<String, String> cells = new LinkedHashMap<>();
            cells.put("item", r.item());
            cells.put("label", r.label());
            cells.put("status", r.status());
            Map<String, Double> numbers = new LinkedHashMap<>();
            for (String k : keys) {
                Double v = r.values().get(k);
                cells.put(k, v == null ? "" : fmt(v));
                if (v != null) {
                    numbers.put(k, v);
                }
            }
            noteKeys.forEach(k -> cells.put(k, r.notes().getOrDefault(k, "")));
            List<org.sep4j.evaluation.report.HtmlReport.Media> media = new ArrayList<>();
            r.audio().forEach((role, file) -> {
                if (Files.isRegularFile(file)) {
                    media.add(new org.sep4j.evaluation.report.HtmlReport.Media(role, file));
                }
            });
            items.add(new org.sep4j.evaluation.report.HtmlReport.Item(cells, numbers, media));
        }
        page.items(columns, items, keys.isEmpty() ? null : keys.iterator().next(), 50);
        page.write(dir);
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%.3f", v) : "NaN";
    }
}
