package org.sep4j.training.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sep4j.core.config.ConfigBinder;
import org.sep4j.core.io.Json;
import org.sep4j.models.bisep.BiSepConfig;
import org.sep4j.models.bisep.CondAttUNet;

/** `sep4j reproduce bisep` end to end at a CI budget, and BiSep's configs. */
class BiSepCommandTest {

    @Test
    void thePaperSizeIsWhatPresetFullComposes() {
        ConfigCommand.Composition c = new ConfigCommand.Composition();
        c.configName = "config";
        BiSepConfig full = ConfigBinder.bind(c.compose(List.of("experiment=bisep/weak", "preset=full")), "model.bisep",
                BiSepConfig.class);
        assertThat(CondAttUNet.parameterCount(full)).isEqualTo(87_687_651L);
        assertThat(full.bins()).isEqualTo(512);
        assertThat(full.frames()).isEqualTo(512);
    }

    @Test
    void withoutACLAPOrWithABadModeTheRunStopsBeforeItsFolderExists(@TempDir Path dir) throws Exception {
        Cli.Run none = Cli.run("train", "experiment=bisep/weak", "run.root=" + dir);
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("bisep.clap").contains("experiment=clap/tiny");
        Cli.Run bad = Cli.run("train", "experiment=bisep/weak", "bisep.mode=semi", "run.root=" + dir);
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("bisep.mode").contains("unsupervised, weak or supervised");
        Cli.Run notClap = Cli.run("train", "experiment=bisep/weak", "bisep.clap=" + dir, "run.root=" + dir);
        assertThat(notClap.code()).isNotZero();
        assertThat(notClap.err()).contains("is not a CLAP run");
        assertThat(dir.resolve("bisep")).doesNotExist();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theClapRetrievesAndWeakSupervisionBeatsTheUnsupervisedBaseline(@TempDir Path dir) throws Exception {
        String[] args = {"reproduce", "bisep", "reproduce.out=" + dir, "reproduce.bisep.clap_steps=200", "reproduce.bisep.steps=120",
            "reproduce.bisep.test_items=40", "trainer.validation_items=8"};
        Cli.Run r = Cli.run(args);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("BiSep (weakly supervised)").contains("+71 % SDR over unsupervised");
        Map<String, Object> results = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("tiny/results.json")));
        double recall = ((Number) ((Map<String, Object>) results.get("clap")).get("best")).doubleValue();
        Map<String, Map<String, Object>> test = (Map<String, Map<String, Object>>) results.get("test");
        double unsup = ((Number) test.get("unsupervised").get("sdri")).doubleValue();
        double weak = ((Number) test.get("weak").get("sdri")).doubleValue();
        double sup = ((Number) test.get("supervised").get("sdri")).doubleValue();
        System.out.printf("CLAP recall@1 %.3f (chance %.3f); test SDRi: unsupervised %.2f, BiSep %.2f, supervised %.2f dB%n", recall,
                1 / 23.0, unsup, weak, sup);
        assertThat(recall).isGreaterThan(0.3);       // chance: 1/23
        assertThat(weak).isGreaterThan(unsup + 0.3);
        assertThat(((Number) test.get("weak").get("items")).intValue()).isEqualTo(40);
        // a second run reuses every finished run and its test scores
        Cli.Run again = Cli.run(args);
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.err()).contains("reusing").doesNotContain("scoring");
    }
}
