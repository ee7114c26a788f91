package dev.continuum.controller.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuum.controller.common.InvalidInputException;
import dev.continuum.controller.fleet.Selector.Op;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SelectorTest {
    private static final Map<String, String> EU_GOLD = Map.of("region", "eu", "tier", "gold");

    @Test
    void parsesEveryRequirementKind() {
        Selector s = Selector.parse(" region = eu , tier in (gold, silver),!decommissioned,gpu, zone!=a,rack notin (r1), k==v");
        assertThat(s.requirements()).containsExactly(
                new Selector.Requirement("region", Op.EQUALS, Set.of("eu")),
                new Selector.Requirement("tier", Op.IN, Set.of("gold", "silver")),
                new Selector.Requirement("decommissioned", Op.NOT_EXISTS, Set.of()),
                new Selector.Requirement("gpu", Op.EXISTS, Set.of()),
                new Selector.Requirement("zone", Op.NOT_EQUALS, Set.of("a")),
                new Selector.Requirement("rack", Op.NOT_IN, Set.of("r1")),
                new Selector.Requirement("k", Op.EQUALS, Set.of("v")));
    }

    @Test
    void matchesLikeKubernetes() {
        assertThat(Selector.parse("region=eu,tier in (gold,silver),!decommissioned").matches(EU_GOLD)).isTrue();
        assertThat(Selector.parse("region=eu,!tier").matches(EU_GOLD)).isFalse();
        assertThat(Selector.parse("zone!=a").matches(EU_GOLD)).as("!= matches an absent label").isTrue();
        assertThat(Selector.parse("zone notin (a)").matches(EU_GOLD)).as("notin matches an absent label").isTrue();
        assertThat(Selector.parse("tier notin (gold)").matches(EU_GOLD)).isFalse();
        assertThat(Selector.parse("zone in (a)").matches(EU_GOLD)).isFalse();
        assertThat(Selector.parse("").matches(Map.of())).isTrue();
        assertThat(Selector.parse("example.com/team=vision").matches(Map.of("example.com/team", "vision"))).isTrue();
    }

    @Test
    void rejectsMalformedSelectorsNamingThePosition() {
        assertThatThrownBy(() -> Selector.parse("tier in (gold"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("position 13").hasMessageContaining("expected ','");
        assertThatThrownBy(() -> Selector.parse("tier between (a)")).hasMessageContaining("found 'between'");
        assertThatThrownBy(() -> Selector.parse("region=eu,,x")).hasMessageContaining("expected a label key");
        assertThatThrownBy(() -> Selector.parse("!gpu=1")).hasMessageContaining("after '!gpu'");
        assertThatThrownBy(() -> Selector.parse("-bad=1")).hasMessageContaining("not a valid label key");
        assertThat(((InvalidInputException) catchThrowable("a=b c")).field()).isEqualTo("selector");
    }

    private static Throwable catchThrowable(String s) {
        try {
            Selector.parse(s);
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }
}
