package org.sep4j.training.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.sep4j.core.config.ConfigError;
import org.sep4j.training.dcase.Reproduction;
import org.sep4j.training.bisep.BiSepReproduction;
import org.sep4j.training.sslam.SslamReproduction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sep4j reproduce dcase2025 [OVERRIDES]}: the 2nd-place system's ablation table, trained and scored end to end. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = {"Reproduce a published table end to end (train, evaluate, tabulate).", "",
            "dcase2025: the DCASE 2025 Task 4 2nd-place system: the SED tagger, then the baseline separator,",
            "AudioSep-SED and its ablations (w/o Time-FiLM, w/o embedding injection, frozen SED, + DPRNN,",
            "iterative refinement max 2/3/4), each scored with stage-1 labels from the trained tagger and with",
            "oracle labels. Writes results/dcase2025/<preset>/table.md, table.csv, ca_sdri.png, iterations.png.",
            "sslam: EAT pre-training (stage 1) of the tiny encoder on the embedded scenes, SSLAM's stage 2 from it,",
            "and the linear evaluation of a random encoder, EAT and SSLAM. Writes results/sslam/<preset>/table.md.",
            "bisep: sep4j's CLAP on captioned clips of the embedded library, then BiSep's separator unsupervised,",
            "weakly supervised (BiSep) and supervised, scored on text-queried test mixtures (SDR, SDRi, SI-SDR).",
            "Writes results/bisep/<preset>/table.md.",
            "Finished variants are reused; an interrupted one resumes from its last checkpoint. Trained separators",
            "are scored through their ONNX export in ONNX Runtime (reproduce.engine=samediff scores the graph).", "",
            "Other arguments are config overrides (preset=full, data.root=<official data>, reproduce.separator_steps=...)."},
        footer = {"", "Examples:", "  sep4j reproduce dcase2025", "  sep4j reproduce dcase2025 --smoke",
            "  sep4j reproduce dcase2025 --only baseline,audiosep-sed --seeds 3",
            "  sep4j reproduce dcase2025 --jobs 2",
            "  sep4j reproduce dcase2025 preset=full data.root=/data/DCASE2025Task4Dataset",
            "  sep4j reproduce dcase2025 reproduce.separator_steps=640",
            "  sep4j reproduce sslam --smoke", "  sep4j reproduce sslam reproduce.sslam.eat_steps=2000",
            "  sep4j reproduce bisep", "  sep4j reproduce bisep reproduce.bisep.steps=1000"})
final class ReproduceCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TABLE", description = "Which table: dcase2025, sslam or bisep.")
    String table;

    @Parameters(index = "1..*", paramLabel = "OVERRIDE", arity = "0..*", description = "Config overrides.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--only", split = ",", paramLabel = "VARIANT", description = "Only these variants (comma-separated): "
            + "baseline, audiosep-sed, no-time-film, no-injection, frozen-sed, dprnn, iter2, iter3, iter4.")
    List<String> only = new ArrayList<>();

    @Option(names = "--seeds", paramLabel = "N", description = "Seeds per variant (default: reproduce.seeds).")
    Integer seeds;

    @Option(names = "--jobs", paramLabel = "N", description = "Separator runs at a time (default: 1). Each takes about "
            + "2.5 GB at the tiny size; on 2 cores 2 jobs finish two variants 1.3x sooner (measured) at ~6.2-6.8 GB peak.")
    int jobs = 1;

    @Option(names = "--smoke", description = "The whole pipeline on a minute budget (2-s scenes, a few steps, 2 test "
            + "soundscapes) into results/dcase2025/<preset>-smoke/: checks the plumbing, not the numbers.")
    boolean smoke;

    /** What --smoke sets before the user's overrides. */
    static final List<String> SMOKE = List.of("data.scene.duration=2.0", "data.scene.max_event_duration=1.0",
            "model.sed.strong_frames=50", "reproduce.tagger_steps=4", "reproduce.separator_steps=2", "reproduce.test_items=2",
            "reproduce.validation_items=2", "reproduce.tagger_validation_items=2", "reproduce.separator_batch_size=2",
            "trainer.batch_size=2");

    /** What --smoke sets for the sslam table. */
    static final List<String> SSLAM_SMOKE = List.of("pretrain.frames=128", "probe.frames=128", "pretrain.clones=2",
            "pretrain.unmixed_frames=32", "probe.train_items=16", "trainer.validation_items=8", "reproduce.sslam.eat_steps=4",
            "reproduce.sslam.sslam_steps=2", "reproduce.sslam.probe_steps=10");

    /** What --smoke sets for the bisep table. */
    static final List<String> BISEP_SMOKE = List.of("reproduce.bisep.clap_steps=4", "reproduce.bisep.steps=2",
            "reproduce.bisep.test_items=2", "trainer.validation_items=2", "clap.validation_groups=1");

    @Option(names = "--config-dir", paramLabel = "DIR", description = "A folder of YAML configs searched before the packaged configs/.")
    java.nio.file.Path configDir;

    @Override
    public Integer call() throws IOException {
        if (!List.of("dcase2025", "sslam", "bisep").contains(table)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown table '" + table + "'; available: dcase2025, sslam, "
                    + "bisep");
        }
        if (seeds != null && seeds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seeds must be at least 1");
        }
        String preset = "tiny";
        for (String o : overrides) {
            if (o.startsWith("preset=")) {
                preset = o.substring(7);
            }
        }
        boolean sslam = table.equals("sslam");
        boolean bisep = table.equals("bisep");
        if ((sslam || bisep) && (!only.isEmpty() || seeds != null || jobs != 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--only, --seeds and --jobs are dcase2025's; " + table
                    + " takes config overrides (reproduce." + table + ".steps=...)");
        }
        List<String> all = new ArrayList<>(smoke ? (sslam ? SSLAM_SMOKE : bisep ? BISEP_SMOKE : SMOKE) : List.of());
        all.addAll(overrides);
        ConfigCommand.Composition c = new ConfigCommand.Composition();
        c.configDir = configDir;
        c.configName = "config";
        String folder = smoke ? preset + "-smoke" : preset;
        try {
            String md;
            java.nio.file.Path written;
            if (bisep) {
                BiSepReproduction r = new BiSepReproduction(c::compose, all, folder, System.err);
                md = r.run();
                written = r.out();
            } else if (sslam) {
                SslamReproduction r = new SslamReproduction(c::compose, all, folder, System.err);
                md = r.run();
                written = r.out();
            } else {
                Reproduction r = new Reproduction(c::compose, all, folder, System.err);
                md = r.run(new LinkedHashSet<>(only), seeds, jobs);
                written = r.out();
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(md);
            out.println("written to " + written);
            out.flush();
        } catch (ConfigError | IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        return 0;
    }
}
