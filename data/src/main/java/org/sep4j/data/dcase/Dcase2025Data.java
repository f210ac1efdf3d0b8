package org.sep4j.data.dcase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.sep4j.data.library.FolderLibrary;
import org.sep4j.data.scene.Scene;
import org.sep4j.data.scene.SceneGenerator;
import org.sep4j.data.scene.SceneSpec;

/**
 * The official DCASE 2025 Task 4 development data, unpacked as the challenge ships it:
 * <pre>
 * &lt;root&gt;/dev_set/sound_event/&lt;split&gt;/&lt;Class&gt;/*.wav    target events (the 18 classes)
 * &lt;root&gt;/dev_set/interference/&lt;split&gt;/&lt;class&gt;/*.wav interference events
 * &lt;root&gt;/dev_set/noise/&lt;split&gt;/&lt;room&gt;*.wav          4-channel backgrounds, recorded per room
 * &lt;root&gt;/dev_set/room_ir/&lt;split&gt;/&lt;room&gt;.sofa          measured 4-channel room responses
 * &lt;root&gt;/dev_set/test/soundscape, oracle_target       the pre-mixed test split
 * &lt;root&gt;/dev_set/metadata/valid.json                   the validation soundscapes, as metadata
 * </pre>
 * Training scenes are generated on the fly from a split's parts by the S5 recipe (as the official
 * baseline does); the test split is read as it is; the validation list is replayed ({@link MetadataScenes}).
 */
public final class Dcase2025Data {

    /** Where the data comes from (named in every error about it). */
    public static final String SOURCE = "DCASE2025Task4Dataset, https://doi.org/10.5281/zenodo.15117227";

    private final Path root;
    private final Path dev;

    private Dcase2025Data(Path root) {
        this.root = root;
        this.dev = root.resolve("dev_set");
    }

    /** Opens {@code root} (the folder holding {@code dev_set/}), checking the parts a run needs. */
    public static Dcase2025Data open(Path root) throws IOException {
        Dcase2025Data d = new Dcase2025Data(root);
        for (String split : List.of("train")) {
            for (Path p : List.of(d.soundEvents(split), d.interference(split), d.noise(split), d.roomIr(split))) {
                d.require(p);
            }
        }
        d.require(d.test().resolve(Dcase2025Layout.SOUNDSCAPE));
        d.require(d.test().resolve(Dcase2025Layout.ORACLE));
        return d;
    }

    private void require(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            throw new IOException("data.root=" + root + ": " + p + " not found. sep4j reads the official development set as "
                    + "the challenge ships it: download " + SOURCE + ", unpack it and point data.root at the folder that "
                    + "holds dev_set/ (dev_set/sound_event/train/<Class>/*.wav, dev_set/interference/train/<class>/*.wav, "
                    + "dev_set/noise/train/*.wav, dev_set/room_ir/train/*.sofa, dev_set/test/soundscape/ and oracle_target/).");
        }
    }

    public Path root() {
        return root;
    }

    public Path soundEvents(String split) {
        return dev.resolve("sound_event").resolve(split);
    }

    public Path interference(String split) {
        return dev.resolve("interference").resolve(split);
    }

    public Path noise(String split) {
        return dev.resolve("noise").resolve(split);
    }

    public Path roomIr(String split) {
        return dev.resolve("room_ir").resolve(split);
    }

    /** The pre-mixed test split ({@code soundscape/}, {@code oracle_target/}). */
    public Path test() {
        return dev.resolve("test");
    }

    /**
     * A generator of a split's scenes: the recipe of {@code spec} with this data's sounds, its measured
     * rooms and their recorded backgrounds; the interference classes are the split's folders.
     */
    public SceneGenerator generator(SceneSpec spec, List<String> targets, String split) throws IOException {
        List<String> interference;
        try (Stream<Path> s = Files.list(interference(split))) {
            interference = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
        Map<Path, List<String>> roots = new LinkedHashMap<>();
        roots.put(soundEvents(split), targets);
        roots.put(interference(split), interference);
        FolderLibrary library = FolderLibrary.union(spec.sampleRate(), roots);
        return new SceneGenerator(spec.withMeasuredRooms(roomIr(split), noise(split)), library, targets, interference, List.of());
    }

    /** The first {@code limit} test soundscapes (sorted by name) as scenes: mixture and oracle targets. */
    public List<Scene> testScenes(int limit) throws IOException {
        Dcase2025Layout layout = new Dcase2025Layout(test());
        List<String> names = layout.names();
        List<Scene> out = new ArrayList<>();
        int n = Math.min(limit, names.size());
        try (org.sep4j.core.progress.ProgressBar bar = org.sep4j.core.progress.ProgressBar.start("read test split", n, "soundscapes")) {
            for (int i = 0; i < n; i++) {
                out.add(layout.scene(i, names.get(i)));
                bar.step();
            }
        }
        return out;
    }
}
