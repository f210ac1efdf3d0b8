package org.sep4j.data.clips;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A CSV of clips and labels. The header names a file column ({@code file}, {@code filename},
 * {@code path}, or AudioSet's {@code YTID}) and a labels column ({@code labels},
 * {@code positive_labels}, {@code label}); labels within a field are separated by commas (the
 * field quoted), semicolons or bars. Files are relative to the CSV's folder; a YTID names the file
 * {@code <YTID>.wav|flac} or {@code Y<YTID>…} there or under {@code audio/}. Lines starting with
 * {@code #} are comments, except AudioSet's {@code # YTID, …} header.
 */
final class ClipCsv {

    private static final List<String> FILE = List.of("file", "filename", "path", "ytid");
    private static final List<String> LABELS = List.of("labels", "positive_labels", "label");

    private ClipCsv() {
    }

    static LabelledClips read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        Path dir = csv.toAbsolutePath().getParent();
        int header = -1;
        int fileCol = -1;
        int labelCol = -1;
        boolean ytid = false;
        List<LabelledClips.Clip> clips = new ArrayList<>();
        List<Path> audio = null;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (header < 0) {
                List<String> names = fields(line.startsWith("#") ? line.substring(1) : line).stream()
                        .map(s -> s.strip().toLowerCase(Locale.ROOT)).toList();
                fileCol = indexOf(names, FILE);
                labelCol = indexOf(names, LABELS);
                if (fileCol < 0 || labelCol < 0) {
                    if (line.startsWith("#")) {
                        continue; // AudioSet's leading comment lines
                    }
                    throw new IOException(csv + ":" + (n + 1) + ": expected a header naming a file column " + FILE
                            + " and a labels column " + LABELS + ", found " + names);
                }
                header = n;
                ytid = names.get(fileCol).equals("ytid");
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            List<String> f = fields(line);
            if (f.size() <= Math.max(fileCol, labelCol)) {
                throw new IOException(csv + ":" + (n + 1) + ": expected at least " + (Math.max(fileCol, labelCol) + 1)
                        + " fields, found " + f.size());
            }
            String name = f.get(fileCol).strip();
            List<String> labels = Arrays.stream(f.get(labelCol).split("[,;|]")).map(String::strip).filter(s -> !s.isEmpty())
                    .toList();
            if (labels.isEmpty()) {
                throw new IOException(csv + ":" + (n + 1) + ": clip '" + name + "' has no labels");
            }
            Path file;
            if (ytid) {
                if (audio == null) {
                    audio = new ArrayList<>(org.sep4j.core.audio.AudioFiles.list(dir, true));
                }
                file = byYtid(audio, name);
                if (file == null) {
                    throw new IOException(csv + ":" + (n + 1) + ": no audio file for YTID '" + name + "' under " + dir
                            + " (expected " + name + ".wav, Y" + name + "*.wav or .flac)");
                }
            } else {
                file = dir.resolve(name);
                if (!Files.isRegularFile(file)) {
                    throw new IOException(csv + ":" + (n + 1) + ": audio file " + file + " not found");
                }
            }
            clips.add(new LabelledClips.Clip(file, labels));
        }
        if (header < 0) {
            throw new IOException(csv + ": no header naming a file column " + FILE + " and a labels column " + LABELS);
        }
        return LabelledClips.of(csv.toString(), clips);
    }

    private static Path byYtid(List<Path> audio, String id) {
        for (Path p : audio) {
            String n = p.getFileName().toString();
            String stem = n.substring(0, n.lastIndexOf('.'));
            if (stem.equals(id) || stem.equals("Y" + id) || stem.startsWith("Y" + id + "_") || stem.startsWith(id + "_")) {
                return p;
            }
        }
        return null;
    }

    private static int indexOf(List<String> names, List<String> wanted) {
        for (String w : wanted) {
            int i = names.indexOf(w);
            if (i >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** The fields of one CSV line (double quotes group commas; "" is a quote). */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
