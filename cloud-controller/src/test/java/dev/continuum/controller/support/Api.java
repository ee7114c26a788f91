package dev.continuum.controller.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;

/** RestAssured requests as a caller with a role; tokens for roles other than admin are minted through the API. */
public final class Api {
    /** Installed at startup through continuum.auth.admin-token in every test profile. */
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef";

    private Api() {
    }

    public static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    public static RequestSpecification admin() {
        return as(ADMIN_TOKEN);
    }

    /** Creates a token with that role (call after the test data was reset) and returns its secret. */
    public static String token(String role) {
        return admin().contentType(ContentType.JSON).body(Map.of("name", role + "-test", "role", role))
                .post("/api/v1/tokens").then().statusCode(201).extract().path("token");
    }

    public static RequestSpecification publish(String token, byte[] onnx) {
        return as(token).contentType("application/octet-stream").body(onnx);
    }
}
