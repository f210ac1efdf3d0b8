package org.sep4j.core.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.sep4j.core.io.AtomicFiles;

/**
 * Small PNG charts drawn with Java2D (headless): a histogram of per-item scores, a bar chart of
 * one value per variant and a line chart of series over a shared x axis. Enough for reports;
 * no plotting library on the class path.
 */
public final class Charts {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final int W = 900;
    private static final int H = 540;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b)};

    /** One named line of a line chart. */
    public record Series(String name, double[] y) {
    }

    private Charts() {
    }

    /** Histogram of finite values in {@code bins} equal-width bins. */
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
        int[] counts = new int[bins];
        for (double v : values) {
            if (Double.isFinite(v)) {
                counts[Math.min(bins - 1, (int) ((v - lo) / (hi - lo) * bins))]++;
            }
        }
        int max = 1;
        for (int c : counts) {
            max = Math.max(max, c);
        }
        max = (max + 4) / 5 * 5; // whole-number ticks
        BufferedImage img = canvas();
        Graphics2D g = img.createGraphics();
        setup(g);
        frame(g, title + " (n = " + n + ")", xLabel, "count");
        yTicks(g, 0, max);
        xTicks(g, lo, hi);
        double bw = (W - LEFT - RIGHT) / (double) bins;
        g.setColor(PALETTE[0]);
        for (int b = 0; b < bins; b++) {
            int h = (int) Math.round((H - TOP - BOTTOM) * counts[b] / (double) max);
            g.fillRect(LEFT + (int) (b * bw) + 1, H - BOTTOM - h, Math.max(1, (int) bw - 2), h);
        }
        g.dispose();
        write(file, img);
    }

    /** One bar per label. */
    public static void bars(Path file, List<String> labels, double[] values, String title, String yLabel)
            throws IOException {
        double lo = Math.min(0, min(values));
        double hi = Math.max(0, max(values));
        if (hi - lo < 1e-9) {
            hi = lo + 1;
        }
        BufferedImage img = canvas();
        Graphics2D g = img.createGraphics();
        setup(g);
        frame(g, title, "", yLabel);
        yTicks(g, lo, hi);
        double bw = (W - LEFT - RIGHT) / (double) labels.size();
        int zero = yPix(0, lo, hi);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i < labels.size(); i++) {
            if (!Double.isFinite(values[i])) {
                continue;
            }
            int y = yPix(values[i], lo, hi);
            g.setColor(PALETTE[i % PALETTE.length]);
            int x = LEFT + (int) (i * bw + bw * 0.15);
            g.fillRect(x, Math.min(y, zero), (int) (bw * 0.7), Math.abs(zero - y));
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.2f", values[i]), x, Math.min(y, zero) - 4);
            g.drawString(shorten(labels.get(i), (int) (bw / 6.5)), x, H - BOTTOM + 16 + (i % 2) * 14);
        }
        g.dispose();
        write(file, img);
    }

    /** Lines over shared x values, with a legend. */
    public static void lines(Path file, double[] x, List<Series> series, String title, String xLabel, String yLabel)
            throws IOException {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            lo = Math.min(lo, min(s.y()));
            hi = Math.max(hi, max(s.y()));
        }
        if (!(hi - lo > 1e-9)) {
            lo = Double.isFinite(lo) ? lo - 0.5 : 0;
            hi = lo + 1;
        }
        double pad = (hi - lo) * 0.1;
        lo -= pad;
        hi += pad;
        double x0 = min(x);
        double x1 = Math.max(x0 + 1e-9, max(x));
        BufferedImage img = canvas();
        Graphics2D g = img.createGraphics();
        setup(g);
        frame(g, title, xLabel, yLabel);
        yTicks(g, lo, hi);
        xTicks(g, x0, x1);
        g.setStroke(new BasicStroke(2f));
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            g.setColor(PALETTE[k % PALETTE.length]);
            int px = -1;
            int py = -1;
            for (int i = 0; i < x.length && i < s.y().length; i++) {
                if (!Double.isFinite(s.y()[i])) {
                    px = -1;
                    continue;
                }
                int cx = LEFT + (int) ((x[i] - x0) / (x1 - x0) * (W - LEFT - RIGHT));
                int cy = yPix(s.y()[i], lo, hi);
                g.fillOval(cx - 4, cy - 4, 8, 8);
                if (px >= 0) {
                    g.drawLine(px, py, cx, cy);
                }
                px = cx;
                py = cy;
            }
            g.drawString(s.name(), W - RIGHT - 220, TOP + 18 + 16 * k);
        }
        g.dispose();
        write(file, img);
    }

    private static BufferedImage canvas() {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.dispose();
        return img;
    }

    private static void setup(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    }

    private static void frame(Graphics2D g, String title, String xLabel, String yLabel) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, LEFT, TOP - 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(xLabel, LEFT + (W - LEFT - RIGHT) / 2 - 4 * xLabel.length(), H - 15);
        Graphics2D r = (Graphics2D) g.create();
        r.rotate(-Math.PI / 2);
        r.drawString(yLabel, -(TOP + (H - TOP - BOTTOM) / 2 + 4 * yLabel.length()), 18);
        r.dispose();
        g.drawRect(LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM);
    }

    private static void yTicks(Graphics2D g, double lo, double hi) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i <= 5; i++) {
            double v = lo + (hi - lo) * i / 5;
            int y = yPix(v, lo, hi);
            g.setColor(new Color(0xdddddd));
            g.drawLine(LEFT + 1, y, W - RIGHT - 1, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(tick(v), 8, y + 4);
        }
    }

    private static void xTicks(Graphics2D g, double lo, double hi) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(Color.DARK_GRAY);
        for (int i = 0; i <= 5; i++) {
            double v = lo + (hi - lo) * i / 5;
            int x = LEFT + (W - LEFT - RIGHT) * i / 5;
            g.drawString(tick(v), x - 12, H - BOTTOM + 18);
        }
    }

    private static String tick(double v) {
        return Math.abs(v) >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    private static int yPix(double v, double lo, double hi) {
        return H - BOTTOM - (int) Math.round((v - lo) / (hi - lo) * (H - TOP - BOTTOM));
    }

    private static String shorten(String s, int max) {
        return s.length() <= Math.max(4, max) ? s : s.substring(0, Math.max(3, max - 1)) + "…";
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double d : v) {
            if (Double.isFinite(d)) {
                m = Math.min(m, d);
            }
        }
        return m;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            if (Double.isFinite(d)) {
                m = Math.max(m, d);
            }
        }
        return m;
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
        write(file, img);
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

    private static void write(Path file, BufferedImage img) throws IOException {
        AtomicFiles.write(file, tmp -> {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("no PNG writer available");
            }
        });
    }
}
