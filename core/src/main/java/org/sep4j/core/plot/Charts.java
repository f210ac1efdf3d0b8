package org.sep4j.core.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.sep4j.core.io.AtomicFiles;

/**
 * PNG charts for reports, drawn by XChart: a histogram of per-item scores, grouped bars (one group
 * per variant, error bars where given, reference lines such as a no-model floor), line charts over
 * a shared x axis (integer axes get integer ticks only), and a spectrogram image. Headless.
 */
public final class Charts {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final int W = 900;
    private static final int H = 540;

    /** One named line of a line chart. */
    public record Series(String name, double[] y) {
    }

    /** One named series of a bar chart: a value per category and, or null, a ± error per category. */
    public record Bars(String name, double[] values, double[] errors) {
    }

    /** A horizontal reference line at {@code value}, named in the chart's title. */
    public record Reference(String name, double value) {
    }

    private Charts() {
    }

    /** Histogram of finite values in {@code bins} equal-width bins; integer count ticks. */
    public static void histogram(Path file, double[] values, int bins, String title, String xLabel) throws IOException {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        int n = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
                n++;
            }
        }
        if (n == 0) {
            lo = 0;
            hi = 1;
        }
        if (hi - lo < 1e-9) {
            lo -= 0.5;
            hi += 0.5;
        }
        // bins on a round grid (1, 2 or 5 × 10^k wide), so the edges the axis shows are round numbers
        double width = niceStep((hi - lo) / bins);
        lo = Math.floor(lo / width) * width;
        bins = Math.max(1, (int) Math.ceil((hi - lo) / width - 1e-9));
        hi = lo + bins * width;
        double[] counts = new double[bins + 1];
        for (double v : values) {
            if (Double.isFinite(v)) {
                counts[Math.min(bins - 1, (int) ((v - lo) / (hi - lo) * bins))]++;
            }
        }
        counts[bins] = counts[bins - 1]; // the step line's last edge
        double[] edges = new double[bins + 1];
        double maxCount = 1;
        for (int b = 0; b <= bins; b++) {
            edges[b] = lo + (hi - lo) * b / bins;
            maxCount = Math.max(maxCount, counts[b]);
        }
        XYChart c = new XYChartBuilder().width(W).height(H).title(title + " (n = " + n + ")").xAxisTitle(xLabel)
                .yAxisTitle("count").build();
        style(c.getStyler());
        c.getStyler().setLegendVisible(false);
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setYAxisMax(Math.max(5, Math.ceil(maxCount * 1.1)));
        c.setCustomYAxisTickLabelsFormatter(integersOnly());
        c.getStyler().setXAxisDecimalPattern("0.###");
        XYSeries s = c.addSeries("count", edges, counts);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
        s.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        write(file, c);
    }

    /** One bar per label. */
    public static void bars(Path file, List<String> labels, double[] values, String title, String yLabel)
            throws IOException {
        bars(file, labels, List.of(new Bars(yLabel, values, null)), List.of(), title, yLabel);
    }

    /**
     * Grouped bars: one group per category, one bar per series (a legend when there are several),
     * error bars where a series has them, and horizontal reference lines named in the title.
     * Non-finite values draw no bar.
     */
    public static void bars(Path file, List<String> categories, List<Bars> series, List<Reference> references, String title,
            String yLabel) throws IOException {
        StringBuilder t = new StringBuilder(title);
        if (!references.isEmpty()) {
            t.append(" (lines: ");
            for (int i = 0; i < references.size(); i++) {
                Reference r = references.get(i);
                t.append(i == 0 ? "" : "; ").append(r.name()).append(String.format(Locale.ROOT, " %.2f", r.value()));
            }
            t.append(')');
        }
        CategoryChart c = new CategoryChartBuilder().width(W).height(H).title(t.toString()).yAxisTitle(yLabel).build();
        style(c.getStyler());
        c.getStyler().setLegendVisible(series.size() > 1);
        c.getStyler().setXAxisLabelRotation(categories.size() > 4 ? 30 : 0);
        c.getStyler().setAvailableSpaceFill(0.8);
        double lo = 0;
        double hi = 0;
        for (Bars b : series) {
            List<Double> v = new ArrayList<>();
            List<Double> e = new ArrayList<>();
            for (int i = 0; i < categories.size(); i++) {
                double x = b.values()[i];
                double err = b.errors() == null || !Double.isFinite(b.errors()[i]) ? 0 : b.errors()[i];
                v.add(Double.isFinite(x) ? x : 0.0);
                e.add(Double.isFinite(x) ? err : 0.0);
                if (Double.isFinite(x)) {
                    lo = Math.min(lo, x - err);
                    hi = Math.max(hi, x + err);
                }
            }
            if (b.errors() != null) {
                c.addSeries(b.name(), shortened(categories), v, e);
            } else {
                c.addSeries(b.name(), shortened(categories), v);
            }
        }
        for (Reference r : references) {
            lo = Math.min(lo, r.value());
            hi = Math.max(hi, r.value());
            c.addAnnotation(new AnnotationLine(r.value(), false, false));
        }
        c.getStyler().setYAxisMin(lo);
        c.getStyler().setYAxisMax(hi > lo ? hi + 0.05 * (hi - lo) : lo + 1);
        c.getStyler().setAnnotationLineColor(Color.DARK_GRAY);
        c.getStyler().setAnnotationLineStroke(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT,
                java.awt.BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        write(file, c);
    }

    /** Lines over shared x values, a legend when there are several; integer x values get integer ticks only. */
    public static void lines(Path file, double[] x, List<Series> series, String title, String xLabel, String yLabel)
            throws IOException {
        XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        style(c.getStyler());
        c.getStyler().setLegendVisible(series.size() > 1);
        boolean integers = true;
        for (double v : x) {
            integers &= v == Math.rint(v);
        }
        if (integers) {
            c.setCustomXAxisTickLabelsFormatter(integersOnly());
        } else {
            c.getStyler().setXAxisDecimalPattern("0.###");
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            int n = Math.min(x.length, s.y().length);
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (Double.isFinite(s.y()[i])) {
                    xs.add(x[i]);
                    ys.add(s.y()[i]);
                    lo = Math.min(lo, s.y()[i]);
                    hi = Math.max(hi, s.y()[i]);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries line = c.addSeries(s.name(), xs, ys);
            line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        }
        if (c.getSeriesMap().isEmpty()) {
            c.addSeries("(no finite values)", new double[] {0}, new double[] {0});
        } else if (!(hi - lo > 1e-9)) { // a flat line: give it room instead of a degenerate axis
            c.getStyler().setYAxisMin(lo - 0.5);
            c.getStyler().setYAxisMax(hi + 0.5);
        }
        write(file, c);
    }

    private static void style(AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(true);
        s.setPlotGridVerticalLinesVisible(false);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setYAxisTickMarkSpacingHint(60);
        s.setAntiAlias(true);
    }

    /** The smallest 1, 2 or 5 × 10^k at least {@code x}. */
    static double niceStep(double x) {
        double p = Math.pow(10, Math.floor(Math.log10(x)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= x * (1 - 1e-9)) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /** Tick labels on whole numbers only (a fractional tick of a count or pass axis gets no label). */
    private static Function<Double, String> integersOnly() {
        return v -> Math.abs(v - Math.rint(v)) < 1e-9 ? String.format(Locale.ROOT, "%d", Math.round(v)) : "";
    }

    /** Category names cut to 28 characters (long variant names would push the plot off the canvas). */
    private static List<String> shortened(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            String s = n.length() <= 28 ? n : n.substring(0, 27) + "…";
            while (out.contains(s)) {
                s = s + " ";
            }
            out.add(s);
        }
        return out;
    }

    private static void write(Path file, org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) throws IOException {
        AtomicFiles.write(file, tmp -> {
            try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(tmp)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
        });
    }

    /**
     * A log-magnitude spectrogram of a mono signal as a PNG: |STFT| (n_fft 512, hop 128) in dB,
     * an 80 dB range below the loudest bin, low frequencies at the bottom, frames averaged down to
     * at most {@code maxWidth} columns, a perceptually ordered dark-to-bright colour map.
     */
    public static void spectrogram(Path file, float[] x, int maxWidth) throws IOException {
        org.sep4j.core.dsp.Spectrogram s = org.sep4j.core.dsp.Stft.forward(new float[][] {x.length == 0 ? new float[1] : x},
                512, 128, org.sep4j.core.dsp.Window.HANN.periodic(512), true, org.sep4j.core.dsp.PadMode.CONSTANT, false, true);
        int bins = s.bins();
        int frames = s.frames();
        int width = Math.max(1, Math.min(maxWidth, frames));
        int height = 128;
        double[][] db = new double[width][height];
        double peak = -Double.MAX_VALUE;
        for (int col = 0; col < width; col++) {
            int t0 = (int) ((long) col * frames / width);
            int t1 = Math.max(t0 + 1, (int) ((long) (col + 1) * frames / width));
            for (int row = 0; row < height; row++) {
                int f0 = row * bins / height;
                int f1 = Math.max(f0 + 1, (row + 1) * bins / height);
                double power = 0;
                for (int t = t0; t < t1; t++) {
                    for (int f = f0; f < f1; f++) {
                        double re = s.re(0, f, t);
                        double im = s.im(0, f, t);
                        power += re * re + im * im;
                    }
                }
                db[col][row] = 10 * Math.log10(power / ((t1 - t0) * (f1 - f0)) + 1e-20);
                peak = Math.max(peak, db[col][row]);
            }
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int col = 0; col < width; col++) {
            for (int row = 0; row < height; row++) {
                double v = Math.max(0, Math.min(1, (db[col][row] - peak + 80) / 80));
                img.setRGB(col, height - 1 - row, colour(v));
            }
        }
        writeImage(file, img);
    }

    /** Dark blue → purple → orange → pale yellow, roughly magma's ramp. */
    private static int colour(double v) {
        double[][] stops = {{0, 0, 4}, {81, 18, 124}, {183, 55, 121}, {252, 137, 97}, {252, 253, 191}};
        double p = v * (stops.length - 1);
        int i = Math.min((int) p, stops.length - 2);
        double t = p - i;
        int r = (int) Math.round(stops[i][0] + t * (stops[i + 1][0] - stops[i][0]));
        int g = (int) Math.round(stops[i][1] + t * (stops[i + 1][1] - stops[i][1]));
        int b = (int) Math.round(stops[i][2] + t * (stops[i + 1][2] - stops[i][2]));
        return (r << 16) | (g << 8) | b;
    }

    private static void writeImage(Path file, BufferedImage img) throws IOException {
        AtomicFiles.write(file, tmp -> {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("no PNG writer available");
            }
        });
    }
}
