package org.sep4j.training.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `reproduce dcase2025 --smoke`: every variant trained, scored and tabulated with finite numbers; reruns reuse. */
class ReproduceCommandTest {

    @Test
    void smokeRunTabulatesEveryVariantAndReusesFinishedRuns(@TempDir Path dir) throws Exception {
        Cli.Run first = Cli.run("reproduce", "dcase2025", "--smoke", "reproduce.out=" + dir);
        assertThat(first.code()).as(first.err()).isZero();
        Path out = dir.resolve("tiny-smoke");
        List<String> csv = Files.readAllLines(out.resolve("table.csv"));
        assertThat(csv).hasSize(1 + 1 + 9);                                          // header, floor, every variant
        for (String row : csv.subList(1, csv.size())) {
            String[] cells = row.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");     // commas outside quotes
            // stage-1 and oracle CA-SDRi, parameters and train time are finite numbers from the runs
            for (int c = 1; c <= 4; c++) {
                assertThat(Double.parseDouble(cells[c])).as(row).isFinite();
            }
        }
        String table = Files.readString(out.resolve("table.md"));
        assertThat(table).contains("DCASE baseline (ResUNet)").contains("+ DPRNN").contains("iterative refinement, max 4")
                .contains("13.42").contains("not comparable");
        assertThat(out.resolve("ca_sdri.png")).exists();
        assertThat(out.resolve("iterations.png")).exists();
        String report = Files.readString(out.resolve("report.html"));
        assertThat(report).contains("DCASE baseline (ResUNet)").contains("ca_sdri.png").contains("iterations.png");
        // both test scenes of every variant have players: the mixture, each target and its estimate, all on disk
        List<String> audio = java.util.regex.Pattern.compile("<audio [^>]*src=\"([^\"]+)\"").matcher(report).results()
                .map(m -> m.group(1)).toList();
        assertThat(report.split("<tr>").length - 1).as("summary rows + item rows")
                .isEqualTo(1 + 1 + 9 + 1 + 2 * 9);                                    // header, floor, variants; header, items
        assertThat(audio).hasSizeGreaterThanOrEqualTo(2 * 9 * 3);
        for (String src : audio) {
            assertThat(out.resolve(src)).as(src).isRegularFile();
            assertThat(org.sep4j.core.audio.AudioFiles.read(out.resolve(src)).length()).as(src).isPositive();
        }
        assertThat(audio).contains("listen/scene0_mixture.wav")
                .anyMatch(a -> a.startsWith("runs/dcase2025/separator/audiosep-sed-seed0/listen/scene1_"));
        assertThat(Files.readString(out.resolve("runs/dcase2025/separator/iter3-seed0/evaluation.json")))
                .contains("ca_sdri_by_passes").contains("ca_sdri_oracle");
        Cli.Run again = Cli.run("reproduce", "dcase2025", "--smoke", "reproduce.out=" + dir, "--only", "iter2");
        assertThat(again.code()).isZero();
        assertThat(Files.readString(out.resolve("runs/dcase2025/separator/iter2-seed0/run.log"))).contains("iter2: reusing");
        // two jobs side by side give what one job gave: delete two results, re-score both at once
        Path base = out.resolve("runs/dcase2025/baseline/baseline-seed0/evaluation.json");
        Path sep = out.resolve("runs/dcase2025/separator/audiosep-sed-seed0/evaluation.json");
        String baseBefore = Files.readString(base);
        String sepBefore = Files.readString(sep);
        Files.delete(base);
        Files.delete(sep);
        Cli.Run jobs = Cli.run("reproduce", "dcase2025", "--smoke", "reproduce.out=" + dir, "--only", "baseline,audiosep-sed",
                "--jobs", "2", "reproduce.metrics=+pesq");
        assertThat(jobs.code()).as(jobs.err()).isZero();
        assertThat(scores(Files.readString(base))).isEqualTo(scores(baseBefore));
        assertThat(scores(Files.readString(sep))).isEqualTo(scores(sepBefore));
        // +pesq: the re-scored runs get a wideband PESQ (MOS-LQO range); runs finished without it show "–"
        List<String> withPesq = Files.readAllLines(out.resolve("table.csv"));
        assertThat(withPesq.get(0)).contains("PESQ wb (oracle labels)");
        for (String row : withPesq.subList(1, withPesq.size())) {
            String pesq = row.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")[3];
            if (row.startsWith("DCASE baseline") || row.startsWith("AudioSep-SED") || row.startsWith("\"(floor")) {
                assertThat(Double.parseDouble(pesq)).as(row).isBetween(1.0, 4.65);
            } else {
                assertThat(pesq).as(row).isEqualTo("–");
            }
        }
        assertThat(Files.readString(base)).contains("pesq_wb_oracle").contains("pesq_scored");
        // a finished run asked for PESQ later is scored again for PESQ only, not retrained
        Path iter2 = out.resolve("runs/dcase2025/separator/iter2-seed0/evaluation.json");
        String iter2Before = Files.readString(iter2);
        Cli.Run addPesq = Cli.run("reproduce", "dcase2025", "--smoke", "reproduce.out=" + dir, "--only", "iter2",
                "reproduce.metrics=+pesq");
        assertThat(addPesq.code()).as(addPesq.err()).isZero();
        assertThat(Files.readString(out.resolve("runs/dcase2025/separator/iter2-seed0/run.log"))).contains("iter2: adding PESQ");
        assertThat(scores(Files.readString(iter2))).isEqualTo(scores(iter2Before));
        assertThat(Files.readString(iter2)).contains("pesq_wb_oracle");
        // a run finished before it kept estimates to listen to gets them by re-scoring, not retraining
        Path iter3 = out.resolve("runs/dcase2025/separator/iter3-seed0/evaluation.json");
        String iter3Before = Files.readString(iter3);
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> old = (java.util.Map<String, Object>) org.sep4j.core.io.Json.parse(iter3Before);
        old.remove("listen");
        Files.writeString(iter3, org.sep4j.core.io.Json.pretty(old));
        Cli.Run addListening = Cli.run("reproduce", "dcase2025", "--smoke", "reproduce.out=" + dir, "--only", "iter3");
        assertThat(addListening.code()).as(addListening.err()).isZero();
        assertThat(Files.readString(out.resolve("runs/dcase2025/separator/iter3-seed0/run.log")))
                .contains("iter3: adding the estimates to listen to");
        assertThat(scores(Files.readString(iter3))).isEqualTo(scores(iter3Before));
        Cli.Run bad = Cli.run("reproduce", "dcase2025", "--smoke", "reproduce.out=" + dir, "--only", "nonsense");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown variant 'nonsense'");
    }

    /** The CA-SDRi lines of an evaluation.json (training time differs between runs). */
    private static List<String> scores(String json) {
        return json.lines().filter(l -> l.contains("ca_sdri")).map(l -> l.strip().replaceAll(",$", "")).toList();
    }
}
