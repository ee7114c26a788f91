package dev.continuum.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuum.controller.fleet.Selector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelectorOverlapTest {
    @ParameterizedTest(name = "''{0}'' vs ''{1}'': overlap {2}")
    @CsvSource(delimiter = '|', textBlock = """
            region=eu                 | region=us                 | false | region
            region=eu                 | region=eu                 | true  |
            region=eu                 | tier=gold                 | true  |
            region=eu                 | region!=eu                | false | region
            region=eu                 | region notin (eu,us)      | false | region
            region!=eu                | region notin (us)         | true  |
            tier in (a,b)             | tier in (b,c)             | true  |
            tier in (a,b)             | tier in (c,d)             | false | tier
            tier in (a,b)             | tier=a,tier notin (a)     | false | tier
            gpu                       | !gpu                      | false | gpu
            region=eu                 | !region                   | false | region
            !gpu                      | gpu notin (x)             | true  |
            gpu                       | gpu!=x                    | true  |
            ''                        | region=eu                 | true  |
            region=eu,tier=gold       | region=eu,tier=silver     | false | tier
            region=eu,tier=gold       | zone=a                    | true  |
            region in (eu,us),zone=a  | region=us,zone in (a,b)   | true  |
            a=1,b=2                   | b=3,a=1                   | false | b
            a=1,b=2                   | a=2,b=3                   | false | a
            """)
    void selectorsOverlapUnlessTheyContradictOnSomeKey(String a, String b, boolean overlap, String key) {
        Selector sa = Selector.parse(a);
        Selector sb = Selector.parse(b);
        assertThat(SelectorOverlap.mayOverlap(sa, sb)).isEqualTo(overlap);
        assertThat(SelectorOverlap.mayOverlap(sb, sa)).as("symmetric").isEqualTo(overlap);
        assertThat(SelectorOverlap.disjointOn(sa, sb).orElse(null)).isEqualTo(key);
    }
}
