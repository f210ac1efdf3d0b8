package org.sep4j.training.dcase;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sep4j.core.config.Composed;
import org.sep4j.core.config.ConfigBinder;
import org.sep4j.core.config.ConfigComposer;
import org.sep4j.core.track.LocalTracker;
import org.sep4j.core.track.RunInfo;
import org.sep4j.data.DataConfig;
import org.sep4j.data.scene.Scene;
import org.sep4j.data.scene.SceneGenerator;
import org.sep4j.models.nn.Graph;
import org.sep4j.models.sed.SedConfig;
import org.sep4j.models.sep.SeparatorConfig;
import org.sep4j.training.Trainer;

/** The DCASE tasks learn on the embedded synthetic scenes (2-s scenes, small models: CI-sized). */
class DcaseTasksTest {

    private static Composed compose(String... overrides) {
        List<String> o = new ArrayList<>(List.of("data.scene.duration=2.0", "data.scene.max_event_duration=1.0"));
        o.addAll(List.of(overrides));
        return ConfigComposer.standard(null).compose("config", o);
    }

    private static LocalTracker tracker(Path dir) {
        LocalTracker t = new LocalTracker();
        t.start(new RunInfo("t", "t", "test", dir.resolve("run")), Map.of());
        return t;
    }

    @Test
    void yamlDefaultsAreTheRecordDefaults() {
        Composed c = ConfigComposer.standard(null).compose("config", List.of());
        assertThat(ConfigBinder.bind(c, "model.sed", SedConfig.class)).isEqualTo(SedConfig.defaults());
        assertThat(ConfigBinder.bind(c, "model.separator", SeparatorConfig.class)).isEqualTo(SeparatorConfig.defaults());
        assertThat(ConfigBinder.bind(c, "trainer", TrainSettings.class)).isEqualTo(TrainSettings.defaults());
        assertThat(ConfigBinder.bind(c, "reproduce", ReproduceSettings.class)).isEqualTo(ReproduceSettings.defaults());
        Composed sep = ConfigComposer.standard(null).compose("config", List.of("experiment=dcase2025/separator"));
        SeparatorConfig s = ConfigBinder.bind(sep, "model.separator", SeparatorConfig.class);
        assertThat(s.timeFilm().use() && s.soundbeam().apply()).isTrue();
    }

    @Test
    void taggerLearnsLabelsFarAboveChance(@TempDir Path dir) throws Exception {
        Composed c = compose("experiment=dcase2025/tagger", "model.sed.strong_frames=50", "trainer.steps=100",
                "trainer.lr=0.002", "trainer.warmup=10", "trainer.validate_every=100", "trainer.validation_items=48");
        SceneGenerator gen = ConfigBinder.bind(c, "data", DataConfig.class).generator();
        TaggerTask task = new TaggerTask(ConfigBinder.bind(c, "model.sed", SedConfig.class), gen,
                ConfigBinder.bind(c, "trainer", TrainSettings.class));
        Trainer.Result r = task.train(dir.resolve("ckpt"), tracker(dir), 0);
        // chance mAP: AP of uninformative scores is the class prevalence
        Scene[] val = new SceneBatches(gen, null).validation(48);
        double prevalence = 0;
        for (Scene s : val) {
            prevalence += s.targets().size() / 18.0;
        }
        prevalence /= val.length;
        Graph eval = task.graph(false, 0);
        org.sep4j.training.Checkpoint.loadWeights(dir.resolve("ckpt/best"), eval);
        Map<String, Double> m = task.validate(eval, val);
        System.out.printf("tagger after 100 steps: mAP %.3f (chance %.3f), label accuracy %.3f%n", m.get("mAP"), prevalence,
                m.get("label_accuracy"));
        assertThat(m.get("mAP")).isGreaterThan(2.5 * prevalence);
        assertThat(r.best()).isEqualTo(m.get("label_accuracy"));
    }

    @Test
    void separatorImprovesCaSdriWithOracleLabels(@TempDir Path dir) throws Exception {
        Composed c = compose("experiment=dcase2025/baseline", "model.separator.channels=[4,8,8]", "model.separator.pool_time=[2,2,1]",
                "model.separator.pool_freq=[2,2,2]", "trainer.batch_size=4", "trainer.steps=60", "trainer.warmup=5", "trainer.lr=0.005",
                "trainer.validate_every=30", "trainer.validation_items=12");
        SceneGenerator gen = ConfigBinder.bind(c, "data", DataConfig.class).generator();
        SeparatorTask task = new SeparatorTask(ConfigBinder.bind(c, "model.separator", SeparatorConfig.class),
                ConfigBinder.bind(c, "model.sed", SedConfig.class), gen, ConfigBinder.bind(c, "trainer", TrainSettings.class));
        Scene[] val = task.data().validation(12);
        double before = task.validate(task.graph(false, -1, 0), val).get("ca_sdri");
        Trainer.Result r = task.train(dir.resolve("ckpt"), tracker(dir), 0, s -> { });
        System.out.printf("separator CA-SDRi (oracle labels): %.2f dB untrained, %.2f dB after 60 steps%n", before, r.best());
        // an untrained mask already scores ~4.6 dB (a halved mixture is closer to a quiet target than the
        // mixture is); training must add to that (measured: 4.63 → 5.28 dB in 60 steps)
        assertThat(r.best()).isGreaterThan(before + 0.4);
    }
}
