package org.sep4j.data.captions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sep4j.data.library.ProceduralLibrary;

class CaptionsTest {

    @Test
    void theParserRecoversTheSoundPhrasesOfEveryGeneratedCaption() {
        List<String> classes = new java.util.ArrayList<>(ProceduralLibrary.TARGETS);
        classes.addAll(ProceduralLibrary.INTERFERENCE);
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 2000; i++) {
            String a = classes.get(r.nextInt(classes.size()));
            String b = classes.get(r.nextInt(classes.size()));
            boolean pair = !a.equals(b) && r.nextBoolean();
            String caption = Captions.describe(pair ? List.of(a, b) : List.of(a), r);
            Captions.Phrases p = Captions.phrases(caption, 3);
            assertThat(p.phrases()).hasSize(3);
            assertThat(Captions.names(a)).as(caption).contains(p.phrases().get(0));
            if (pair) {
                assertThat(Captions.names(b)).as(caption).contains(p.phrases().get(1));
                assertThat(p.weights()).containsExactly(0.5, 1.0, 0.5);
            } else {
                assertThat(p.phrases()).as(caption).containsOnly(p.phrases().get(0));
                assertThat(p.weights()).containsExactly(1 / 3.0, 1 / 3.0, 1 / 3.0);
            }
        }
    }

    @Test
    void splitsAudioCapsStyleCaptionsAtEachSeparatorAndKeepsTheFirstK() {
        Captions.Phrases p = Captions.phrases("A man speaks, followed by a dog barking while rain falls and birds chirp.", 3);
        assertThat(p.phrases()).containsExactly("a man speaks", "a dog barking", "rain falls");
        assertThat(p.weights()).containsExactly(1.0, 1.0, 1.0);
        assertThat(Captions.phrases("The sound mixture of a siren and speech", 2).phrases()).containsExactly("a siren", "speech");
        assertThatThrownBy(() -> Captions.phrases(" , . ", 3)).hasMessageContaining("no phrase");
    }

    @Test
    void classNamesOutsideTheEmbeddedLibraryAreSpelledOut() {
        assertThat(Captions.names("ChurchBell")).containsExactly("church bell");
        assertThat(Captions.names("glass_breaking")).containsExactly("glass breaking");
        assertThat(Captions.query("Doorbell")).isEqualTo("the sound of a doorbell");
        assertThat(Captions.mixture("Siren", "Speech")).isEqualTo("the sound mixture of a siren and speech");
        assertThat(Captions.corpus(List.of("Siren", "Speech"))).contains("a siren wailing can be heard", "speech while a siren");
    }
}
