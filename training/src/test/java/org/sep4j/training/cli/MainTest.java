package org.sep4j.training.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsTheWorkingCommands() {
        Run r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: sep4j").contains("doctor").contains("--version");
    }

    @Test
    void versionNamesSep4jAndItsEngines() {
        Run r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("sep4j \\d+\\.\\d+\\.\\d+").contains("ND4J 1.0.0-M2.1").contains("ONNX Runtime 1.23.2");
    }

    @Test
    void unknownCommandIsAUsageError() {
        Run r = run("frobnicate");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("frobnicate");
    }

    @Test
    void doctorFindsTheOneDnnBackendAndTheCpuProvider() {
        Run r = run("doctor", "--no-cuda-probe");
        assertThat(r.out()).contains("CpuBackend with oneDNN").contains("HAVE_ONEDNN").contains("usable providers     CPU");
        assertThat(r.code()).as(r.out()).isZero();
    }
}
