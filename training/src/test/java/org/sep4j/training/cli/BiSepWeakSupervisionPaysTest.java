package org.sep4j.training.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sep4j.core.io.Json;

/**
 * The proof issue 18 asks for, through {@code sep4j reproduce bisep} at reduced steps (~5 minutes on
 * 2 cores): the native CLAP retrieves held-out clips by text well above chance (1/23), and BiSep's
 * weak supervision beats the unsupervised mix-and-separate baseline in SDRi on the same test set.
 */
class BiSepWeakSupervisionPaysTest {

    @Test
    void theClapRetrievesAndWeakSupervisionBeatsUnsupervised(@TempDir Path dir) throws Exception {
        String[] args = {"reproduce", "bisep", "reproduce.out=" + dir, "reproduce.bisep.clap_steps=200",
            "reproduce.bisep.steps=150", "reproduce.bisep.test_items=40", "trainer.validation_items=8"};
        Cli.Run r = Cli.run(args);
        assertThat(r.code()).as(r.err()).isZero();
        Map<?, ?> results = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("tiny/results.json")));
        double recall = ((Number) ((Map<?, ?>) results.get("clap")).get("best")).doubleValue();
        Map<?, ?> test = (Map<?, ?>) results.get("test");
        double unsup = sdri(test, "unsupervised");
        double weak = sdri(test, "weak");
        System.out.printf(java.util.Locale.ROOT, "CLAP text->audio R@1 %.3f (chance %.3f); test SDRi: unsupervised %.2f dB, "
                + "weak %.2f dB, supervised %.2f dB%n", recall, 1.0 / 23, unsup, weak, sdri(test, "supervised"));
        assertThat(recall).as("recall@1 over 23 classes").isGreaterThan(0.3);
        assertThat(weak).as("weak %.2f dB against unsupervised %.2f dB", weak, unsup).isGreaterThan(unsup + 0.3);
        // a second run reuses every finished run and its scores
        Cli.Run again = Cli.run(args);
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out() + again.err()).doesNotContain("scoring");
    }

    private static double sdri(Map<?, ?> test, String mode) {
        return ((Number) ((Map<?, ?>) test.get(mode)).get("sdri")).doubleValue();
    }
}
