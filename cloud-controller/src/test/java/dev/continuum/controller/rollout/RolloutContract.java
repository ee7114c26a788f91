package dev.continuum.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.continuum.controller.support.Api;
import dev.continuum.controller.support.Onnx;
import dev.continuum.controller.support.TestData;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import dev.continuum.controller.placement.PlacementPreference;
import dev.continuum.controller.rollout.persistence.RolloutStore;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rollouts API over HTTP; run against each datastore by its subclasses. Devices here never connect, so
 * the reconciler tells them at once (offline devices catch up later) and each rollout then bakes for its
 * default ten minutes: it stays RUNNING for as long as a test needs.
 */
abstract class RolloutContract {
    static final String ROLLOUTS = "/api/v1/rollouts";

    @Inject
    TestData data;

    @Inject
    RolloutStore store;

    String deployer;
    String viewer;

    @BeforeEach
    void reset() {
        data.reset();
        deployer = Api.token("deployer");
        viewer = Api.token("viewer");
        Api.publish(deployer, Onnx.reshape("det-1")).put("/api/v1/models/det/versions/1").then().statusCode(201);
        Api.publish(deployer, Onnx.reshape("det-2")).put("/api/v1/models/det/versions/2").then().statusCode(201);
        Api.admin().contentType(ContentType.JSON).body(Map.of("version", "2"))
                .put("/api/v1/models/det/aliases/production").then().statusCode(201);
        for (String id : List.of("eu-1", "eu-2", "us-1")) {
            Api.admin().contentType(ContentType.JSON).body(Map.of("id", id, "name", id,
                    "labels", Map.of("region", id.substring(0, 2)))).post("/api/v1/devices").then().statusCode(201);
        }
    }

    private RequestSpecification deploy() {
        return Api.as(deployer).contentType(ContentType.JSON);
    }

    private static Map<String, Object> spec(Object... overrides) {
        Map<String, Object> body = new HashMap<>(Map.of("model", "det", "version", "2", "selector", "region=eu",
                "budgetMillis", 50));
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                body.remove((String) overrides[i]);
            } else {
                body.put((String) overrides[i], overrides[i + 1]);
            }
        }
        return body;
    }

    private String create(Map<String, Object> body) {
        return deploy().body(body).post(ROLLOUTS).then().statusCode(201).extract().path("id");
    }

    @Test
    void onlyTheNewestCompletedRolloutOfAModelAndAnOverlappingSelectorAnswersForLateDevices() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        stored("ro-a", "det", "zone=a", RolloutState.COMPLETED, t0);
        stored("ro-b", "det", "zone=a,tier=gold", RolloutState.COMPLETED, t0.plusSeconds(1)); // may overlap: supersedes a
        stored("ro-c", "det", "zone=b", RolloutState.COMPLETED, t0.plusSeconds(2));
        stored("ro-d", "det", "zone in (b,c)", RolloutState.ROLLED_BACK, t0.plusSeconds(3)); // leaves c standing
        stored("ro-e", "other", "zone=a", RolloutState.COMPLETED, t0.plusSeconds(4)); // another model
        stored("ro-f", "det", "zone=c", RolloutState.COMPLETED, t0.plusSeconds(5));
        stored("ro-g", "det", "zone=c", RolloutState.PAUSED, t0.plusSeconds(6)); // supersedes f
        assertThat(store.completedCurrent()).containsExactly("ro-b", "ro-c", "ro-e");
    }

    private void stored(String id, String model, String selector, RolloutState state, Instant at) {
        ModelCatalog any = new ModelCatalog() {
            @Override
            public Optional<String> aliasTarget(String m, String alias) {
                return Optional.empty();
            }

            @Override
            public boolean versionExists(String m, String version) {
                return true;
            }
        };
        Rollout r = new RolloutCommands(any).create(id, new RolloutSpec(model, "2", null, selector, 50.0,
                PlacementPreference.EDGE_FIRST, Harness.strategy("100%", Duration.ZERO, 0, 10)), "test", List.of(), at);
        store.insert(state == RolloutState.RUNNING ? r : r.withState(state, "test", at));
    }

    @Test
    void aRolloutIsCreatedWithDefaultsAndReadBack() {
        String id = deploy().body(spec("waves", List.of("50%", 2), "gates", Map.of("minRequests", 20)))
                .post(ROLLOUTS).then().statusCode(201)
                .header("Location", containsString(ROLLOUTS + "/"))
                .body("id", notNullValue()).body("state", equalTo("RUNNING"))
                .body("model", equalTo("det")).body("version", equalTo("2")).body("alias", nullValue())
                .body("preference", equalTo("edge-first"))
                .body("strategy.waves", equalTo(List.of("50%", "2 devices")))
                .body("strategy.bakeSeconds", equalTo(600.0f))
                .body("strategy.gates.minRequests", equalTo(20))
                .body("strategy.gates.maxErrorRate", equalTo(0.01f))
                .body("waves", hasSize(2)).body("waves[0].index", equalTo(0))
                .body("waves[0].size", equalTo("50%")).body("waves[1].state", equalTo("PENDING"))
                .body("stateReason", equalTo("created by deployer-test"))
                .extract().path("id");
        Api.as(viewer).get(ROLLOUTS + "/" + id).then().statusCode(200).body("id", equalTo(id))
                .body("waves.state", everyItem(notNullValue()))
                .body("createdBy", equalTo("deployer-test"));
        Api.as(viewer).get(ROLLOUTS + "/ro-nope").then().statusCode(404).contentType("application/problem+json")
                .body("field", equalTo("id"));
    }

    @Test
    void creationIsValidatedNamingTheField() {
        assertInvalid(spec("waves", List.of("10%", "5%")), "waves[1]");
        assertInvalid(spec("waves", List.of("10%", "lots")), "waves[1]");
        assertInvalid(spec("waves", List.of("150%")), "waves[0]");
        assertInvalid(spec("waves", List.of()), "waves");
        assertInvalid(spec("budgetMillis", null), "budgetMillis");
        assertInvalid(spec("budgetMillis", -5), "budgetMillis");
        assertInvalid(spec("budgetMillis", "fast"), "budgetMillis");
        assertInvalid(spec("gates", Map.of("maxErrorRate", 2)), "gates.maxErrorRate");
        assertInvalid(spec("gates", Map.of("minRequests", -1)), "gates.minRequests");
        assertInvalid(spec("bakeSeconds", -1), "bakeSeconds");
        assertInvalid(spec("progressDeadlineSeconds", 0), "progressDeadlineSeconds");
        assertInvalid(spec("maxInFlight", 0), "maxInFlight");
        assertInvalid(spec("preference", "sideways"), "preference");
        assertInvalid(spec("selector", null), "selector");
        assertInvalid(spec("selector", "region in (eu"), "selector");
        assertInvalid(spec("alias", "production"), "version");
        assertInvalid(spec("version", null), "version");
        assertInvalid(spec("colour", "blue"), "colour");
        assertInvalid(spec("model", "no spaces"), "model");
    }

    @Test
    void unknownModelsVersionsAndAliasesAre404AndAnAliasIsResolvedAtCreation() {
        deploy().body(spec("model", "nope")).post(ROLLOUTS).then().statusCode(404)
                .contentType("application/problem+json").body("field", equalTo("model"));
        deploy().body(spec("version", "9")).post(ROLLOUTS).then().statusCode(404).body("field", equalTo("version"));
        deploy().body(spec("version", null, "alias", "staging")).post(ROLLOUTS).then().statusCode(404)
                .body("field", equalTo("alias"));
        deploy().body(spec("version", null, "alias", "production")).post(ROLLOUTS).then().statusCode(201)
                .body("version", equalTo("2")).body("alias", equalTo("production"));
    }

    @Test
    void anOverlappingActiveRolloutIsAConflictAndADisjointOneIsNot() {
        String first = create(spec());
        deploy().body(spec("selector", "region in (eu,us)")).post(ROLLOUTS).then().statusCode(409)
                .contentType("application/problem+json").body("field", equalTo("selector"))
                .body("rolloutId", equalTo(first)).body("detail", containsString(first));
        create(spec("selector", "region=us"));
        Api.as(deployer).post(ROLLOUTS + "/" + first + "/abort").then().statusCode(200).body("state", equalTo("ABORTED"));
        create(spec("version", "1"));
    }

    @Test
    void commandsFollowTheStateRulesAndNameTheStateWhenRefused() {
        String id = create(spec());
        Api.as(deployer).post(ROLLOUTS + "/" + id + "/resume").then().statusCode(409)
                .contentType("application/problem+json").body("field", equalTo("state"))
                .body("currentState", equalTo("RUNNING")).body("detail", containsString("it is RUNNING"));
        Api.as(deployer).post(ROLLOUTS + "/" + id + "/pause").then().statusCode(200)
                .body("state", equalTo("PAUSED")).body("stateReason", equalTo("paused by deployer-test"));
        Api.as(deployer).post(ROLLOUTS + "/" + id + "/pause").then().statusCode(409)
                .body("detail", containsString("it is PAUSED"));
        Api.as(deployer).post(ROLLOUTS + "/" + id + "/resume").then().statusCode(200).body("state", equalTo("RUNNING"));
        Api.as(deployer).post(ROLLOUTS + "/" + id + "/abort").then().statusCode(200).body("state", equalTo("ABORTED"))
                .body("waves[1].state", equalTo("CANCELLED"));
        Api.as(deployer).post(ROLLOUTS + "/" + id + "/resume").then().statusCode(409)
                .body("detail", containsString("it is ABORTED"));
        Api.as(deployer).post(ROLLOUTS + "/" + id + "/rollback").then().statusCode(200)
                .body("state", equalTo("ROLLED_BACK"));
        Api.as(deployer).post(ROLLOUTS + "/" + id + "/rollback").then().statusCode(409)
                .body("currentState", equalTo("ROLLED_BACK"));
        Api.as(deployer).post(ROLLOUTS + "/ro-nope/pause").then().statusCode(404).body("field", equalTo("id"));
        Api.as(viewer).post(ROLLOUTS + "/" + id + "/pause").then().statusCode(403);
        Api.as(viewer).contentType(ContentType.JSON).body(spec()).post(ROLLOUTS).then().statusCode(403);
    }

    @Test
    void aVersionInAnActiveRolloutCannotBeDeleted() {
        String id = create(spec());
        String operator = Api.token("operator");
        Api.as(operator).delete("/api/v1/models/det/aliases/production").then().statusCode(204);
        Api.as(operator).delete("/api/v1/models/det/versions/2").then().statusCode(409)
                .contentType("application/problem+json").body("field", equalTo("version"))
                .body("detail", containsString(id));
        Api.as(deployer).post(ROLLOUTS + "/" + id + "/abort").then().statusCode(200);
        Api.as(operator).delete("/api/v1/models/det/versions/2").then().statusCode(204);
    }

    @Test
    void listsArePagedNewestFirstAndFilteredByModelAndState() {
        String a = create(spec());
        String b = create(spec("selector", "region=us"));
        Api.as(deployer).post(ROLLOUTS + "/" + a + "/abort").then().statusCode(200);
        String cursor = Api.as(viewer).queryParam("limit", 1).get(ROLLOUTS).then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].id", equalTo(b)).body("items[0].devices", nullValue())
                .extract().path("nextCursor");
        Api.as(viewer).queryParam("limit", 1).queryParam("cursor", cursor).get(ROLLOUTS).then()
                .body("items[0].id", equalTo(a)).body("nextCursor", nullValue());
        Api.as(viewer).queryParam("state", "aborted").get(ROLLOUTS).then().body("items.id", equalTo(List.of(a)));
        Api.as(viewer).queryParam("model", "other").get(ROLLOUTS).then().body("items", hasSize(0));
        Api.as(viewer).queryParam("state", "stuck").get(ROLLOUTS).then().statusCode(400).body("field", equalTo("state"));
        Api.as(viewer).queryParam("cursor", "garbage!").get(ROLLOUTS).then().statusCode(400)
                .body("field", equalTo("cursor"));
    }

    private void assertInvalid(Map<String, Object> body, String field) {
        deploy().body(body).post(ROLLOUTS).then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo(field));
    }
}
