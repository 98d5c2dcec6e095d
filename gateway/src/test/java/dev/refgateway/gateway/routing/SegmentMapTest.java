package dev.refgateway.gateway.routing;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentMapTest {

    @Test
    void aSegmentIsFoundByItsRegionOfThePath() {
        SegmentMap<String> map = SegmentMap.of(Map.of("users", "U", "orders", "O", "", "ROOT"));
        String path = "/api/users/orders/";

        assertThat(map.get(path, 5, 10)).isEqualTo("U");
        assertThat(map.get(path, 11, 17)).isEqualTo("O");
        assertThat(map.get(path, 18, 18)).isEqualTo("ROOT");
        assertThat(map.get(path, 1, 4)).isNull();
        assertThat(map.get(path, 5, 9)).as("a prefix of a key is another segment").isNull();
    }

    @Test
    void keysWithTheSameHashAreToldApart() {
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        SegmentMap<Integer> map = SegmentMap.of(Map.of("Aa", 1, "BB", 2));

        assertThat(map.get("/Aa", 1, 3)).isEqualTo(1);
        assertThat(map.get("/BB", 1, 3)).isEqualTo(2);
        assertThat(map.get("/C#", 1, 3)).isNull();
    }

    @Test
    void anEmptyMapFindsNothing() {
        assertThat(SegmentMap.<String>of(Map.of()).get("/a", 1, 2)).isNull();
    }
}
