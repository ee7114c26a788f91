package dev.continuum.controller.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicsTest {
    @Test
    void aDevicesTopicsParseToItsIdAndKind() {
        assertThat(Topics.parse("continuum/v1/devices/dev-1/telemetry"))
                .contains(new Topics.DeviceTopic("dev-1", Topics.Kind.TELEMETRY));
        assertThat(Topics.parse("continuum/v1/devices/dev-1/status"))
                .contains(new Topics.DeviceTopic("dev-1", Topics.Kind.STATUS));
        assertThat(Topics.of("dev-1", Topics.Kind.TELEMETRY)).isEqualTo("continuum/v1/devices/dev-1/telemetry");
        assertThat(Topics.shared("g", Topics.ALL_TELEMETRY)).isEqualTo("$share/g/continuum/v1/devices/+/telemetry");
    }

    @Test
    void anyOtherTopicIsNotADevicesTopic() {
        assertThat(Topics.parse("continuum/v1/devices/dev-1/other")).isEmpty();
        assertThat(Topics.parse("continuum/v1/devices//telemetry")).isEmpty();
        assertThat(Topics.parse("continuum/v1/devices/a/b/telemetry")).isEmpty();
        assertThat(Topics.parse("continuum/v1/devices/+/telemetry")).isEmpty();
        assertThat(Topics.parse("elsewhere/dev-1/telemetry")).isEmpty();
        assertThat(Topics.parse(null)).isEmpty();
    }
}
