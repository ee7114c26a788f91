package dev.continuum.controller.registry;

import static dev.continuum.controller.support.Api.admin;
import static dev.continuum.controller.support.Api.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.continuum.controller.support.Api;
import dev.continuum.controller.support.Onnx;
import dev.continuum.controller.support.TestData;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The model registry over HTTP; run against each datastore by its subclasses. */
abstract class RegistryContract {
    static final String MODELS = "/api/v1/models";

    @Inject
    TestData data;

    String deployer;

    @BeforeEach
    void reset() {
        data.reset();
        deployer = Api.token("deployer");
    }

    @Test
    void publishingAVersionCreatesTheModelAndRecordsWhatTheEngineFound() {
        byte[] onnx = Onnx.reshape("v1");
        publish(deployer, onnx).put(MODELS + "/resnet/versions/1.0.0").then()
                .statusCode(201)
                .header("Location", containsString("/api/v1/models/resnet/versions/1.0.0"))
                .body("sha256", equalTo(Onnx.sha256(onnx)))
                .body("sizeBytes", equalTo(onnx.length))
                .body("opset", equalTo(13))
                .body("parameters", equalTo(2))
                .body("flops", notNullValue())
                .body("opTypes", contains("Reshape"))
                .body("inputs[0].name", equalTo("x"))
                .body("inputs[0].dtype", equalTo("float32"))
                .body("inputs[0].shape", contains(-1, 3, 4, 4))
                .body("inputs[0].dimNames[0]", equalTo("N"))
                .body("outputs[0].name", equalTo("y"))
                .body("outputs[0].shape", contains(-1, 48))
                .body("createdBy", equalTo("deployer-test"));

        admin().get(MODELS + "/resnet/versions/1.0.0").then().statusCode(200)
                .header("ETag", equalTo("\"" + Onnx.sha256(onnx) + "\""))
                .body("sha256", equalTo(Onnx.sha256(onnx))).body("sizeBytes", equalTo(onnx.length))
                .body("inputs", hasSize(1)).body("outputs", hasSize(1))
                .body("opset", equalTo(13)).body("parameters", equalTo(2)).body("flops", notNullValue());
        admin().get(MODELS + "/resnet").then().statusCode(200)
                .header("ETag", notNullValue())
                .body("versionCount", equalTo(1)).body("latestVersion", equalTo("1.0.0"));
    }

    @Test
    void republishingTheSameBytesIsIdempotentButDifferentBytesConflict() {
        byte[] onnx = Onnx.reshape("v1");
        publish(deployer, onnx).put(MODELS + "/m/versions/1").then().statusCode(201);
        publish(deployer, onnx).put(MODELS + "/m/versions/1").then().statusCode(200)
                .body("sha256", equalTo(Onnx.sha256(onnx)));
        publish(deployer, Onnx.reshape("other")).put(MODELS + "/m/versions/1").then().statusCode(409)
                .contentType("application/problem+json")
                .body("field", equalTo("version"))
                .body("detail", containsString("immutable"))
                .body("existingSha256", equalTo(Onnx.sha256(onnx)));
        assertThat(data.storedArtifacts()).hasSize(1);
    }

    @Test
    void listsModelsAndVersionsPageByPage() {
        for (String name : List.of("alpha", "beta", "gamma")) {
            publish(deployer, Onnx.reshape(name)).put(MODELS + "/" + name + "/versions/1").then().statusCode(201);
        }
        for (String v : List.of("2", "3")) {
            publish(deployer, Onnx.reshape("alpha" + v)).put(MODELS + "/alpha/versions/" + v).then().statusCode(201);
        }
        String cursor = admin().queryParam("limit", 2).get(MODELS).then().statusCode(200)
                .body("items.name", contains("alpha", "beta"))
                .body("items[0].versionCount", equalTo(3))
                .body("nextCursor", notNullValue()).extract().path("nextCursor");
        admin().queryParam("limit", 2).queryParam("cursor", cursor).get(MODELS).then().statusCode(200)
                .body("items.name", contains("gamma")).body("nextCursor", nullValue());

        String vCursor = admin().queryParam("limit", 2).get(MODELS + "/alpha/versions").then().statusCode(200)
                .body("items.version", contains("1", "2")).extract().path("nextCursor");
        admin().queryParam("cursor", vCursor).get(MODELS + "/alpha/versions").then().statusCode(200)
                .body("items.version", contains("3")).body("nextCursor", nullValue());

        admin().queryParam("limit", 0).get(MODELS).then().statusCode(400).body("field", equalTo("limit"));
        admin().queryParam("cursor", "%%%").get(MODELS).then().statusCode(400).body("field", equalTo("cursor"));
    }

    @Test
    void aliasesPointAtVersionsAndMoveOnlyWithTheCurrentEtag() {
        publish(deployer, Onnx.reshape("a1")).put(MODELS + "/det/versions/1").then().statusCode(201);
        publish(deployer, Onnx.reshape("a2")).put(MODELS + "/det/versions/2").then().statusCode(201);

        String etag = Api.as(deployer).contentType(ContentType.JSON).body(Map.of("version", "1"))
                .put(MODELS + "/det/aliases/production").then().statusCode(201)
                .body("alias", equalTo("production")).body("version", equalTo("1"))
                .extract().header("ETag");
        Api.as(deployer).contentType(ContentType.JSON).body(Map.of("version", "2")).header("If-Match", "\"999\"")
                .put(MODELS + "/det/aliases/production").then().statusCode(412)
                .contentType("application/problem+json").body("field", equalTo("If-Match"));
        Api.as(deployer).contentType(ContentType.JSON).body(Map.of("version", "2")).header("If-Match", etag)
                .put(MODELS + "/det/aliases/production").then().statusCode(200).body("version", equalTo("2"));
        Api.as(deployer).contentType(ContentType.JSON).body(Map.of("version", "7"))
                .put(MODELS + "/det/aliases/canary").then().statusCode(404).body("field", equalTo("version"));

        admin().get(MODELS + "/det").then().body("aliases.production", equalTo("2"));
        admin().get(MODELS + "/det/versions/2").then().body("aliases", contains("production"));
        admin().get(MODELS + "/det/aliases").then().statusCode(200).body("items.alias", contains("production"));
        admin().get(MODELS + "/det/aliases/production").then().statusCode(200).body("version", equalTo("2"));
    }

    @Test
    void aVersionAnAliasPointsAtCannotBeDeletedUntilTheAliasMoves() {
        byte[] onnx = Onnx.reshape("d1");
        publish(deployer, onnx).put(MODELS + "/cls/versions/1").then().statusCode(201);
        Api.as(deployer).contentType(ContentType.JSON).body(Map.of("version", "1"))
                .put(MODELS + "/cls/aliases/production").then().statusCode(201);

        admin().delete(MODELS + "/cls/versions/1").then().statusCode(409)
                .contentType("application/problem+json").body("field", equalTo("version"))
                .body("aliases", contains("production"));
        Api.as(deployer).delete(MODELS + "/cls/aliases/production").then().statusCode(204);
        admin().delete(MODELS + "/cls/versions/1").then().statusCode(204);
        admin().get(MODELS + "/cls/versions/1").then().statusCode(404)
                .body("type", equalTo("urn:continuum:problem:not-found")).body("field", equalTo("version"));
        assertThat(data.storedArtifacts()).as("the unreferenced artifact is removed").isEmpty();
    }

    @Test
    void deletingAModelRemovesItsVersionsAliasesAndArtifacts() {
        publish(deployer, Onnx.reshape("x1")).put(MODELS + "/gone/versions/1").then().statusCode(201);
        publish(deployer, Onnx.reshape("x2")).put(MODELS + "/gone/versions/2").then().statusCode(201);
        Api.as(deployer).contentType(ContentType.JSON).body(Map.of("version", "2"))
                .put(MODELS + "/gone/aliases/production").then().statusCode(201);
        Api.as(deployer).delete(MODELS + "/gone").then().statusCode(403);
        admin().delete(MODELS + "/gone").then().statusCode(204);
        admin().get(MODELS + "/gone").then().statusCode(404).body("field", equalTo("name"));
        assertThat(data.storedArtifacts()).isEmpty();
    }

    @Test
    void modelDescriptionAndLabelsArePatchedWithMergeSemantics() {
        publish(deployer, Onnx.reshape("p")).put(MODELS + "/pm/versions/1").then().statusCode(201);
        String etag = admin().contentType(ContentType.JSON).body(Map.of("description", "people detector",
                        "labels", Map.of("team", "vision", "tier", "gold")))
                .patch(MODELS + "/pm").then().statusCode(200).body("labels.team", equalTo("vision"))
                .extract().header("ETag");
        admin().contentType(ContentType.JSON).header("If-Match", etag).body("{\"labels\": {\"tier\": null}}")
                .patch(MODELS + "/pm").then().statusCode(200)
                .body("labels.tier", nullValue()).body("labels.team", equalTo("vision"))
                .body("description", equalTo("people detector"));
        admin().contentType(ContentType.JSON).header("If-Match", etag).body("{\"description\": \"x\"}")
                .patch(MODELS + "/pm").then().statusCode(412);
        admin().contentType(ContentType.JSON).body("{\"labels\": {\"bad key!\": \"x\"}}")
                .patch(MODELS + "/pm").then().statusCode(400).body("field", equalTo("labels"));
    }

    @Test
    void bytesThatAreNotOnnxAreRefusedWith422AndLeaveNothingBehind() {
        publish(deployer, Onnx.garbage(4096, 7)).put(MODELS + "/junk/versions/1").then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:continuum:problem:invalid-model"))
                .body("field", equalTo("body"))
                .body("detail", containsString("not a valid ONNX model"));
        admin().get(MODELS + "/junk").then().statusCode(404);
        assertThat(data.storedArtifacts()).isEmpty();
        assertThat(data.tempFiles()).isEmpty();
    }

    @Test
    void aModelUsingAnUnsupportedOperatorIsRefusedNamingTheNodeAndTheOp() {
        publish(deployer, Onnx.unsupportedOp()).put(MODELS + "/mystery/versions/1").then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:continuum:problem:unsupported-operator"))
                .body("node", equalTo("mystery_1"))
                .body("opType", equalTo("NotAnOp"))
                .body("detail", containsString("mystery_1"))
                .body("detail", containsString("NotAnOp"));
        admin().get(MODELS + "/mystery").then().statusCode(404);
        assertThat(data.storedArtifacts()).isEmpty();
        assertThat(data.tempFiles()).isEmpty();
    }

    @Test
    void anUploadOverTheSizeLimitIsRefusedWith413BeforeItsBodyIsSent() throws Exception {
        byte[] big = new byte[17 << 20]; // the test profiles limit artifacts to 16M
        HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
                        URI.create(RestAssured.baseURI + ":" + RestAssured.port + MODELS + "/huge/versions/1"))
                .header("Authorization", "Bearer " + deployer).header("Content-Type", "application/octet-stream")
                .expectContinue(true).PUT(HttpRequest.BodyPublishers.ofByteArray(big)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        System.out.println("413 answer: " + r.headers().map() + " " + r.body());
        assertThat(data.tempFiles()).isEmpty();
        admin().get(MODELS + "/huge").then().statusCode(404);
    }

    @Test
    void invalidNamesAreRefusedNamingTheField() {
        publish(deployer, Onnx.reshape("n")).put(MODELS + "/-bad/versions/1").then().statusCode(400)
                .body("field", equalTo("name"));
        publish(deployer, Onnx.reshape("n")).put(MODELS + "/good/versions/.v1").then().statusCode(400)
                .body("field", equalTo("version"));
    }

    @Test
    void theArtifactDownloadsWholeOrByRange() {
        byte[] onnx = Onnx.reshape("dl");
        publish(deployer, onnx).put(MODELS + "/dl/versions/1").then().statusCode(201);
        String url = MODELS + "/dl/versions/1/artifact";

        byte[] whole = admin().get(url).then().statusCode(200).header("Accept-Ranges", "bytes")
                .header("Content-Length", String.valueOf(onnx.length)).extract().asByteArray();
        assertThat(whole).isEqualTo(onnx);

        Response part = admin().header("Range", "bytes=2-9").get(url);
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.header("Content-Range")).isEqualTo("bytes 2-9/" + onnx.length);
        assertThat(part.asByteArray()).isEqualTo(Arrays.copyOfRange(onnx, 2, 10));

        Response tail = admin().header("Range", "bytes=-5").get(url);
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.asByteArray()).isEqualTo(Arrays.copyOfRange(onnx, onnx.length - 5, onnx.length));

        Response open = admin().header("Range", "bytes=10-").get(url);
        assertThat(open.asByteArray()).isEqualTo(Arrays.copyOfRange(onnx, 10, onnx.length));

        admin().header("Range", "bytes=" + onnx.length + "-").get(url).then().statusCode(416)
                .header("Content-Range", "bytes */" + onnx.length)
                .contentType("application/problem+json").body("field", equalTo("Range"));
    }

    @Test
    void concurrentUploadsOfTheSameBytesStoreOneArtifact() throws Exception {
        byte[] onnx = Onnx.reshape("same");
        // two versions of one model, and twice the same version: all four at once
        List<String> paths = List.of("/twin/versions/1", "/twin/versions/2", "/twin/versions/3", "/twin/versions/3");
        CyclicBarrier start = new CyclicBarrier(paths.size());
        ExecutorService pool = Executors.newFixedThreadPool(paths.size());
        try {
            List<Future<Integer>> results = pool.invokeAll(paths.stream().map(p -> (Callable<Integer>) () -> {
                start.await();
                return publish(deployer, onnx).put(MODELS + p).statusCode();
            }).toList());
            List<Integer> codes = results.stream().map(f -> {
                try {
                    return f.get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
            assertThat(codes.subList(0, 2)).containsOnly(201);
            assertThat(codes.subList(2, 4)).containsExactlyInAnyOrder(200, 201);
        } finally {
            pool.shutdownNow();
        }
        assertThat(data.storedArtifacts()).hasSize(1)
                .allSatisfy(p -> assertThat(p.getFileName().toString()).isEqualTo(Onnx.sha256(onnx)));
        assertThat(data.tempFiles()).isEmpty();
        admin().get(MODELS + "/twin/versions").then().body("items.sha256", contains(Onnx.sha256(onnx),
                Onnx.sha256(onnx), Onnx.sha256(onnx)));
    }
}
