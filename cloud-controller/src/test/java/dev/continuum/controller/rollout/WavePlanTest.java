package dev.continuum.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuum.controller.rollout.Strategy.Wave;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WavePlanTest {
    @ParameterizedTest(name = "{0} of {1} devices -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            1%,10%,50%,100%  |    7 | 1,2,4,7
            1%,10%,50%,100%  | 1000 | 10,100,500,1000
            1%,10%,50%,100%  |    1 | 1,1,1,1
            1%,10%,50%,100%  |    2 | 1,2,2,2
            1%,10%,50%,100%  |    0 | 0,0,0,0
            30%,100%         |   10 | 3,10
            33.3%,66.6%,100% |    3 | 1,2,3
            10%,50%          |   10 | 1,10
            1,5,20           |   10 | 1,5,10
            1,5,20           |   40 | 1,5,40
            1,10%,100%       |   50 | 1,5,50
            2,10%,100%       |   10 | 2,3,10
            """)
    void waveSizesAreCumulativeNeverZeroWhileDevicesRemainAndTheLastWaveCoversAll(String waves, int devices,
                                                                                    String expected) {
        List<Wave> parsed = Strategy.waves(waves);
        int[] want = Arrays.stream(expected.split(",")).mapToInt(Integer::parseInt).toArray();
        assertThat(WavePlan.cumulativeTargets(parsed, devices)).containsExactly(want);
    }
}
