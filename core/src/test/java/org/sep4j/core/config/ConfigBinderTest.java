package org.sep4j.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigBinderTest {

    enum Opt { ADAMW, SGD }

    record Trainer(@Doc("learning rate") double lr, @Doc("steps") int maxSteps, Opt optimizer, List<Double> betas) {
        Trainer {
            if (lr <= 0) {
                throw new IllegalArgumentException("lr must be positive, got " + lr);
            }
        }

        public static Trainer defaults() {
            return new Trainer(1e-3, 10, Opt.ADAMW, List.of(0.9, 0.999));
        }
    }

    record Model(String name, int depth, int dim) {
    }

    record Root(String name, long seed, Trainer trainer, Model model, String outDir) {
    }

    private final ConfigComposer composer = new ConfigComposer(List.of(ConfigSource.classpath("conftest")));

    @Test
    void bindsNestedRecordsWithDefaults() {
        Composed c = composer.compose("config", List.of("trainer.optimizer=sgd"));
        Root r = ConfigBinder.bind(c, "", Root.class);
        assertThat(r.trainer().lr()).isEqualTo(0.002);
        assertThat(r.trainer().maxSteps()).isEqualTo(100);
        assertThat(r.trainer().optimizer()).isEqualTo(Opt.SGD);
        assertThat(r.model().depth()).isEqualTo(2);
        assertThat(r.outDir()).isEqualTo("outputs/demo");
        assertThat(ConfigBinder.key("maxSteps")).isEqualTo("max_steps");
    }

    @Test
    void unknownKeysNameTheFileAndTheClosestKey() {
        Composed c = composer.compose("config", List.of("+trainer.max_stesp=3"));
        assertThatThrownBy(() -> ConfigBinder.bind(c, "trainer", Trainer.class))
                .hasMessageContaining("unknown key 'trainer.max_stesp'")
                .hasMessageContaining("command line")
                .hasMessageContaining("did you mean 'max_steps'");
    }

    @Test
    void wrongTypesMissingKeysAndRejectedValues() {
        assertThatThrownBy(() -> ConfigBinder.bind(composer.compose("config", List.of("trainer.max_steps=many")), "trainer", Trainer.class))
                .hasMessageContaining("trainer.max_steps: expected an integer, found 'many'");
        assertThatThrownBy(() -> ConfigBinder.bind(composer.compose("config", List.of("trainer.optimizer=adam")), "trainer", Trainer.class))
                .hasMessageContaining("'adam' is not one of [adamw, sgd]").hasMessageContaining("did you mean 'adamw'");
        assertThatThrownBy(() -> ConfigBinder.bind(composer.compose("config", List.of("~model.depth")), "model", Model.class))
                .hasMessageContaining("model.depth: required key is missing");
        assertThatThrownBy(() -> ConfigBinder.bind(composer.compose("config", List.of("trainer.lr=-1")), "trainer", Trainer.class))
                .hasMessageContaining("lr must be positive").hasMessageContaining("trainer");
        assertThatThrownBy(() -> ConfigBinder.bind(composer.compose("config", List.of("trainer.betas=3")), "trainer", Trainer.class))
                .hasMessageContaining("trainer.betas: expected a list");
    }
}
