package org.sep4j.evaluation.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sep4j.core.audio.AudioFiles;
import org.sep4j.core.io.AtomicFiles;
import org.sep4j.core.plot.Charts;

/**
 * A report you can open and listen to: one self-contained {@code report.html} (inline CSS and
 * script, no CDN, no server) with the summary table, the charts, and one row per item whose
 * metric columns sort on a click; the best and worst items get audio players and spectrograms of
 * their files (mixture, references, estimates). Audio is linked by relative path, spectrograms are
 * PNGs written to {@code spectrograms/} beside the page.
 */
public final class HtmlReport {

    /** One file of an item: what it is (mixture, reference, estimate) and where it is. */
    public record Media(String role, Path file) {
    }

    /** One item: its cells by column, numbers where a column is a metric, its files. */
    public record Item(Map<String, String> cells, Map<String, Double> numbers, List<Media> media) {
    }

    private final String title;
    private final List<String> notes = new ArrayList<>();
    private final List<String[]> summaryRows = new ArrayList<>();
    private List<String> summaryHeader = List.of();
    private final List<String[]> images = new ArrayList<>();
    private List<String> columns = List.of();
    private final List<Item> items = new ArrayList<>();
    private String sortBy;
    private int withMedia = 50;

    public HtmlReport(String title) {
        this.title = title;
    }

    public HtmlReport note(String text) {
        notes.add(text);
        return this;
    }

    public HtmlReport summary(List<String> header, List<String[]> rows) {
        summaryHeader = List.copyOf(header);
        summaryRows.addAll(rows);
        return this;
    }

    /** A chart already written into the report folder. */
    public HtmlReport image(String caption, String fileName) {
        images.add(new String[] {caption, fileName});
        return this;
    }

    /**
     * The item table, initially sorted by {@code sortBy} (descending: best first); the first and
     * last {@code withMedia} items get players and spectrograms.
     */
    public HtmlReport items(List<String> columns, List<Item> items, String sortBy, int withMedia) {
        this.columns = List.copyOf(columns);
        this.items.addAll(items);
        this.sortBy = sortBy;
        this.withMedia = withMedia;
        return this;
    }

    /** Writes {@code dir/report.html} and the spectrograms it shows. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Item> sorted = new ArrayList<>(items);
        if (sortBy != null) {
            sorted.sort((a, b) -> Double.compare(value(b, sortBy), value(a, sortBy)));
        }
        Map<Path, String> spectrograms = spectrograms(dir, sorted);
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(esc(title))
                .append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<h1>").append(esc(title))
                .append("</h1>\n");
        for (String n : notes) {
            h.append("<p class=\"note\">").append(esc(n)).append("</p>\n");
        }
        if (!summaryHeader.isEmpty()) {
            h.append("<h2>Summary</h2>\n<table class=\"summary\"><thead><tr>");
            summaryHeader.forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
            h.append("</tr></thead><tbody>\n");
            for (String[] r : summaryRows) {
                h.append("<tr>");
                for (String c : r) {
                    h.append("<td>").append(esc(c)).append("</td>");
                }
                h.append("</tr>\n");
            }
            h.append("</tbody></table>\n");
        }
        if (!images.isEmpty()) {
            h.append("<h2>Charts</h2>\n<div class=\"charts\">\n");
            for (String[] im : images) {
                h.append("<figure><img src=\"").append(esc(im[1])).append("\" alt=\"").append(esc(im[0]))
                        .append("\"><figcaption>").append(esc(im[0])).append("</figcaption></figure>\n");
            }
            h.append("</div>\n");
        }
        if (!sorted.isEmpty()) {
            h.append("<h2>Items (").append(sorted.size()).append(")</h2>\n<p class=\"note\">Sorted by ")
                    .append(esc(sortBy == null ? "name" : sortBy)).append(", best first; click a column to sort by it. ")
                    .append(2L * withMedia >= sorted.size() ? "Every item has players and spectrograms."
                            : "The first and last " + withMedia + " items have players and spectrograms.").append("</p>\n")
                    .append("<table id=\"items\"><thead><tr>");
            for (String c : columns) {
                h.append("<th data-col=\"").append(esc(c)).append("\">").append(esc(c)).append("</th>");
            }
            h.append("<th>audio</th></tr></thead><tbody>\n");
            for (int i = 0; i < sorted.size(); i++) {
                Item it = sorted.get(i);
                h.append("<tr>");
                for (String c : columns) {
                    Double v = it.numbers().get(c);
                    h.append("<td");
                    if (v != null) {
                        h.append(" class=\"num\" data-value=\"").append(Double.isFinite(v) ? Double.toString(v) : "").append('"');
                    }
                    h.append(">").append(esc(it.cells().getOrDefault(c, ""))).append("</td>");
                }
                h.append("<td class=\"media\">");
                if (i < withMedia || i >= sorted.size() - withMedia) {
                    for (Media m : it.media()) {
                        String png = spectrograms.get(m.file());
                        h.append("<div class=\"clip\"><span>").append(esc(m.role())).append("</span><audio controls preload=\"metadata\" src=\"")
                                .append(esc(link(dir, m.file()))).append("\"></audio>");
                        if (png != null) {
                            h.append("<img class=\"spec\" src=\"").append(esc(png)).append("\" alt=\"spectrogram of ")
                                    .append(esc(m.role())).append("\">");
                        }
                        h.append("</div>");
                    }
                }
                h.append("</td></tr>\n");
            }
            h.append("</tbody></table>\n");
        }
        h.append("<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        AtomicFiles.writeString(dir.resolve("report.html"), h.toString());
    }

    private static double value(Item it, String column) {
        Double v = it.numbers().get(column);
        return v == null || !Double.isFinite(v) ? Double.NEGATIVE_INFINITY : v;
    }

    /** Spectrogram PNGs of the files the page shows, in parallel; unreadable files get none. */
    private Map<Path, String> spectrograms(Path dir, List<Item> sorted) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            if (i < withMedia || i >= sorted.size() - withMedia) {
                for (Media m : sorted.get(i).media()) {
                    if (!files.contains(m.file())) {
                        files.add(m.file());
                    }
                }
            }
        }
        Path specDir = dir.resolve("spectrograms");
        Files.createDirectories(specDir);
        String[] names = new String[files.size()];
        java.util.stream.IntStream.range(0, files.size()).parallel().forEach(k -> {
            String name = String.format(Locale.ROOT, "%05d.png", k);
            try {
                Charts.spectrogram(specDir.resolve(name), AudioFiles.read(files.get(k)).channel(0), 400);
                names[k] = "spectrograms/" + name;
            } catch (IOException | RuntimeException e) {
                names[k] = null; // the player still shows; the file's problem is in the tables
            }
        });
        Map<Path, String> out = new LinkedHashMap<>();
        for (int k = 0; k < files.size(); k++) {
            if (names[k] != null) {
                out.put(files.get(k), names[k]);
            }
        }
        return out;
    }

    /** A relative link from the report folder (absolute when there is no relative path). */
    private static String link(Path dir, Path file) {
        Path a = dir.toAbsolutePath().normalize();
        Path f = file.toAbsolutePath().normalize();
        try {
            return a.relativize(f).toString().replace(java.io.File.separatorChar, '/');
        } catch (IllegalArgumentException e) {
            return f.toUri().toString();
        }
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final String CSS = """
            body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
            h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.5em; }
            table { border-collapse: collapse; font-size: 0.9em; }
            th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; vertical-align: top; }
            th { background: #f3f3f3; } #items th[data-col] { cursor: pointer; }
            #items th.asc::after { content: " \\25B2"; } #items th.desc::after { content: " \\25BC"; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            .note { color: #555; max-width: 60em; }
            .charts { display: flex; flex-wrap: wrap; gap: 1em; } .charts img { max-width: 420px; border: 1px solid #ddd; }
            .clip { display: inline-block; margin: 0 0.5em 0.5em 0; } .clip span { display: block; font-size: 0.8em; color: #555; }
            .clip audio { display: block; width: 260px; } .spec { display: block; width: 260px; height: 64px; image-rendering: pixelated; }
            """;

    private static final String SCRIPT = """
            (function () {
              var table = document.getElementById('items');
              if (!table) { return; }
              var heads = table.querySelectorAll('th[data-col]');
              heads.forEach(function (th, col) {
                th.addEventListener('click', function () {
                  var asc = !th.classList.contains('asc');
                  heads.forEach(function (h) { h.classList.remove('asc', 'desc'); });
                  th.classList.add(asc ? 'asc' : 'desc');
                  var body = table.tBodies[0];
                  var rows = Array.prototype.slice.call(body.rows);
                  rows.sort(function (a, b) {
                    var x = a.cells[col], y = b.cells[col];
                    var nx = x.hasAttribute('data-value') ? parseFloat(x.getAttribute('data-value')) : NaN;
                    var ny = y.hasAttribute('data-value') ? parseFloat(y.getAttribute('data-value')) : NaN;
                    var c;
                    if (!isNaN(nx) || !isNaN(ny)) {
                      c = (isNaN(nx) ? -Infinity : nx) - (isNaN(ny) ? -Infinity : ny);
                    } else {
                      c = x.textContent.localeCompare(y.textContent);
                    }
                    return asc ? c : -c;
                  });
                  rows.forEach(function (r) { body.appendChild(r); });
                });
              });
            })();
            """;
}
