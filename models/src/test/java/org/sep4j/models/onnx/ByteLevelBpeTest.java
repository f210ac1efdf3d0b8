package org.sep4j.models.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Byte-level BPE on cases worked out by hand from the merge list. */
class ByteLevelBpeTest {

    private static final List<String> MERGES = List.of("Ġ d", "o g", "Ġd og", "a r", "ar k", "Ġ b", "Ġb ark", "i n", "in g",
            "Ġ s", "s i", "r e", "Ġs i", "re n");

    private static ByteLevelBpe bpe() {
        Map<String, Integer> vocab = new HashMap<>();
        vocab.put("<s>", 0);
        vocab.put("<pad>", 1);
        vocab.put("</s>", 2);
        for (int c = 0; c < 512; c++) {
            vocab.putIfAbsent(String.valueOf((char) c), 3 + c);
        }
        for (String m : MERGES) {
            vocab.put(m.replace(" ", ""), vocab.size() + 10);
        }
        return new ByteLevelBpe(vocab, MERGES);
    }

    @Test
    void mergesByRankWithinWords() {
        // " barking": a r (3) → ar k (4) → Ġ b (5) → Ġb ark (6) → i n (7) → in g (8)
        assertThat(bpe().tokens("a dog barking")).containsExactly("a", "Ġdog", "Ġbark", "ing");
        // " siren": Ġ s (9) before r e (11) before Ġs i (12); then re n (13): "Ġsi", "ren"
        assertThat(bpe().tokens(" siren, siren")).containsExactly("Ġsi", "ren", ",", "Ġsi", "ren");
        // contractions and digits split off (no merge joins them here); a newline is Ċ; é is two byte symbols
        assertThat(bpe().tokens("it's 42\n")).containsExactly("i", "t", "'", "s", "Ġ", "4", "2", "Ċ");
        assertThat(bpe().tokens("é")).containsExactly("Ã", "©");
    }

    @Test
    void encodeWrapsCutsAndPads() {
        ByteLevelBpe t = bpe();
        ByteLevelBpe.Encoding e = t.encode("a dog", 5);
        assertThat(e.ids()).containsExactly(0, t.ids("a")[0], t.ids(" dog")[0], 2, 1);
        assertThat(e.mask()).containsExactly(1, 1, 1, 1, 0);
        ByteLevelBpe.Encoding cut = t.encode("a dog barking", 4);
        assertThat(cut.ids()).containsExactly(0, t.ids("a")[0], t.ids(" dog")[0], 2);
        assertThat(cut.mask()).containsExactly(1, 1, 1, 1);
    }

    @Test
    void badFilesAreNamed(@TempDir Path dir) throws IOException {
        Path vocab = Files.writeString(dir.resolve("vocab.json"), "{\"<s>\": 0, \"<pad>\": 1, \"</s>\": 2}");
        Path merges = Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\na b c\n");
        assertThatThrownBy(() -> ByteLevelBpe.load(vocab, merges)).hasMessageContaining("merges.txt:2")
                .hasMessageContaining("a b c");
        Path list = Files.writeString(dir.resolve("list.json"), "[1, 2]");
        assertThatThrownBy(() -> ByteLevelBpe.load(list, merges)).hasMessageContaining("list.json")
                .hasMessageContaining("token -> id");
    }

    @Test
    void learnsMergesFromACorpusSoFrequentWordsBecomeOneTokenAndEveryTextStillEncodes(@TempDir Path dir) throws IOException {
        List<String> corpus = List.of("a dog barking", "a dog barking and a siren", "the sound of a dog", "a siren wailing");
        ByteLevelBpe learned = ByteLevelBpe.learn(corpus, 40);
        // the most frequent pair: " a" (Ġa) occurs 5 times, then " dog" pieces (3 each)
        assertThat(learned.tokens("a dog")).containsExactly("a", "Ġdog");
        assertThat(learned.tokens("a siren")).containsExactly("a", "Ġsiren");
        // an unseen word falls back to pieces; the pieces spell it
        List<String> unseen = learned.tokens(" zebra");
        assertThat(String.join("", unseen)).isEqualTo("Ġzebra");
        assertThat(unseen.size()).isGreaterThan(1);
        assertThat(learned.encode("a dog barking", 8).ids()[0]).isEqualTo(0);       // <s>
        // the corpus runs out of pairs before 40 merges: then every word of it is one token
        assertThat(learned.vocabularySize()).isGreaterThan(4 + 256).isLessThan(4 + 256 + 40);
        assertThat(learned.tokens("a siren wailing and a sound")).hasSize(6);
        // learning depends on the corpus alone, and a saved vocabulary loads back to the same ids
        assertThat(ByteLevelBpe.learn(corpus, 40).ids("a dog barking and a zebra")).containsExactly(learned.ids("a dog barking and a zebra"));
        learned.save(dir);
        ByteLevelBpe loaded = ByteLevelBpe.load(dir.resolve("vocab.json"), dir.resolve("merges.txt"));
        assertThat(loaded.ids("the siren and a zebra, barking")).containsExactly(learned.ids("the siren and a zebra, barking"));
    }
}
