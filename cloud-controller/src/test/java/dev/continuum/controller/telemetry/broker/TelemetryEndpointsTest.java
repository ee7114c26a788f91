package dev.continuum.controller.telemetry.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The embedded broker's URI as devices are told it when no advertised URI is configured. */
class TelemetryEndpointsTest {
    private static Supplier<String> name(String n, AtomicInteger lookups) {
        return () -> {
            lookups.incrementAndGet();
            return n;
        };
    }

    @Test
    void aBrokerBoundToOneAddressIsAdvertisedAtThatAddressWithoutLookingUpTheHostName() {
        AtomicInteger lookups = new AtomicInteger();
        assertThat(TelemetryEndpoints.embeddedUri("127.0.0.1", 1883, name("edge-lab", lookups)))
                .isEqualTo("tcp://127.0.0.1:1883");
        assertThat(TelemetryEndpoints.embeddedUri("10.0.0.7", 2883, name("edge-lab", lookups)))
                .isEqualTo("tcp://10.0.0.7:2883");
        assertThat(TelemetryEndpoints.embeddedUri("::1", 1883, name("edge-lab", lookups)))
                .isEqualTo("tcp://[::1]:1883");
        assertThat(TelemetryEndpoints.embeddedUri("[::1]", 1883, name("edge-lab", lookups)))
                .as("an address configured in brackets keeps one pair").isEqualTo("tcp://[::1]:1883");
        assertThat(lookups).hasValue(0);
    }

    @Test
    void aBrokerBoundToEveryAddressIsAdvertisedUnderTheHostName() {
        AtomicInteger lookups = new AtomicInteger();
        assertThat(TelemetryEndpoints.embeddedUri("0.0.0.0", 1883, name("edge-lab", lookups)))
                .isEqualTo("tcp://edge-lab:1883");
        assertThat(TelemetryEndpoints.embeddedUri("::", 1884, name("edge-lab", lookups)))
                .isEqualTo("tcp://edge-lab:1884");
        assertThat(lookups).hasValue(2);
    }
}
