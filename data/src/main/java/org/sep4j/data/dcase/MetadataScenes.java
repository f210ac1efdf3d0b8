package org.sep4j.data.dcase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.sep4j.core.audio.Audio;
import org.sep4j.core.audio.Resampler;
import org.sep4j.core.audio.AudioFiles;
import org.sep4j.core.dsp.FftConvolver;
import org.sep4j.core.io.Json;
import org.sep4j.data.scene.S5Recipe;
import org.sep4j.data.scene.Scene;
import org.sep4j.data.scene.SceneSet;
import org.sep4j.data.scene.SofaRoom;

/**
 * The official validation soundscapes rebuilt from their metadata, as the DCASE 2025 Task 4 baseline
 * does it ({@code dev_set/metadata/valid.json}: a list of {@code {metadata_path, ref_event}}, each
 * path relative to the list's folder naming a file {@code {config, fg_events, int_events, bg_events,
 * room}}). Scene i is rendered on demand:
 * <ol>
 *   <li>each background file (4 channels, {@code source_time} seconds in, {@code event_duration} long;
 *       with no {@code source_time}, the whole file with each sample held ⌈T/len⌉ times, as the official
 *       generator does) scaled to {@code ref_db + snr} over all its channels and samples;</li>
 *   <li>each event (targets by onset, then interference): its clip from {@code source_time}, at most
 *       {@code event_duration} long, averaged to mono, peak-normalised; the room's response at the
 *       measured {@code SourcePosition} nearest to {@code event_position}, divided by the mean over
 *       receivers of each receiver's root energy; the full convolution scaled so that its whole mean
 *       square (all channels, tail included) is {@code ref_db + snr}; added from sample
 *       ⌊event_time·sr⌋, cut at the scene's end;</li>
 *   <li>a target's dry reference: the clip through the reference receiver's response zeroed outside
 *       [argmax − pre, argmax + post), pre/post = ⌊ms·sr/1000⌋ of
 *       {@code spatialize_direct_path_time_ms}, at the event's scale.</li>
 * </ol>
 * Targets are listed in {@code ref_event} order (the order of the concatenated label vector).
 * The metadata's folders are those of the machine that wrote it; a file is looked up as written, then
 * under {@code <data.root>/dev_set/} after the path's own {@code dev_set/} part, then in every split of
 * its part ({@code sound_event/}, {@code interference/}, {@code noise/}, {@code room_ir/}).
 * Rendering at another rate than the metadata's {@code sr} resamples clips and responses to it.
 */
public final class MetadataScenes implements SceneSet {

    private final Path list;
    private final Path devSet;
    private final int sampleRate;
    private final List<Entry> entries;
    private final double duration;
    private final Map<Path, Room> rooms = new ConcurrentHashMap<>();

    private record Entry(Path metadata, List<String> refEvent) {
    }

    /** A measured room: its positions and the responses used so far, at the rendering rate. */
    private record Room(SofaRoom sofa, double[][] positions, Map<Integer, float[][]> responses) {
    }

    private MetadataScenes(Path list, Path devSet, int sampleRate, List<Entry> entries, double duration) {
        this.list = list;
        this.devSet = devSet;
        this.sampleRate = sampleRate;
        this.entries = entries;
        this.duration = duration;
    }

    /**
     * Opens a metadata list, checking that every listed file exists and, when {@code classes} is not
     * null, that every {@code ref_event} label is one of them.
     *
     * @param root the folder holding {@code dev_set/} (data.root), or null to use the list's own dev_set/
     */
    public static MetadataScenes open(Path list, Path root, int sampleRate, List<String> classes) throws IOException {
        if (!Files.isRegularFile(list)) {
            throw new IOException(list + ": metadata list not found (the official one is <data.root>/dev_set/metadata/valid.json)");
        }
        Object parsed = parse(list);
        if (!(parsed instanceof List<?> items) || items.isEmpty()) {
            throw new IOException(list + ": expected a non-empty JSON list of {\"metadata_path\": ..., \"ref_event\": [...]}");
        }
        Path folder = list.toAbsolutePath().getParent();
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String where = list + ": entry " + i;
            Map<String, Object> item = object(items.get(i), where);
            Path metadata = folder.resolve(string(item, "metadata_path", where));
            if (!Files.isRegularFile(metadata)) {
                throw new IOException(where + ": metadata_path " + item.get("metadata_path") + " not found (looked for " + metadata + ")");
            }
            List<String> ref = new ArrayList<>();
            for (Object o : list(item, "ref_event", where)) {
                if (!(o instanceof String label) || (classes != null && !classes.contains(label))) {
                    throw new IOException(where + ": ref_event " + o + " is not one of the target classes " + classes);
                }
                ref.add(label);
            }
            entries.add(new Entry(metadata, List.copyOf(ref)));
        }
        Path devSet = root != null ? root.resolve("dev_set") : ancestorNamed(folder, "dev_set");
        Path first = entries.get(0).metadata();
        double duration = number(object(object(parse(first), first.toString()).get("config"), first + ": config"), "duration",
                first + ": config");
        return new MetadataScenes(list, devSet, sampleRate, List.copyOf(entries), duration);
    }

    private static Object parse(Path file) throws IOException {
        try {
            return Json.parse(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Seconds per soundscape, as the first metadata file's config states it (each file is checked when rendered). */
    public double duration() {
        return duration;
    }

    private static Path ancestorNamed(Path p, String name) {
        for (Path q = p; q != null; q = q.getParent()) {
            if (q.getFileName() != null && q.getFileName().toString().equals(name)) {
                return q;
            }
        }
        return null;
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public Scene scene(int i) {
        Entry e = entries.get(i);
        try {
            return render(i, e);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private Scene render(int index, Entry entry) throws IOException {
        Path file = entry.metadata();
        Map<String, Object> meta = object(parse(file), file.toString());
        Map<String, Object> cfg = object(meta.get("config"), file + ": config");
        int sr = sampleRate;
        double seconds = number(cfg, "duration", file + ": config");
        if (seconds != duration) {
            throw new IOException(file + ": config.duration is " + seconds + " s but the list's soundscapes are " + duration
                    + " s (" + entries.get(0).metadata() + "); one list holds one length");
        }
        int total = (int) (seconds * sr);
        double refDb = number(cfg, "ref_db", file + ": config");
        int refChannel = cfg.get("ref_channel") == null ? 0 : (int) number(cfg, "ref_channel", file + ": config");
        List<Object> window = list(cfg, "spatialize_direct_path_time_ms", file + ": config");
        if (window.size() != 2 || !(window.get(0) instanceof Number) || !(window.get(1) instanceof Number)) {
            throw new IOException(file + ": config.spatialize_direct_path_time_ms should be [before, after] in ms, found " + window);
        }
        int pre = S5Recipe.samples(((Number) window.get(0)).doubleValue(), sr);
        int post = S5Recipe.samples(((Number) window.get(1)).doubleValue(), sr);

        Room room = room(locate(cfg, "rir_dir", "room_ir", string(meta, "room", file.toString()), file + ": room"));
        int channels = room.sofa().receivers();
        if (refChannel < 0 || refChannel >= channels) {
            throw new IOException(file + ": config.ref_channel " + refChannel + " but the room has " + channels + " receivers");
        }
        double[][] mix = new double[channels][total];
        Canvas cv = new Canvas(file, cfg, room, mix, total, refDb, refChannel, pre, post);

        List<String> backgrounds = new ArrayList<>();
        for (Map<String, Object> bg : events(meta, "bg_events", file)) {
            String where = file + ": bg_events " + bg.get("source_file");
            Path p = locate(cfg, "background_dir", "noise", string(bg, "source_file", where), where);
            float[][] ambient = background(p, bg, total, channels, where);
            double scale = S5Recipe.gain(refDb + number(bg, "snr", where), ambient);
            for (int c = 0; c < channels; c++) {
                for (int n = 0; n < Math.min(total, ambient[c].length); n++) {
                    mix[c][n] += scale * ambient[c][n];
                }
            }
            backgrounds.add(p.getFileName().toString());
        }

        List<Map<String, Object>> fg = new ArrayList<>(events(meta, "fg_events", file));
        for (Map<String, Object> ev : fg) {
            number(ev, "event_time", file + ": fg_events " + ev.get("source_file"));
        }
        fg.sort(Comparator.comparingDouble(ev -> ((Number) ev.get("event_time")).doubleValue()));
        List<Scene.Event> targets = new ArrayList<>();
        for (Map<String, Object> ev : fg) {
            targets.add(event(ev, cv, "foreground_dir", "sound_event", true));
        }
        List<Scene.Event> interferences = new ArrayList<>();
        for (Map<String, Object> ev : events(meta, "int_events", file)) {
            interferences.add(event(ev, cv, "interference_dir", "interference", false));
        }

        Set<String> labels = new HashSet<>();
        targets.forEach(t -> labels.add(t.label()));
        if (!labels.equals(new HashSet<>(entry.refEvent())) || labels.size() != targets.size()) {
            throw new IOException(file + ": fg_events labels " + targets.stream().map(Scene.Event::label).toList()
                    + " do not match ref_event " + entry.refEvent() + " of " + list);
        }
        targets.sort(Comparator.comparingInt(t -> entry.refEvent().indexOf(t.label())));
        float[][] mixture = new float[channels][total];
        for (int c = 0; c < channels; c++) {
            for (int n = 0; n < total; n++) {
                mixture[c][n] = (float) mix[c][n];
            }
        }
        return new Scene(index, sr, mixture, List.copyOf(targets), List.copyOf(interferences), String.join("+", backgrounds),
                Double.NaN);
    }

    /** One soundscape being rendered: its settings, its room and the mixture so far. */
    private record Canvas(Path file, Map<String, Object> cfg, Room room, double[][] mix, int total, double refDb,
            int refChannel, int pre, int post) {
    }

    /** Renders one event onto the canvas; a {@code target} also gets its dry reference. */
    private Scene.Event event(Map<String, Object> ev, Canvas cv, String dirKey, String part, boolean target)
            throws IOException {
        String label = string(ev, "label", cv.file() + ": event");
        String where = cv.file() + ": event '" + label + "' (" + ev.get("source_file") + ")";
        int sr = sampleRate;
        int total = cv.total();
        double duration = number(ev, "event_duration", where);
        Audio clip = slice(AudioFiles.read(locate(cv.cfg(), dirKey, part, string(ev, "source_file", where), where)),
                number(ev, "source_time", where), duration);
        float[] x = Resampler.resample(Audio.mono(clip.downmix(), clip.sampleRate()), sr).samples()[0];
        x = Arrays.copyOf(x, Math.min(x.length, (int) (duration * sr)));
        float peak = 0;
        for (float v : x) {
            peak = Math.max(peak, Math.abs(v));
        }
        if (peak == 0) {
            throw new IOException(where + ": the clip is silent over [source_time, source_time + event_duration)");
        }
        for (int n = 0; n < x.length; n++) {
            x[n] /= peak;
        }
        float[][] h = response(cv.room(), nearest(cv.room().positions(), position(ev, where)), where);
        float[][] wet = FftConvolver.convolve(new float[][] {x}, h, FftConvolver.Mode.FULL);
        double scale = S5Recipe.gain(cv.refDb() + number(ev, "snr", where), wet);
        int onset = (int) (number(ev, "event_time", where) * sr);
        int end = Math.min(onset + wet[0].length, total);
        for (int c = 0; c < wet.length; c++) {
            for (int n = onset; n < end; n++) {
                cv.mix()[c][n] += scale * wet[c][n - onset];
            }
        }
        float[] dry = null;
        if (target) {
            float[] d = FftConvolver.convolve(x, S5Recipe.directPath(h[cv.refChannel()], cv.pre(), cv.post()));
            dry = new float[total];
            for (int n = onset; n < end; n++) {
                dry[n] = (float) (scale * d[n - onset]);
            }
        }
        return new Scene.Event(label, Math.min(onset, total), Math.min(total, onset + x.length), number(ev, "snr", where), dry);
    }

    /** A background at the rendering rate: a slice, or the whole file with samples held to fill the scene. */
    private float[][] background(Path p, Map<String, Object> bg, int total, int channels, String where) throws IOException {
        Audio a = AudioFiles.read(p);
        if (a.length() == 0) {
            throw new IOException(where + ": " + p + " holds no samples");
        }
        if (a.channels() != channels) {
            throw new IOException(where + ": " + p + " has " + a.channels() + " channels but the room's responses have " + channels);
        }
        if (bg.get("source_time") != null) {
            return Resampler.resample(slice(a, number(bg, "source_time", where), number(bg, "event_duration", where)), sampleRate).samples();
        }
        float[][] x = Resampler.resample(a, sampleRate).samples();
        int len = x[0].length;
        int repeats = (total + len - 1) / len;
        float[][] out = new float[channels][total];
        for (int c = 0; c < channels; c++) {
            for (int n = 0; n < total; n++) {
                out[c][n] = x[c][n / repeats];
            }
        }
        return out;
    }

    /** {@code duration} seconds from {@code offset} at the file's own rate (as a decoder seeks). */
    private static Audio slice(Audio a, double offset, double duration) {
        int start = Math.min(a.length(), (int) (offset * a.sampleRate()));
        int stop = Math.min(a.length(), start + (int) (duration * a.sampleRate()));
        float[][] out = new float[a.channels()][];
        for (int c = 0; c < a.channels(); c++) {
            out[c] = Arrays.copyOfRange(a.samples()[c], start, stop);
        }
        return new Audio(out, a.sampleRate());
    }

    private Room room(Path sofa) throws IOException {
        Room r = rooms.get(sofa);
        if (r == null) {
            SofaRoom s = new SofaRoom(sofa);
            r = new Room(s, s.positions(), new ConcurrentHashMap<>());
            rooms.putIfAbsent(sofa, r);
        }
        return r;
    }

    /** Measurement m at the rendering rate, divided by the mean over receivers of each receiver's root energy. */
    private float[][] response(Room room, int m, String where) throws IOException {
        float[][] h = room.responses().get(m);
        if (h == null) {
            Audio a = Resampler.resample(new Audio(room.sofa().read(m), (int) Math.round(room.sofa().sampleRate())), sampleRate);
            h = a.samples();
            double mean = 0;
            for (float[] ch : h) {
                double e = 0;
                for (float v : ch) {
                    e += (double) v * v;
                }
                mean += Math.sqrt(e) / h.length;
            }
            if (!(mean > 0)) {
                throw new IOException(where + ": " + room.sofa() + " measurement " + m + " is all zeros");
            }
            for (float[] ch : h) {
                for (int n = 0; n < ch.length; n++) {
                    ch[n] = (float) (ch[n] / mean);
                }
            }
            room.responses().put(m, h);
        }
        return h;
    }

    /** The measurement whose SourcePosition is nearest (Euclidean) to p; the first of equals. */
    static int nearest(double[][] positions, double[] p) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int m = 0; m < positions.length; m++) {
            double d = 0;
            for (int k = 0; k < 3; k++) {
                double diff = positions[m][k] - p[k];
                d += diff * diff;
            }
            if (d < bestD) {
                best = m;
                bestD = d;
            }
        }
        return best;
    }

    /** event_position: [[x, y, z]] (one point: static sources) or [x, y, z]. */
    private static double[] position(Map<String, Object> ev, String where) throws IOException {
        Object o = ev.get("event_position");
        if (o instanceof List<?> l && l.size() == 1 && l.get(0) instanceof List<?> inner) {
            o = inner;
        }
        if (o instanceof List<?> xyz && xyz.size() == 3 && xyz.stream().allMatch(v -> v instanceof Number)) {
            return xyz.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
        }
        throw new IOException(where + ": event_position should be [[x, y, z]] (one static position), found " + o);
    }

    /**
     * A file the metadata names by its folder (a config key) and a path relative to it: as written,
     * under dev_set/ after the folder's own dev_set part, then in each split of {@code part}.
     */
    private Path locate(Map<String, Object> cfg, String dirKey, String part, String file, String where) throws IOException {
        String dir = cfg.get(dirKey) instanceof String s ? s : null;
        String rel = dir != null && file.startsWith(dir) ? file.substring(dir.length()).replaceFirst("^[/\\\\]+", "") : file;
        Set<Path> tried = new LinkedHashSet<>();
        if (Path.of(rel).isAbsolute()) {
            tried.add(Path.of(rel));
        }
        if (dir != null) {
            Path d = Path.of(dir);
            if (d.isAbsolute()) {
                tried.add(d.resolve(rel));
            }
            if (devSet != null) {
                for (int k = d.getNameCount() - 1; k >= 0; k--) {
                    if (d.getName(k).toString().equals("dev_set")) {
                        tried.add(k + 1 < d.getNameCount() ? devSet.resolve(d.subpath(k + 1, d.getNameCount())).resolve(rel)
                                : devSet.resolve(rel));
                        break;
                    }
                }
            }
        }
        for (Path p : tried) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        // only when the metadata's own folders miss: the part's splits (one listing per miss, not per event)
        if (devSet != null && Files.isDirectory(devSet.resolve(part)) && !Path.of(rel).isAbsolute()) {
            List<Path> splits;
            try (Stream<Path> l = Files.list(devSet.resolve(part))) {
                splits = l.filter(Files::isDirectory).sorted().map(d -> d.resolve(rel)).toList();
            }
            for (Path p : splits) {
                if (tried.add(p) && Files.isRegularFile(p)) {
                    return p;
                }
            }
        }
        throw new IOException(where + ": '" + file + "' not found (config." + dirKey + " = " + dir + "); looked in " + tried
                + (devSet == null ? ". Set data.root to the folder holding dev_set/." : ""));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object o, String where) throws IOException {
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IOException(where + ": expected a JSON object, found " + (o == null ? "nothing" : o.getClass().getSimpleName()));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> events(Map<String, Object> meta, String key, Path file) throws IOException {
        Object o = meta.get(key);
        if (o == null && key.equals("int_events")) {
            return List.of(); // metadata written before interference existed
        }
        if (!(o instanceof List<?> l) || !l.stream().allMatch(v -> v instanceof Map)) {
            throw new IOException(file + ": '" + key + "' should be a list of event objects, found " + o);
        }
        return (List<Map<String, Object>>) l;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> m, String key, String where) throws IOException {
        if (m.get(key) instanceof List<?> l) {
            return (List<Object>) l;
        }
        throw new IOException(where + ": '" + key + "' should be a list, found " + m.get(key));
    }

    private static String string(Map<String, Object> m, String key, String where) throws IOException {
        if (m.get(key) instanceof String s) {
            return s;
        }
        throw new IOException(where + ": '" + key + "' should be a string, found " + m.get(key));
    }

    private static double number(Map<String, Object> m, String key, String where) throws IOException {
        if (m.get(key) instanceof Number n) {
            return n.doubleValue();
        }
        throw new IOException(where + ": '" + key + "' should be a number, found " + m.get(key));
    }

    @Override
    public String toString() {
        return "MetadataScenes[" + list + ", " + entries.size() + " soundscapes at " + sampleRate + " Hz]";
    }
}
