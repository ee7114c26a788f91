package dev.continuum.controller.auth;

import static dev.continuum.controller.support.Api.admin;
import static dev.continuum.controller.support.Api.publish;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.continuum.controller.support.Api;
import dev.continuum.controller.support.Onnx;
import dev.continuum.controller.support.TestData;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tokens, roles and their enforcement over HTTP; run against each datastore by its subclasses. */
abstract class SecurityContract {
    @Inject
    TestData data;

    @BeforeEach
    void reset() {
        data.reset();
    }

    @Test
    void aCallWithoutATokenIsRefusedWith401ProblemJson() {
        given().get("/api/v1/models").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", equalTo("urn:continuum:problem:unauthenticated"))
                .body("field", equalTo("Authorization"));
        given().header("Authorization", "Basic Zm9vOmJhcg==").get("/api/v1/models").then().statusCode(401);
        Api.as("ctn_not-a-real-token").get("/api/v1/models").then().statusCode(401)
                .body("detail", containsString("not known"));
    }

    @Test
    void aViewerMayReadButNotPublish() {
        String viewer = Api.token("viewer");
        Api.as(viewer).get("/api/v1/models").then().statusCode(200);
        publish(viewer, Onnx.reshape("v")).put("/api/v1/models/m/versions/1").then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:continuum:problem:forbidden"))
                .body("role", equalTo("viewer")).body("requiredRole", equalTo("deployer"));
        admin().get("/api/v1/models/m").then().statusCode(404);
    }

    @Test
    void aDeployerPublishesAndMovesAliasesButMayNotDeleteVersionsOrManageDevices() {
        String deployer = Api.token("deployer");
        publish(deployer, Onnx.reshape("d")).put("/api/v1/models/m/versions/1").then().statusCode(201);
        Api.as(deployer).contentType(ContentType.JSON).body(Map.of("version", "1"))
                .put("/api/v1/models/m/aliases/canary").then().statusCode(201);
        Api.as(deployer).delete("/api/v1/models/m/versions/1").then().statusCode(403);
        Api.as(deployer).contentType(ContentType.JSON).body(Map.of("name", "d"))
                .post("/api/v1/devices").then().statusCode(403);
        Api.as(deployer).post("/api/v1/bootstrap-tokens").then().statusCode(403);
    }

    @Test
    void onlyAnAdminManagesApiTokens() {
        String operator = Api.token("operator");
        Api.as(operator).contentType(ContentType.JSON).body(Map.of("name", "x", "role", "viewer"))
                .post("/api/v1/tokens").then().statusCode(403).body("requiredRole", equalTo("admin"));
        Api.as(operator).get("/api/v1/tokens").then().statusCode(403);
    }

    @Test
    void tokensAreCreatedStoredHashedListedWithoutSecretsAndRevoked() {
        var created = admin().contentType(ContentType.JSON).body(Map.of("name", "ci-main", "role", "deployer"))
                .post("/api/v1/tokens").then().statusCode(201)
                .body("token", startsWith("ctn_")).body("role", equalTo("deployer"))
                .extract();
        String id = created.path("id");
        String secret = created.path("token");
        assertThat(data.tokenHashes()).doesNotContain(secret).hasSizeGreaterThanOrEqualTo(2);

        Api.as(secret).get("/api/v1/whoami").then().statusCode(200)
                .body("name", equalTo("ci-main")).body("role", equalTo("deployer")).body("tokenId", equalTo(id));
        admin().get("/api/v1/tokens").then().statusCode(200)
                .body("items.id", hasItem(id)).body("items.token", not(hasItem(notNullValue())));

        admin().delete("/api/v1/tokens/" + id).then().statusCode(200).body("revokedAt", notNullValue());
        Api.as(secret).get("/api/v1/whoami").then().statusCode(401).body("detail", containsString("revoked"));
        admin().delete("/api/v1/tokens/tok_nope").then().statusCode(404).body("field", equalTo("id"));
    }

    @Test
    void theLastAdminTokenCannotBeRevoked() {
        String adminId = admin().get("/api/v1/whoami").then().extract().path("tokenId");
        admin().delete("/api/v1/tokens/" + adminId).then().statusCode(409).body("field", equalTo("id"));
    }

    @Test
    void tokenRequestsNameTheBadField() {
        admin().contentType(ContentType.JSON).body(Map.of("name", "x", "role", "superuser"))
                .post("/api/v1/tokens").then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("role")).body("detail", containsString("viewer"));
        admin().contentType(ContentType.JSON).body(Map.of("role", "viewer"))
                .post("/api/v1/tokens").then().statusCode(400).body("field", equalTo("name"));
        admin().contentType(ContentType.JSON).body(Map.of("name", "x", "role", "viewer", "colour", "red"))
                .post("/api/v1/tokens").then().statusCode(400).body("field", equalTo("colour"));
        admin().contentType(ContentType.JSON).body("{not json")
                .post("/api/v1/tokens").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void anOperatorCreatesBootstrapTokensForDeviceEnrolment() {
        String operator = Api.token("operator");
        Api.as(operator).post("/api/v1/bootstrap-tokens").then().statusCode(201)
                .body("token", startsWith("ctb_")).body("expiresAt", notNullValue()).body("maxUses", nullValue());
        String id = Api.as(operator).contentType(ContentType.JSON)
                .body(Map.of("name", "eu-batch", "maxUses", 10, "labels", Map.of("region", "eu")))
                .post("/api/v1/bootstrap-tokens").then().statusCode(201)
                .body("maxUses", equalTo(10)).body("labels.region", equalTo("eu")).body("uses", equalTo(0))
                .extract().path("id");
        Api.as(operator).get("/api/v1/bootstrap-tokens").then().statusCode(200)
                .body("items.id", hasItem(id)).body("items.token", not(hasItem(notNullValue())));
        Api.as(operator).delete("/api/v1/bootstrap-tokens/" + id).then().statusCode(200)
                .body("revokedAt", notNullValue());
        Api.as(operator).contentType(ContentType.JSON).body(Map.of("maxUses", 0))
                .post("/api/v1/bootstrap-tokens").then().statusCode(400).body("field", equalTo("maxUses"));
        Api.as(operator).contentType(ContentType.JSON).body(Map.of("expiresAt", "2001-01-01T00:00:00Z"))
                .post("/api/v1/bootstrap-tokens").then().statusCode(400).body("field", equalTo("expiresAt"));
        Api.as(operator).contentType(ContentType.JSON).body(Map.of("name", "n".repeat(201)))
                .post("/api/v1/bootstrap-tokens").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("name"));
        Api.as(operator).contentType(ContentType.JSON).body("null")
                .post("/api/v1/bootstrap-tokens").then().statusCode(201).body("token", startsWith("ctb_"));
    }

    @Test
    void healthMetricsAndOpenApiNeedNoToken() {
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/models/{name}/versions/{version}"));
    }
}
