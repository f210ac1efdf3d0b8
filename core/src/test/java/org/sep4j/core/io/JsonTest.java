package org.sep4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void roundTripsNestedValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "quote \" and \\ and \n");
        m.put("n", 3L);
        m.put("x", 0.25);
        m.put("ok", true);
        m.put("none", null);
        m.put("list", List.of(1L, "two", List.of()));
        m.put("empty", Map.of());
        assertThat(Json.parse(Json.write(m))).isEqualTo(m);
        assertThat(Json.parse(Json.pretty(m))).isEqualTo(m);
        assertThat(Json.parse(" {\"u\": \"\\u00e9\"} ")).isEqualTo(Map.of("u", "é"));
        // the layout people read: one key per line, arrays inline, empty containers closed
        assertThat(Json.pretty(Map.of("a", List.of(1L, 2L)))).isEqualTo("{\n  \"a\": [1, 2]\n}\n");
        assertThat(Json.pretty(Map.of("e", Map.of(), "l", List.of()).entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (x, y) -> x,
                        java.util.TreeMap::new)))).isEqualTo("{\n  \"e\": {},\n  \"l\": []\n}\n");
        assertThat(Json.write(java.nio.file.Path.of("/a/b"))).isEqualTo("\"/a/b\"");
    }

    @Test
    void nonFiniteNumbersRoundTripAsPythonSpellsThem() {
        List<Object> v = List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -1.5);
        String text = Json.write(v);
        assertThat(text).isEqualTo("[NaN,Infinity,-Infinity,-1.5]");
        assertThat(Json.parse(text)).isEqualTo(v);
        assertThatThrownBy(() -> Json.parse("[Nope]")).hasMessageContaining("offset 1").hasMessageContaining("'Nope'");
    }

    @Test
    void errorsSayWhere() {
        assertThatThrownBy(() -> Json.parse("{\"a\": 1,}")).hasMessageContaining("offset 8");
        assertThatThrownBy(() -> Json.parse("[1] x")).hasMessageContaining("offset 4").hasMessageContaining("'x'");
        assertThatThrownBy(() -> Json.parse("[1] 2")).hasMessageContaining("after the value");
    }
}
