package dev.continuum.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatorConfigTest {
    private static SimulatorConfig parse(String... args) {
        return SimulatorConfig.parse(List.of(args), 4.0);
    }

    @Test
    void theCommandLineOfTheBriefParsesWithItsSpreadsAndBadVersions() {
        SimulatorConfig c = parse("--controller", "http://ctl:8080", "--bootstrap-token", "ctb_x", "--devices", "1000",
                "--labels", "sim=true", "--rate", "2", "--slowdown-spread", "1..20", "--rtt-millis=5..50",
                "--bad-version", "lenet:2.0.0=0.5", "--bad-version", "resnet:3", "--data-dir", "/tmp/sim");
        assertThat(c.devices()).isEqualTo(1000);
        assertThat(c.labels()).isEqualTo(Map.of("sim", "true"));
        assertThat(c.rate()).isEqualTo(2.0);
        assertThat(c.slowdown()).isEqualTo(new Range(1, 20));
        assertThat(c.slowdownOf(0)).isEqualTo(1.0);
        assertThat(c.slowdownOf(999)).isEqualTo(20.0);
        assertThat(c.rttMicrosOf(0)).as("the fastest device is the farthest").isEqualTo(50_000);
        assertThat(c.rttMicrosOf(999)).isEqualTo(5_000);
        assertThat(c.failures().errorRate("lenet", "2.0.0")).isEqualTo(0.5);
        assertThat(c.failures().errorRate("resnet", "3")).as("a bad version without a rate always fails").isEqualTo(1.0);
        assertThat(c.failures().errorRate("lenet", "1.0.0")).isZero();
        assertThat(c.connections()).as("one per 100 devices by default").isEqualTo(10);
        assertThat(c.telemetryDevices()).isEqualTo(1000);
        assertThat(c.latency().referenceGflops()).as("measured").isEqualTo(4.0);
        assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/sim"));
        assertThat(c.deviceName(7)).isEqualTo("sim-0007");
        assertThat(c.statusInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.duration()).isNull();
    }

    @Test
    void eachDeviceGetsAnAgentConfigOfItsOwnWithItsSlowdown() {
        SimulatorConfig c = parse("--controller", "http://ctl:8080", "--bootstrap-token", "ctb_x", "--devices", "3",
                "--slowdown-spread", "2..6", "--labels", "sim=true,zone=a", "--telemetry-interval", "1s");
        var a = c.agentConfig(2);
        assertThat(a.name()).isEqualTo("sim-0002");
        assertThat(a.emulateSlowdown()).isEqualTo(6.0);
        assertThat(a.labels()).isEqualTo(Map.of("sim", "true", "zone", "a"));
        assertThat(a.dataDir()).isEqualTo(Path.of("./sim-data/devices/sim-0002"));
        assertThat(a.telemetryInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(a.bootstrapToken()).isEqualTo("ctb_x");
    }

    @Test
    void badOptionsAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> parse("--devices", "3")).hasMessageStartingWith("--controller: required");
        assertThatThrownBy(() -> parse("--controller", "http://c", "--devices", "0"))
                .hasMessage("--devices: expected at least 1, got 0");
        assertThatThrownBy(() -> parse("--controller", "http://c", "--devices", "many"))
                .hasMessage("--devices: expected an integer, got 'many'");
        assertThatThrownBy(() -> parse("--controller", "http://c", "--slowdown-spread", "0.5..2"))
                .hasMessageStartingWith("--slowdown-spread: expected factors of at least 1");
        assertThatThrownBy(() -> parse("--controller", "http://c", "--slowdown-spread", "20..1"))
                .hasMessage("--slowdown-spread: expected a number or a range such as 1..20, got '20..1'");
        assertThatThrownBy(() -> parse("--controller", "http://c", "--bad-version", "lenet=0.5"))
                .hasMessageStartingWith("--bad-version: expected MODEL:VERSION=RATE");
        assertThatThrownBy(() -> parse("--controller", "http://c", "--bad-version", "lenet:2=1.5"))
                .hasMessage("--bad-version lenet:2: expected a rate from 0 to 1, got 1.5");
        assertThatThrownBy(() -> parse("--controller", "http://c", "--bad-version", "lenet:2=half"))
                .hasMessage("--bad-version lenet:2: expected a rate from 0 to 1, got 'half'");
        assertThatThrownBy(() -> parse("--controller", "http://c", "--connections", "5", "--devices", "2"))
                .hasMessageStartingWith("--connections: expected 1 to 2");
        assertThatThrownBy(() -> parse("--controller", "http://c", "--colour", "red"))
                .hasMessageStartingWith("unknown option --colour");
        assertThatThrownBy(() -> parse("--controller", "http://c", "--rate")).hasMessage("option --rate needs a value");
        assertThatThrownBy(() -> parse("--controller", "http://c", "--duration", "-5s"))
                .hasMessageStartingWith("--duration: expected a positive duration");
    }
}
