package dev.continuum.controller.fleet;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.continuum.controller.support.Api;
import dev.continuum.controller.support.TestData;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The device fleet over HTTP; run against each datastore by its subclasses. */
abstract class FleetContract {
    static final String DEVICES = "/api/v1/devices";

    @Inject
    TestData data;

    String operator;
    String viewer;

    @BeforeEach
    void reset() {
        data.reset();
        operator = Api.token("operator");
        viewer = Api.token("viewer");
    }

    private RequestSpecification op() {
        return Api.as(operator).contentType(ContentType.JSON);
    }

    private void device(String id, Map<String, String> labels) {
        op().body(Map.of("id", id, "name", id, "labels", labels)).post(DEVICES).then().statusCode(201);
    }

    @Test
    void aDeviceIsRegisteredAndReadBackWithItsEtag() {
        op().body(Map.of("id", "cam-01", "name", "Camera 1", "labels", Map.of("region", "eu"),
                        "capabilities", Map.of("cores", 4, "memoryBytes", 4_000_000_000L, "architecture", "aarch64",
                                "engineGflops", 12.5)))
                .post(DEVICES).then().statusCode(201)
                .header("Location", containsString("/api/v1/devices/cam-01"))
                .header("ETag", notNullValue())
                .body("capabilities.cores", equalTo(4)).body("capabilities.architecture", equalTo("aarch64"))
                .body("status.installedModels.size()", equalTo(0));
        Api.as(viewer).get(DEVICES + "/cam-01").then().statusCode(200)
                .body("name", equalTo("Camera 1")).body("labels.region", equalTo("eu"))
                .body("capabilities.engineGflops", equalTo(12.5f));
        op().body(Map.of("id", "cam-01", "name", "again")).post(DEVICES).then().statusCode(409)
                .contentType("application/problem+json").body("field", equalTo("id"));
        Api.as(viewer).get(DEVICES + "/nope").then().statusCode(404).body("field", equalTo("id"));
        op().body(Map.of("name", "generated")).post(DEVICES).then().statusCode(201).body("id", notNullValue());
        op().body(Map.of("id", "cam-02")).post(DEVICES).then().statusCode(400).body("field", equalTo("name"));
        op().body(Map.of("name", "n".repeat(201))).post(DEVICES).then().statusCode(400).body("field", equalTo("name"));
    }

    @Test
    void labelsArePatchedWithMergeSemanticsGuardedByIfMatch() {
        device("gw-1", Map.of("region", "eu", "tier", "gold"));
        String etag = Api.as(viewer).get(DEVICES + "/gw-1").then().extract().header("ETag");
        String next = op().header("If-Match", etag).body("{\"labels\": {\"tier\": null, \"rack\": \"r7\"}}")
                .patch(DEVICES + "/gw-1").then().statusCode(200)
                .body("labels.tier", nullValue()).body("labels.rack", equalTo("r7")).body("labels.region", equalTo("eu"))
                .extract().header("ETag");
        op().header("If-Match", etag).body("{\"name\": \"late\"}").patch(DEVICES + "/gw-1").then().statusCode(412)
                .contentType("application/problem+json").body("field", equalTo("If-Match"))
                .body("currentEtag", equalTo(next));
        op().body("{\"status\": {\"agentVersion\": \"9\"}}").patch(DEVICES + "/gw-1").then().statusCode(400)
                .body("field", equalTo("status"));
        op().body("{\"capabilities\": {\"cores\": 0}}").patch(DEVICES + "/gw-1").then().statusCode(400)
                .body("field", equalTo("capabilities.cores"));
        op().body("{\"name\": 7}").patch(DEVICES + "/gw-1").then().statusCode(400).body("field", equalTo("name"));
        op().body("{\"name\": \" \"}").patch(DEVICES + "/gw-1").then().statusCode(400).body("field", equalTo("name"));
        Api.as(viewer).contentType(ContentType.JSON).body("{\"name\": \"x\"}").patch(DEVICES + "/gw-1").then()
                .statusCode(403);
    }

    @Test
    void devicesAreSelectedByKubernetesStyleLabelSelectors() {
        device("a", Map.of("region", "eu", "tier", "gold"));
        device("b", Map.of("region", "eu", "tier", "silver", "decommissioned", "true"));
        device("c", Map.of("region", "eu", "tier", "silver"));
        device("d", Map.of("region", "us", "tier", "gold", "gpu", "a100"));
        device("e", Map.of("region", "eu", "tier", "bronze"));
        device("f", Map.of());

        assertSelects("region=eu,tier in (gold,silver),!decommissioned", "a", "c");
        assertSelects("region!=eu", "d", "f");
        assertSelects("tier notin (gold, silver)", "e", "f");
        assertSelects("gpu", "d");
        assertSelects("region==us", "d");
        assertSelects("", "a", "b", "c", "d", "e", "f");

        String cursor = Api.as(viewer).queryParam("selector", "region=eu").queryParam("limit", 2).get(DEVICES).then()
                .body("items.id", contains("a", "b")).extract().path("nextCursor");
        Api.as(viewer).queryParam("selector", "region=eu").queryParam("limit", 2).queryParam("cursor", cursor)
                .get(DEVICES).then().body("items.id", contains("c", "e")).body("nextCursor", nullValue());
    }

    @Test
    void aMalformedSelectorIsRefusedNamingTheSelectorAndThePosition() {
        Api.as(viewer).queryParam("selector", "tier in (gold").get(DEVICES).then().statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("selector")).body("detail", containsString("position"));
    }

    @Test
    void aDeviceIsDeleted() {
        device("old", Map.of("region", "eu"));
        op().delete(DEVICES + "/old").then().statusCode(204);
        Api.as(viewer).get(DEVICES + "/old").then().statusCode(404);
        Api.as(viewer).queryParam("selector", "region=eu").get(DEVICES).then().body("items.size()", equalTo(0));
    }

    private void assertSelects(String selector, String... ids) {
        Api.as(viewer).queryParam("selector", selector).get(DEVICES).then().statusCode(200)
                .body("items.id", contains(ids));
    }
}
