package org.sep4j.evaluation.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sep4j.core.io.AtomicFiles;

/**
 * A rectangular table of strings and numbers rendered as GitHub markdown or RFC 4180 CSV.
 * Numbers print with a fixed number of decimals in markdown and full precision in CSV.
 */
public final class ResultsTable {

    private final List<String> header;
    private final List<List<Object>> rows = new ArrayList<>();
    private final int decimals;

    public ResultsTable(List<String> header, int decimals) {
        if (header.isEmpty()) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.header = List.copyOf(header);
        this.decimals = decimals;
    }

    public ResultsTable(String... header) {
        this(List.of(header), 2);
    }

    /** Adds a row; its length must match the header. Null cells print empty. */
    public ResultsTable add(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + header.size()
                    + " columns " + header);
        }
        rows.add(java.util.Arrays.asList(cells));
        return this;
    }

    public int size() {
        return rows.size();
    }

    public List<String> header() {
        return header;
    }

    /** The rows as the markdown shows them (numbers to the table's decimals). */
    public List<String[]> formattedRows() {
        List<String[]> out = new ArrayList<>();
        for (List<Object> r : rows) {
            out.add(r.stream().map(o -> format(o, false)).toArray(String[]::new));
        }
        return out;
    }

    public String markdown() {
        List<List<String>> cells = new ArrayList<>();
        cells.add(header);
        for (List<Object> r : rows) {
            List<String> line = new ArrayList<>();
            for (Object o : r) {
                line.add(format(o, false));
            }
            cells.add(line);
        }
        int[] width = new int[header.size()];
        for (List<String> line : cells) {
            for (int c = 0; c < width.length; c++) {
                width[c] = Math.max(Math.max(3, width[c]), line.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            sb.append('|');
            for (int c = 0; c < width.length; c++) {
                String v = cells.get(i).get(c);
                boolean numeric = i > 0 && rows.get(i - 1).get(c) instanceof Number;
                sb.append(' ').append(numeric ? pad(v, width[c], true) : pad(v, width[c], false)).append(" |");
            }
            sb.append('\n');
            if (i == 0) {
                sb.append('|');
                for (int w : width) {
                    sb.append('-').append("-".repeat(w)).append("-|");
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    public String csv() {
        StringBuilder sb = new StringBuilder();
        appendCsv(sb, new ArrayList<>(header));
        for (List<Object> r : rows) {
            appendCsv(sb, r);
        }
        return sb.toString();
    }

    public void writeMarkdown(Path file) throws IOException {
        AtomicFiles.writeString(file, markdown());
    }

    public void writeCsv(Path file) throws IOException {
        AtomicFiles.writeString(file, csv());
    }

    private void appendCsv(StringBuilder sb, List<?> cells) {
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                sb.append(',');
            }
            String v = format(cells.get(c), true);
            if (v.contains(",") || v.contains("\"") || v.contains("\n")) {
                v = '"' + v.replace("\"", "\"\"") + '"';
            }
            sb.append(v);
        }
        sb.append('\n');
    }

    private String format(Object o, boolean full) {
        if (o == null) {
            return "";
        }
        if (o instanceof Double || o instanceof Float) {
            double d = ((Number) o).doubleValue();
            if (Double.isNaN(d)) {
                return "NaN";
            }
            if (Double.isInfinite(d)) {
                return d > 0 ? "inf" : "-inf";
            }
            return full ? Double.toString(d) : String.format(Locale.ROOT, "%." + decimals + "f", d);
        }
        return o.toString();
    }

    private static String pad(String s, int w, boolean right) {
        String fill = " ".repeat(Math.max(0, w - s.length()));
        return right ? fill + s : s + fill;
    }
}
