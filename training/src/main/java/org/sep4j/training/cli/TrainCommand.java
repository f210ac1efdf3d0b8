package org.sep4j.training.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sep4j.core.config.Composed;
import org.sep4j.core.config.ConfigError;
import org.sep4j.training.Tasks;
import org.sep4j.training.experiment.Experiment;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code sep4j train experiment=dcase2025/<tagger|baseline|separator> [OVERRIDES]}: trains on
 * generated scenes, validates every {@code trainer.validate_every} steps, keeps
 * {@code checkpoints/last} and {@code checkpoints/best} in the run folder and resumes an
 * interrupted run with the same {@code run.name}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a model: a DCASE 2025 Task 4 tagger or separator on generated scenes, or the SSLAM encoder (pre-training, linear evaluation, fine-tuning).", "",
            "Arguments are config overrides; the experiment picks the model (task: " + Tasks.NAMES + ").",
            "Rerunning with the same run.name resumes from the last checkpoint."},
        footer = {"", "Examples:", "  sep4j train experiment=dcase2025/tagger run.name=sed",
            "  sep4j train experiment=dcase2025/separator trainer.tagger=outputs/dcase2025/tagger/sed/checkpoints/best",
            "  sep4j train experiment=dcase2025/separator model.separator.dprnn.use=true trainer.steps=500"})
final class TrainCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ConfigCommand.Composition composition = new ConfigCommand.Composition();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Composed config;
        Tasks.Job job;
        try {
            config = composition.compose(composition.overrides);
            job = Tasks.job(config);
        } catch (ConfigError | IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("sep4j", Versions.sep4j());
        provenance.put("created", LocalDateTime.now().toString());
        try (Experiment exp = Experiment.open(config, provenance, System.err, System.getenv())) {
            Map<String, Object> result = Tasks.run(job, exp);
            double secs = (Double) result.get("train_seconds");
            if (job.monitor().equals("loss")) { // no validation: the last checkpoint (for pre-training, its teacher beside it)
                out.printf(Locale.ROOT, "%s: last loss %.4f, %.0f s%n", job.task(), result.get("last_loss"), secs);
            } else {
                out.printf(Locale.ROOT, "%s: best %s %.4f at step %d, last loss %.4f, %.0f s%n", job.task(), job.monitor(),
                        result.get("best"), result.get("best_step"), result.get("last_loss"), secs);
            }
            out.println("checkpoints: " + exp.folder().dir().resolve("checkpoints"));
            out.flush();
            exp.succeeded();
        }
        return 0;
    }
}
