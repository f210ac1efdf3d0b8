package org.sep4j.training.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sep4j.core.config.ConfigBinder;
import org.sep4j.models.bisep.BiSepConfig;
import org.sep4j.models.bisep.CondAttUNet;

/** BiSep's configs and its errors before a run folder exists. */
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
}
