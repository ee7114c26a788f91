package dev.continuum.controller.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.continuum.controller.support.Api;
import dev.continuum.controller.support.TestData;
import dev.continuum.controller.telemetry.ingest.TelemetryIngest;
import dev.continuum.controller.telemetry.mosquitto.MosquittoFiles;
import dev.continuum.controller.telemetry.mosquitto.MosquittoPasswords;
import dev.continuum.proto.v1.EnrolResponse;
import dev.continuum.proto.v1.Placement;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.hibernate.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Mosquitto files the controller generates, proven on a real Mosquitto: the controller connects
 * with its user and shared subscription, devices connect with their credentials (the {@code $7$}
 * hashes mosquitto checks), and a device can publish its own telemetry but not another's.
 */
@QuarkusTest
@TestProfile(MosquittoProcessProfile.class)
@ExtendWith(MosquittoBinary.class)
class MosquittoFilesTest {
    @TestHTTPResource("/")
    URL controller;

    @Inject
    TestData data;

    @Inject
    TelemetryIngest ingest;

    @Inject
    TelemetryQueries queries;

    @Inject
    Session db;

    TestDevices devices;

    @BeforeEach
    void reset() {
        data.reset();
        devices = new TestDevices(controller);
    }

    @AfterEach
    void close() {
        devices.close();
    }

    ExtractableResponse<Response> generate(Map<String, Object> body) {
        return Api.admin().contentType(ContentType.JSON).body(body).post("/api/v1/mqtt/config").then().statusCode(200)
                .extract();
    }

    MosquittoFiles files(ExtractableResponse<Response> r) {
        return new MosquittoFiles(r.path("files.passwd"), r.path("files.acl"), r.path("files.'mosquitto.conf'"));
    }

    long requests(String deviceId, Instant since) {
        return queries.device(deviceId, since, Instant.now()).requests();
    }

    @Test
    void aDevicePublishesItsOwnTelemetryButNotAnothersThroughMosquittoConfiguredFromTheGeneratedFiles() throws Exception {
        await("the controller connects as its user, with its shared subscription").atMost(Duration.ofSeconds(30))
                .until(ingest::ready);
        EnrolResponse a = devices.enrol("a");
        EnrolResponse b = devices.enrol("b");
        var r = generate(Map.of("controllerPassword", MosquittoProcess.controllerPassword,
                "installDir", MosquittoProcess.dir.toString(), "port", MosquittoProcess.port));
        assertThat(r.<Integer>path("devices")).isEqualTo(2);
        assertThat(r.<List<String>>path("devicesWithoutPassword")).isEmpty();
        MosquittoFiles f = files(r);
        assertThat(f.passwd()).contains(a.getDeviceId() + ":$7$101$").contains(b.getDeviceId() + ":$7$101$")
                .contains("continuum-controller:$7$");
        assertThat(f.conf()).contains("password_file " + MosquittoProcess.dir + "/passwd")
                .contains("listener " + MosquittoProcess.port);
        MosquittoProcess.write(f);
        MosquittoProcess.reload();

        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            DevicePublisher.connect(MosquittoProcess.uri(), a.getDeviceId(), a.getCredential()).close();
            return true;
        });
        Instant at = Instant.now().minusSeconds(10);
        try (DevicePublisher p = DevicePublisher.connect(MosquittoProcess.uri(), a.getDeviceId(), a.getCredential())) {
            p.telemetry(b.getDeviceId(), Batches.of(b.getDeviceId(), 1, at).model("m", "1", Placement.EDGE, 40, 0, 9).bytes());
            p.telemetry(a.getDeviceId(), Batches.of(a.getDeviceId(), 1, at).model("m", "1", Placement.EDGE, 2, 0, 9).bytes());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> requests(a.getDeviceId(), at.minusSeconds(60)) == 2);
        assertThat(requests(b.getDeviceId(), at.minusSeconds(60))).isZero();
        assertThat(MosquittoProcess.log()).contains("Denied PUBLISH from")
                .contains("continuum/v1/devices/" + b.getDeviceId() + "/telemetry");

        assertThatThrownBy(() -> DevicePublisher.connect(MosquittoProcess.uri(), a.getDeviceId(), "ctd_wrong"))
                .isInstanceOf(MqttSecurityException.class);
        assertThatThrownBy(() -> DevicePublisher.connect(MosquittoProcess.uri(), b.getDeviceId(), a.getCredential()))
                .isInstanceOf(MqttSecurityException.class);
    }

    @Test
    void devicesEnrolledBeforePasswordHashesWereKeptAreListedAndLeftOut() {
        EnrolResponse kept = devices.enrol("kept");
        EnrolResponse old = devices.enrol("old");
        forgetMqttHash(old.getDeviceId());
        var r = generate(Map.of()); // the controller password comes from continuum.mqtt.password
        assertThat(r.<List<String>>path("devicesWithoutPassword")).containsExactly(old.getDeviceId());
        MosquittoFiles f = files(r);
        assertThat(f.passwd()).contains(kept.getDeviceId()).doesNotContain(old.getDeviceId());
        String controllerHash = f.passwd().lines().filter(l -> l.startsWith("continuum-controller:")).findFirst()
                .orElseThrow().substring("continuum-controller:".length());
        assertThat(MosquittoPasswords.verify(MosquittoProcess.controllerPassword, controllerHash)).isTrue();
        assertThat(f.acl()).contains("pattern write continuum/v1/devices/%u/telemetry")
                .contains("topic read $share/continuum/continuum/v1/devices/+/telemetry");
    }

    @Test
    void theConfigRequestIsValidatedAndOnlyForAdmins() {
        Api.admin().contentType(ContentType.JSON).body(Map.of("installDir", "etc/mosquitto")).post("/api/v1/mqtt/config")
                .then().statusCode(400).contentType("application/problem+json")
                .body("field", org.hamcrest.Matchers.equalTo("installDir"));
        Api.admin().contentType(ContentType.JSON).body(Map.of("port", 0)).post("/api/v1/mqtt/config")
                .then().statusCode(400).body("field", org.hamcrest.Matchers.equalTo("port"));
        Api.admin().contentType(ContentType.JSON).body(Map.of("controllerUsername", "a:b")).post("/api/v1/mqtt/config")
                .then().statusCode(400).body("field", org.hamcrest.Matchers.equalTo("controllerUsername"));
        Api.as(Api.token("operator")).contentType(ContentType.JSON).body(Map.of()).post("/api/v1/mqtt/config")
                .then().statusCode(403).contentType("application/problem+json");
    }

    @Transactional
    void forgetMqttHash(String deviceId) {
        db.createNativeMutationQuery("update device_credentials set mqtt_password_hash = null where device_id = :d")
                .setParameter("d", deviceId).executeUpdate();
    }
}
