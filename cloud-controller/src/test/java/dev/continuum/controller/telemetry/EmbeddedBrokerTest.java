package dev.continuum.controller.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.continuum.controller.support.Api;
import dev.continuum.controller.support.TestData;
import dev.continuum.controller.telemetry.Topics.Kind;
import dev.continuum.controller.telemetry.broker.EmbeddedBroker;
import dev.continuum.controller.telemetry.ingest.IngestMetrics;
import dev.continuum.controller.telemetry.ingest.IngestResult;
import dev.continuum.controller.telemetry.ingest.TelemetryIngest;
import dev.continuum.proto.v1.EnrolResponse;
import dev.continuum.proto.v1.Placement;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The broker inside the controller: devices authenticate with their credential and publish only as themselves. */
@QuarkusTest
@TestProfile(EmbeddedBrokerProfile.class)
class EmbeddedBrokerTest {
    @TestHTTPResource("/")
    URL controller;

    @Inject
    TestData data;

    @Inject
    EmbeddedBroker broker;

    @Inject
    TelemetryIngest ingest;

    @Inject
    IngestMetrics metrics;

    @Inject
    TelemetryQueries queries;

    TestDevices devices;

    @BeforeEach
    void reset() {
        data.reset();
        devices = new TestDevices(controller);
        await().atMost(Duration.ofSeconds(30)).until(ingest::ready);
    }

    @AfterEach
    void close() {
        devices.close();
    }

    String uri() {
        return "tcp://127.0.0.1:" + broker.port();
    }

    long requests(String deviceId, Instant since) {
        return queries.device(deviceId, since, Instant.now()).requests();
    }

    @Test
    void enrolmentHandsOutTheEmbeddedBrokerAndADevicePublishesThroughIt() throws Exception {
        EnrolResponse d = devices.enrol("own");
        assertThat(d.getTelemetry().getBrokerUri()).startsWith("tcp://").endsWith(":" + broker.port());
        assertThat(broker.port()).isPositive();
        Instant at = Instant.now().minusSeconds(10);
        try (DevicePublisher p = DevicePublisher.connect(uri(), d.getDeviceId(), d.getCredential())) {
            p.telemetry(d.getDeviceId(), Batches.of(d.getDeviceId(), 1, at).model("m", "1", Placement.EDGE, 3, 0, 10).bytes());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> requests(d.getDeviceId(), at.minusSeconds(60)) == 3);
    }

    @Test
    void aDevicePublishingUnderAnotherDevicesIdIsRefusedAndNeverIngested() throws Exception {
        EnrolResponse a = devices.enrol("a");
        EnrolResponse b = devices.enrol("b");
        double mismatches = metrics.count(Kind.TELEMETRY, IngestResult.DEVICE_MISMATCH);
        Instant at = Instant.now().minusSeconds(10);
        try (DevicePublisher p = DevicePublisher.connect(uri(), a.getDeviceId(), a.getCredential())) {
            p.client.setTimeToWait(2000);
            p.telemetry(b.getDeviceId(), Batches.of(b.getDeviceId(), 1, at).model("m", "1", Placement.EDGE, 50, 0, 10).bytes());
        } catch (MqttException refused) {
            // Moquette may leave the publish unacknowledged or drop the connection; either way it is not routed
        }
        // A's own batch after it: once it is in, the broker has long dealt with the forged one
        try (DevicePublisher p = DevicePublisher.connect(uri(), a.getDeviceId(), a.getCredential())) {
            p.telemetry(a.getDeviceId(), Batches.of(a.getDeviceId(), 1, at).model("m", "1", Placement.EDGE, 2, 0, 10).bytes());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> requests(a.getDeviceId(), at.minusSeconds(60)) == 2);
        assertThat(requests(b.getDeviceId(), at.minusSeconds(60))).isZero();
        assertThat(metrics.count(Kind.TELEMETRY, IngestResult.DEVICE_MISMATCH)).as("never reached the controller")
                .isEqualTo(mismatches);
    }

    @Test
    void aWrongPasswordOrAnotherDevicesCredentialCannotConnect() {
        EnrolResponse a = devices.enrol("a");
        EnrolResponse b = devices.enrol("b");
        assertThatThrownBy(() -> DevicePublisher.connect(uri(), a.getDeviceId(), "ctd_wrong"))
                .isInstanceOf(MqttSecurityException.class);
        assertThatThrownBy(() -> DevicePublisher.connect(uri(), b.getDeviceId(), a.getCredential()))
                .isInstanceOf(MqttSecurityException.class);
        assertThatThrownBy(() -> DevicePublisher.connect(uri(), "continuum-controller", a.getCredential()))
                .isInstanceOf(MqttSecurityException.class);
    }

    @Test
    void mosquittoFilesNeedTheControllersPasswordWhenNoneIsConfigured() {
        Api.admin().contentType(io.restassured.http.ContentType.JSON).body(java.util.Map.of())
                .post("/api/v1/mqtt/config").then().statusCode(400).contentType("application/problem+json")
                .body("field", org.hamcrest.Matchers.equalTo("controllerPassword"));
    }

    @Test
    void aDeviceMaySubscribeToNothing() throws Exception {
        EnrolResponse a = devices.enrol("a");
        try (DevicePublisher p = DevicePublisher.connect(uri(), a.getDeviceId(), a.getCredential())) {
            int granted;
            p.client.setTimeToWait(2000);
            try {
                granted = p.client.subscribeWithResponse(Topics.ALL_TELEMETRY, 1).getGrantedQos()[0];
            } catch (MqttException refused) {
                granted = 0x80;
            }
            assertThat(granted).as("SUBACK failure").isEqualTo(0x80);
        }
        Api.admin().get("/api/v1/devices/" + a.getDeviceId()).then().statusCode(200);
    }
}
