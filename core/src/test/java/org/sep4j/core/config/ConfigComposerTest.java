package org.sep4j.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigComposerTest {

    private final ConfigComposer composer = new ConfigComposer(List.of(ConfigSource.classpath("conftest")));

    private Composed compose(String... overrides) {
        return composer.compose("config", List.of(overrides));
    }

    @Test
    void primaryOverridesItsDefaultsAndGroupsLandAtTheirPackage() {
        Composed c = compose();
        assertThat(c.get("trainer.lr")).isEqualTo(0.002);          // _self_ last: the primary wins
        assertThat(c.get("trainer.max_steps")).isEqualTo(100L);
        assertThat(c.get("model.depth")).isEqualTo(2L);
        assertThat(c.get("trainer.betas")).isEqualTo(List.of(0.9, 0.999));
        assertThat(c.choices()).containsEntry("model", "small").containsEntry("trainer", "default");
        assertThat(c.has("preset")).isFalse();                      // optional preset 'none' does not exist
        assertThat(c.origin().get("trainer.lr")).endsWith("config.yaml");
        assertThat(c.origin().get("trainer.max_steps")).endsWith("trainer/default.yaml");
    }

    @Test
    void selfPositionDecidesWhoWins() {
        assertThat(composer.compose("noself", List.of()).get("trainer.lr")).isEqualTo(0.5);
        assertThat(composer.compose("selffirst", List.of()).get("trainer.lr")).isEqualTo(0.001);
    }

    @Test
    void groupChoicesFromTheCommandLineAndFromExperiments() {
        assertThat(compose("model=big").get("model.depth")).isEqualTo(12L);
        Composed exp = compose("+experiment=sweep");
        assertThat(exp.get("model.depth")).as("override /model: big").isEqualTo(12L);
        assertThat(exp.get("name")).isEqualTo("sweep");
        assertThat(exp.get("trainer.max_steps")).isEqualTo(5L);
        assertThat(exp.get("out_dir")).as("interpolation sees the final value").isEqualTo("outputs/sweep");
        // the command line beats the experiment's override
        assertThat(compose("+experiment=sweep", "model=small").get("model.depth")).isEqualTo(2L);
        Composed nested = compose("+experiment=ablation/no_film");
        assertThat(nested.get("model.film")).isEqualTo(false);
        assertThat(nested.get("model.name")).isEqualTo("big");
        assertThat(compose("preset=tiny").get("model.dim")).isEqualTo(32L);
    }

    @Test
    void valueOverridesAreTypedAndCanAddAndDelete() {
        Composed c = compose("trainer.lr=1e-4", "seed=42", "trainer.optimizer=sgd", "+extra.flag=true",
                "+extra.list=[1,2,three]", "~model.dim", "++name=forced", "trainer.betas=null");
        assertThat(c.get("trainer.lr")).isEqualTo(1e-4);
        assertThat(c.get("seed")).isEqualTo(42L);
        assertThat(c.get("trainer.optimizer")).isEqualTo("sgd");
        assertThat(c.get("extra.flag")).isEqualTo(true);
        assertThat(c.get("extra.list")).isEqualTo(List.of(1L, 2L, "three"));
        assertThat(c.has("model.dim")).isFalse();
        assertThat(c.get("name")).isEqualTo("forced");
        assertThat(c.get("trainer.betas")).isNull();
        assertThat(c.origin().get("trainer.lr")).isEqualTo("command line: trainer.lr=1e-4");
        assertThat(c.explain("trainer")).contains("trainer.lr = 1.0E-4    # from command line: trainer.lr=1e-4")
                .contains("trainer.max_steps = 100    # from conftest/trainer/default.yaml");
    }

    @Test
    void errorsNameTheKeyAndSuggest() {
        assertThatThrownBy(() -> compose("trainer.max_step=3")).isInstanceOf(ConfigError.class)
                .hasMessageContaining("'trainer.max_step'").hasMessageContaining("did you mean 'trainer.max_steps'")
                .hasMessageContaining("+trainer.max_step");
        assertThatThrownBy(() -> compose("model=bigg")).hasMessageContaining("config group 'model' has no option 'bigg'")
                .hasMessageContaining("available: big, small").hasMessageContaining("did you mean 'big'");
        assertThatThrownBy(() -> compose("+seed=1")).hasMessageContaining("already exists").hasMessageContaining("config.yaml");
        assertThatThrownBy(() -> compose("experiment=sweep")).hasMessageContaining("+experiment=sweep");
        assertThatThrownBy(() -> compose("novalue")).hasMessageContaining("has no '='");
        assertThatThrownBy(() -> compose("+x=${nope.missing}")).hasMessageContaining("nope.missing");
    }

    @Test
    void environmentLookups() {
        String home = System.getenv("HOME");
        Composed c = compose("+paths.home=${oc.env:HOME}", "+paths.other=${oc.env:SEP4J_SURELY_UNSET_VAR,fallback}/x",
                "+paths.mix=run_${name}_${seed}");
        if (home != null) {
            assertThat(c.get("paths.home")).isEqualTo(home);
        }
        assertThat(c.get("paths.other")).isEqualTo("fallback/x");
        assertThat(c.get("paths.mix")).isEqualTo("run_demo_7");
        assertThatThrownBy(() -> compose("+p=${oc.env:SEP4J_SURELY_UNSET_VAR}")).hasMessageContaining("SEP4J_SURELY_UNSET_VAR");
    }

    @Test
    void userFolderTakesPrecedence(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("model"));
        Files.writeString(dir.resolve("model/small.yaml"), "name: mine\ndepth: 3\n");
        Files.writeString(dir.resolve("model/huge.yaml"), "name: huge\ndepth: 48\n");
        ConfigComposer c = new ConfigComposer(List.of(ConfigSource.directory(dir), ConfigSource.classpath("conftest")));
        assertThat(c.compose("config", List.of()).get("model.depth")).isEqualTo(3L);
        assertThat(c.compose("config", List.of("model=huge")).get("model.depth")).isEqualTo(48L);
        assertThat(c.compose("config", List.of("model=big")).get("model.depth")).isEqualTo(12L);
    }

    @Test
    void yamlRoundTrip() {
        Composed c = compose();
        Map<String, Object> back = Yaml.load(c.yaml(), "dump");
        assertThat(back).isEqualTo(c.tree());
        assertThatThrownBy(() -> Yaml.load("a: [1, 2\nb: 3", "broken.yaml")).hasMessageContaining("broken.yaml")
                .hasMessageContaining("line");
    }

    @Test
    void multirunExpandsTheCartesianProduct() {
        assertThat(Sweep.expand(List.of("a=1,2", "b=x,y", "c=[1,2]"))).containsExactly(
                List.of("a=1", "b=x", "c=[1,2]"), List.of("a=1", "b=y", "c=[1,2]"),
                List.of("a=2", "b=x", "c=[1,2]"), List.of("a=2", "b=y", "c=[1,2]"));
        assertThat(Sweep.expand(List.of("iterations.max=range(1,5)"))).hasSize(4).last()
                .isEqualTo(List.of("iterations.max=4"));
        assertThat(Sweep.expand(List.of("lr=range(0,1,0.25)"))).extracting(l -> l.get(0))
                .containsExactly("lr=0.0", "lr=0.25", "lr=0.5", "lr=0.75");
        assertThatThrownBy(() -> Sweep.expand(List.of("x=range(a,b)"))).hasMessageContaining("range()");
    }
}
