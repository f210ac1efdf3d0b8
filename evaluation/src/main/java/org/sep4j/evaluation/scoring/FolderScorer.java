package org.sep4j.evaluation.scoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.sep4j.core.audio.Audio;
import org.sep4j.core.audio.AudioFiles;
import org.sep4j.core.progress.ProgressBar;
import org.sep4j.evaluation.metrics.BssEval;
import org.sep4j.evaluation.metrics.CaSdri;
import org.sep4j.evaluation.metrics.Pesq;
import org.sep4j.evaluation.metrics.PesqException;
import org.sep4j.evaluation.metrics.SiSdr;
import org.sep4j.evaluation.metrics.Snr;

/**
 * Scores a folder of estimates against a folder of references, item by item in parallel.
 *
 * <p>DCASE layout: items are soundscapes; every reference class is a true positive or a false
 * negative, every estimated class a true positive or a false positive; per-class SNR/SI-SDR (and
 * their improvements over the mixture's channel 0 when mixtures are given) and per-mixture
 * CA-SDRi. Paired layout: items are files; metrics are averaged over channels. Missing estimates,
 * extra estimates and unreadable files are collected in the result, never skipped silently.
 */
public final class FolderScorer {

    /** The metrics {@code sep4j eval --metrics} accepts. */
    public enum Metric {
        SNR, SISDR, SISNR, CASDRI, BSS, PESQ;

        public static Set<Metric> parse(String csv) {
            Set<Metric> out = EnumSet.noneOf(Metric.class);
            for (String s : csv.split(",")) {
                String name = s.strip().toUpperCase(Locale.ROOT).replace("-", "");
                if (name.isEmpty()) {
                    continue;
                }
                try {
                    out.add(valueOf(name));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown metric '" + s.strip()
                            + "' (expected snr, sisdr, sisnr, casdri, bss or pesq)");
                }
            }
            return out;
        }
    }

    /**
     * One scored row: an item (file or soundscape) and, in the DCASE layout, a class. {@code notes}
     * holds why a metric has no value (e.g. {@code pesq_error}), written as extra items.csv columns.
     */
    public record Row(String item, String label, String status, Map<String, Double> values, Map<String, String> notes,
            Map<String, Path> audio) {

        public Row(String item, String label, String status, Map<String, Double> values) {
            this(item, label, status, values, new LinkedHashMap<>(), new LinkedHashMap<>());
        }

        public Row(String item, String label, String status, Map<String, Double> values, Map<String, String> notes) {
            this(item, label, status, values, notes, new LinkedHashMap<>());
        }
    }

    /**
     * How to score: {@code jobs} items at a time (0: one per core); PESQ in {@code pesqMode},
     * resampling other rates when {@code resample} (wideband to 16 kHz, narrowband to 8 kHz).
     */
    public record Settings(int jobs, Pesq.Mode pesqMode, boolean resample) {

        public static final Settings DEFAULT = new Settings(0, Pesq.Mode.WB, false);

        public Settings {
            if (jobs < 0) {
                throw new IllegalArgumentException("--jobs must be 0 (one per core) or more, got " + jobs);
            }
        }
    }

    /** What a run found. */
    public record Result(Layout layout, List<Row> rows, List<CaSdri.Mixture> mixtures, List<String> mixtureNames,
            List<String> missing, List<String> extra, List<String> failed) {
    }

    private final Path references;
    private final Path estimates;
    private final Path mixtures;
    private final Set<Metric> metrics;
    private final Settings settings;
    private final Pesq pesq;

    /**
     * @param mixtures folder of {@code <soundscape>.wav} mixtures, or null
     */
    public FolderScorer(Path references, Path estimates, Path mixtures, Set<Metric> metrics) {
        this(references, estimates, mixtures, metrics, Settings.DEFAULT);
    }

    public FolderScorer(Path references, Path estimates, Path mixtures, Set<Metric> metrics, Settings settings) {
        this.references = references;
        this.estimates = estimates;
        this.mixtures = mixtures;
        this.metrics = metrics;
        this.settings = settings;
        this.pesq = new Pesq(settings.pesqMode(), settings.resample());
    }

    /** Runs {@code body} for 0 … n−1 on {@code settings.jobs()} threads (the common pool for 0). */
    private void parallel(int n, java.util.function.IntConsumer body) {
        if (settings.jobs() == 0) {
            IntStream.range(0, n).parallel().forEach(body);
            return;
        }
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(settings.jobs());
        try {
            pool.submit(() -> IntStream.range(0, n).parallel().forEach(body)).join();
        } finally {
            pool.shutdown();
        }
    }

    /**
     * PESQ of one estimate into {@code v} ({@code pesq}, and {@code pesq_raw} for narrowband); a
     * pair PESQ cannot score gets NaN and its reason in {@code notes}, and scoring goes on.
     */
    private void pesqInto(float[] reference, float[] estimate, int rate, Map<String, Double> v, Map<String, String> notes) {
        try {
            Pesq.Score score = pesq.score(reference, estimate, rate);
            v.put("pesq", score.mos());
            if (pesq.mode() == Pesq.Mode.NB) {
                v.put("pesq_raw", score.raw());
            }
        } catch (PesqException e) {
            v.put("pesq", Double.NaN);
            notes.put("pesq_error", e.reason().code() + ": " + e.getMessage());
        }
    }

    public Result run(Layout layout) throws IOException {
        for (Path dir : mixtures == null ? List.of(references, estimates) : List.of(references, estimates, mixtures)) {
            if (!Files.isDirectory(dir)) {
                throw new IOException(dir + ": no such folder");
            }
        }
        if (metrics.contains(Metric.CASDRI) && layout != Layout.DCASE) {
            throw new IllegalArgumentException("casdri needs the DCASE layout (<soundscape>_<Label>.wav files)");
        }
        if (metrics.contains(Metric.CASDRI) && mixtures == null) {
            throw new IllegalArgumentException("casdri needs --mixture DIR: the improvement is measured against the "
                    + "mixture's channel 0");
        }
        return layout == Layout.DCASE ? dcase() : paired();
    }

    private Result paired() throws IOException {
        List<Path> refs = Layout.Wavs.list(references);
        Set<Path> ests = new TreeSet<>(Layout.Wavs.list(estimates));
        List<String> missing = new ArrayList<>();
        List<Path> both = new ArrayList<>();
        for (Path r : refs) {
            if (ests.remove(r)) {
                both.add(r);
            } else {
                missing.add(r.toString());
            }
        }
        List<String> extra = ests.stream().map(Path::toString).toList();
        Row[] rows = new Row[both.size()];
        List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ProgressBar bar = ProgressBar.start("eval", both.size(), "files")) {
            parallel(both.size(), i -> {
                Path rel = both.get(i);
                try {
                    Audio ref = finite(AudioFiles.read(references.resolve(rel)), references.resolve(rel));
                    Audio est = finite(AudioFiles.read(estimates.resolve(rel)), estimates.resolve(rel));
                    Map<String, String> notes = new LinkedHashMap<>();
                    Map<String, Path> audio = new LinkedHashMap<>();
                    audio.put("reference", references.resolve(rel));
                    audio.put("estimate", estimates.resolve(rel));
                    rows[i] = new Row(rel.toString(), "", "scored", pairedValues(ref, est, rel, notes), notes, audio);
                } catch (IOException | IllegalArgumentException e) {
                    failed.add(rel + ": " + e.getMessage());
                }
                bar.step();
            });
        }
        List<Row> out = new ArrayList<>();
        for (Row r : rows) {
            if (r != null) {
                out.add(r);
            }
        }
        return new Result(Layout.PAIRED, out, List.of(), List.of(), missing, extra, List.copyOf(failed));
    }

    private Map<String, Double> pairedValues(Audio ref, Audio est, Path rel, Map<String, String> notes) {
        check(ref, est, "estimate " + estimates.resolve(rel), references.resolve(rel));
        Map<String, Double> v = new LinkedHashMap<>();
        if (metrics.contains(Metric.SNR)) {
            v.put("snr", channelMean(ref, est, Snr::snr));
        }
        if (metrics.contains(Metric.SISDR)) {
            v.put("sisdr", channelMean(ref, est, SiSdr::siSdr));
        }
        if (metrics.contains(Metric.SISNR)) {
            v.put("sisnr", channelMean(ref, est, SiSdr::siSnr));
        }
        if (metrics.contains(Metric.BSS)) {
            BssEval.Images b = BssEval.images(new float[][][] {ref.samples()}, new float[][][] {est.samples()}, false);
            v.put("bss_sdr", b.sdr()[0]);
            v.put("bss_isr", b.isr()[0]);
            v.put("bss_sar", b.sar()[0]);
        }
        if (metrics.contains(Metric.PESQ)) {
            // PESQ is defined on mono speech: score the channel mix-down.
            pesqInto(ref.downmix(), est.downmix(), ref.sampleRate(), v, notes);
        }
        return v;
    }

    /** A per-channel metric (estimate, reference) averaged over channels. */
    private static double channelMean(Audio ref, Audio est, java.util.function.ToDoubleBiFunction<float[], float[]> metric) {
        double s = 0;
        for (int c = 0; c < ref.channels(); c++) {
            s += metric.applyAsDouble(est.channel(c), ref.channel(c));
        }
        return s / ref.channels();
    }

    private Result dcase() throws IOException {
        Map<String, Map<String, Path>> refs = group(references);
        Map<String, Map<String, Path>> ests = group(estimates);
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        for (String s : ests.keySet()) {
            if (!refs.containsKey(s)) {
                extra.add(s + " (no reference soundscape; " + ests.get(s).size() + " file(s) not scored)");
            }
        }
        List<String> names = new ArrayList<>(refs.keySet());
        for (String s : names) {
            if (!ests.containsKey(s)) {
                missing.add(s + " (no estimates: all " + nonSilent(refs.get(s)).size() + " target(s) count as false negatives)");
            }
        }
        @SuppressWarnings("unchecked")
        List<Row>[] rows = new List[names.size()];
        CaSdri.Mixture[] mix = new CaSdri.Mixture[names.size()];
        List<String> failed = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ProgressBar bar = ProgressBar.start("eval", names.size(), "soundscapes")) {
            parallel(names.size(), i -> {
                String s = names.get(i);
                try {
                    DcaseItem item = scoreSoundscape(s, refs.get(s), ests.getOrDefault(s, Map.of()));
                    rows[i] = item.rows;
                    mix[i] = item.mixture;
                } catch (IOException | IllegalArgumentException | UncheckedIOException e) {
                    failed.add(s + ": " + e.getMessage());
                }
                bar.step();
            });
        }
        List<Row> outRows = new ArrayList<>();
        List<CaSdri.Mixture> outMix = new ArrayList<>();
        List<String> mixNames = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (rows[i] != null) {
                outRows.addAll(rows[i]);
            }
            if (mix[i] != null) {
                outMix.add(mix[i]);
                mixNames.add(names.get(i));
            }
        }
        return new Result(Layout.DCASE, outRows, outMix, mixNames, missing, extra, List.copyOf(failed));
    }

    private record DcaseItem(List<Row> rows, CaSdri.Mixture mixture) {
    }

    private DcaseItem scoreSoundscape(String name, Map<String, Path> refFiles, Map<String, Path> estFiles)
            throws IOException {
        Map<String, float[]> ref = new LinkedHashMap<>();
        Map<String, float[]> est = new LinkedHashMap<>();
        int rate = -1;
        int length = -1;
        Path first = null;
        for (Map<String, Path> files : List.of(refFiles, estFiles)) {
            for (Map.Entry<String, Path> e : files.entrySet()) {
                Audio a = AudioFiles.read(e.getValue());
                if (a.channels() != 1) {
                    throw new IllegalArgumentException(e.getValue() + ": expected a mono waveform, found "
                            + a.channels() + " channels");
                }
                if (first == null) {
                    first = e.getValue();
                    rate = a.sampleRate();
                    length = a.length();
                } else if (a.sampleRate() != rate || a.length() != length) {
                    throw new IllegalArgumentException(e.getValue() + ": " + a.length() + " samples at "
                            + a.sampleRate() + " Hz, but " + first + " has " + length + " at " + rate + " Hz");
                }
                (files == refFiles ? ref : est).put(e.getKey(), finite(a, e.getValue()).channel(0));
            }
        }
        float[] mixture0 = null;
        if (mixtures != null) {
            Path mp = mixtures.resolve(name + ".wav");
            if (!Files.isRegularFile(mp)) {
                throw new IOException(mp + ": mixture missing for soundscape " + name);
            }
            Audio m = AudioFiles.read(mp);
            if (m.sampleRate() != rate || m.length() != length) {
                throw new IllegalArgumentException(mp + ": " + m.length() + " samples at " + m.sampleRate()
                        + " Hz, but the references have " + length + " at " + rate + " Hz");
            }
            mixture0 = m.channel(0);
        }
        List<Row> rows = new ArrayList<>();
        Set<String> labels = new TreeSet<>(nonSilent(refFiles).keySet());
        labels.addAll(nonSilent(estFiles).keySet());
        for (String label : labels) {
            boolean inRef = ref.containsKey(label);
            boolean inEst = est.containsKey(label);
            String status = inRef && inEst ? "TP" : inEst ? "FP" : "FN";
            Map<String, Double> v = new LinkedHashMap<>();
            Map<String, String> notes = new LinkedHashMap<>();
            if (inRef && inEst) {
                float[] s = ref.get(label);
                float[] e = est.get(label);
                if (metrics.contains(Metric.PESQ)) {
                    pesqInto(s, e, rate, v, notes);
                }
                if (metrics.contains(Metric.SNR) || metrics.contains(Metric.CASDRI)) {
                    v.put("snr", Snr.snr(e, s));
                    if (mixture0 != null) {
                        v.put("snri", Snr.improvement(e, s, mixture0));
                    }
                }
                if (metrics.contains(Metric.SISDR)) {
                    v.put("sisdr", SiSdr.siSdr(e, s));
                    if (mixture0 != null) {
                        v.put("sisdri", SiSdr.siSdrImprovement(e, s, mixture0));
                    }
                }
                if (metrics.contains(Metric.SISNR)) {
                    v.put("sisnr", SiSdr.siSnr(e, s));
                }
            }
            Map<String, Path> audio = new LinkedHashMap<>();
            if (mixtures != null) {
                audio.put("mixture", mixtures.resolve(name + ".wav"));
            }
            if (refFiles.containsKey(label)) {
                audio.put("reference", refFiles.get(label));
            }
            if (estFiles.containsKey(label)) {
                audio.put("estimate", estFiles.get(label));
            }
            rows.add(new Row(name, label, status, v, notes, audio));
        }
        if (metrics.contains(Metric.BSS)) {
            List<String> tp = rows.stream().filter(r -> r.status().equals("TP")).map(Row::label).toList();
            if (!tp.isEmpty()) {
                float[][] r = tp.stream().map(ref::get).toArray(float[][]::new);
                float[][] e = tp.stream().map(est::get).toArray(float[][]::new);
                BssEval.Sources b = BssEval.sources(r, e, false);
                for (Row row : rows) {
                    int k = tp.indexOf(row.label());
                    if (k >= 0) {
                        row.values().put("bss_sdr", b.sdr()[k]);
                        row.values().put("bss_sir", b.sir()[k]);
                        row.values().put("bss_sar", b.sar()[k]);
                    }
                }
            }
        }
        CaSdri.Mixture m = mixture0 != null && metrics.contains(Metric.CASDRI)
                ? CaSdri.mixture(ref, est, mixture0) : null;
        return new DcaseItem(rows, m);
    }

    /**
     * The audio, if every sample is finite: a NaN or infinity would turn every metric of the item
     * into NaN, so the item fails, naming the file and the first bad sample.
     */
    static Audio finite(Audio a, Path file) {
        for (int c = 0; c < a.channels(); c++) {
            float[] x = a.channel(c);
            for (int i = 0; i < x.length; i++) {
                if (!Float.isFinite(x[i])) {
                    throw new IllegalArgumentException(file + ": sample " + i + " of channel " + c + " is " + x[i]
                            + String.format(java.util.Locale.ROOT, " (at %.3f s); metrics need finite samples",
                                    i / (double) a.sampleRate()));
                }
            }
        }
        return a;
    }

    private static Map<String, Path> nonSilent(Map<String, Path> files) {
        Map<String, Path> out = new TreeMap<>(files);
        out.remove(CaSdri.SILENCE);
        return out;
    }

    /** soundscape → label → file; a name that does not split into soundscape and label is an error. */
    private static Map<String, Map<String, Path>> group(Path dir) throws IOException {
        Map<String, Map<String, Path>> out = new TreeMap<>();
        for (Path rel : Layout.Wavs.list(dir)) {
            Layout.DcaseName n = Layout.DcaseName.parse(rel.getFileName().toString());
            if (n.label() == null) {
                throw new IOException(dir.resolve(rel) + ": not a DCASE file name (expected <soundscape>_<Label>.wav)");
            }
            Path parent = rel.getParent();
            String key = parent == null ? n.soundscape() : parent.resolve(n.soundscape()).toString();
            out.computeIfAbsent(key, k -> new TreeMap<>()).put(n.label(), dir.resolve(rel));
        }
        return out;
    }

    private void check(Audio ref, Audio est, String estName, Path refPath) {
        if (ref.sampleRate() != est.sampleRate()) {
            throw new IllegalArgumentException(estName + " is " + est.sampleRate() + " Hz but " + refPath + " is "
                    + ref.sampleRate() + " Hz");
        }
        if (ref.channels() != est.channels()) {
            throw new IllegalArgumentException(estName + " has " + est.channels() + " channels but " + refPath
                    + " has " + ref.channels());
        }
        // PESQ aligns the two itself (delay and length may differ); the sample-wise metrics cannot.
        boolean sampleWise = metrics.stream().anyMatch(m -> m != Metric.PESQ);
        if (sampleWise && ref.length() != est.length()) {
            throw new IllegalArgumentException(estName + " has " + est.length() + " samples but " + refPath
                    + " has " + ref.length() + (metrics.contains(Metric.PESQ) ? " (only pesq scores pairs of "
                    + "different lengths: --metrics pesq)" : ""));
        }
    }
}
