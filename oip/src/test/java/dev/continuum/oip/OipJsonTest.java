package dev.continuum.oip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuum.engine.DataType;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.TensorInfo;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OipJsonTest {
    private static OipJson.Request parse(String json) {
        return OipJson.parseInferRequest(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void refused(String json, String message) {
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(OipException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void parsesRowMajorFlatAndNestedDataIntoEngineTensors() {
        OipJson.Request r = parse("""
                {"id": "42", "inputs": [
                  {"name": "x", "shape": [2, 2], "datatype": "FP32", "data": [[1, 2.5], [3, 4]]},
                  {"name": "ids", "shape": [3], "datatype": "INT64", "data": [1, -2, 9007199254740993]},
                  {"name": "mask", "shape": [2], "datatype": "BOOL", "data": [true, false]}],
                 "outputs": [{"name": "y"}]}""");
        assertThat(r.id()).isEqualTo("42");
        assertThat(r.outputs()).containsExactly("y");
        Tensor x = r.inputs().get("x");
        assertThat(x.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(x.shape()).containsExactly(2, 2);
        assertThat(x.floatData()).containsExactly(1f, 2.5f, 3f, 4f);
        assertThat(r.inputs().get("ids").longData()).containsExactly(1L, -2L, 9007199254740993L);
        assertThat(r.inputs().get("mask").byteData()).containsExactly((byte) 1, (byte) 0);
        assertThat(parse("{\"inputs\": [{\"name\": \"u\", \"shape\": [2], \"datatype\": \"UINT64\","
                + " \"data\": [18446744073709551615, 255]}]}").inputs().get("u").longData()).containsExactly(-1L, 255L);
    }

    @Test
    void errorsNameTheBadInputAndWhatWasExpected() {
        assertThatThrownBy(() -> parse("{\"inputs\": [")).isInstanceOf(OipException.class)
                .hasMessageStartingWith("malformed JSON: Unexpected end-of-input");
        refused("[1, 2]", "malformed request: expected a JSON object with 'inputs'");
        refused("{}", "'inputs' is required: an array of {name, shape, datatype, data}");
        refused("{\"inputs\": [{\"shape\": [1]}]}", "inputs[0] needs a string 'name'");
        refused("{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP33\", \"data\": [1]}]}",
                "input 'x': unknown datatype 'FP33'; expected one of " + OipTypes.NAMES);
        refused("{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"data\": [1]}]}",
                "input 'x': 'shape' is required, an array of dimensions");
        refused("{\"inputs\": [{\"name\": \"x\", \"shape\": [2, -1], \"datatype\": \"FP32\", \"data\": [1]}]}",
                "input 'x': shape[1] = -1 is not a non-negative integer");
        refused("{\"inputs\": [{\"name\": \"x\", \"shape\": [2, 3], \"datatype\": \"FP32\", \"data\": [1, 2]}]}",
                "input 'x': shape [2, 3] needs 6 values, 'data' has 2");
        refused("{\"inputs\": [{\"name\": \"x\", \"shape\": [2], \"datatype\": \"FP32\", \"data\": [1, \"a\"]}]}",
                "input 'x': data[1] = \"a\" is not a number");
        refused("{\"inputs\": [{\"name\": \"x\", \"shape\": [2], \"datatype\": \"INT64\", \"data\": [1, 1.5]}]}",
                "input 'x': data[1] = 1.5 is not an integer");
        refused("{\"inputs\": [{\"name\": \"x\", \"shape\": [2], \"datatype\": \"UINT8\", \"data\": [255, 256]}]}",
                "input 'x': data[1] = 256 is not within UINT8 (0 to 255)");
        refused("{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"INT64\", \"data\": [9223372036854775808]}]}",
                "input 'x': data[0] = 9223372036854775808 is not within INT64 (-9223372036854775808 to 9223372036854775807)");
        refused("{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"UINT64\", \"data\": [-1]}]}",
                "input 'x': data[0] = -1 is not within UINT64 (0 to 18446744073709551615)");
        refused("{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"BOOL\", \"data\": [4294967297]}]}",
                "input 'x': data[0] = 4294967297 is not a boolean");
        refused("{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]},"
                + "{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}]}", "input 'x' is given twice");
    }

    @Test
    void encodesOutputsWithOipDatatypeNamesAndShapes() {
        Map<String, Tensor> outs = new LinkedHashMap<>();
        outs.put("y", Tensor.ofFloats(new int[] {1, 2}, 0.5f, -1f));
        outs.put("k", Tensor.ofLongs(new int[] {1}, 7L));
        String json = new String(OipJson.inferResponse("m", "3", outs, "id-1"), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"model_name\":\"m\",\"model_version\":\"3\",\"id\":\"id-1\",\"outputs\":["
                + "{\"name\":\"y\",\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[0.5,-1.0]},"
                + "{\"name\":\"k\",\"datatype\":\"INT64\",\"shape\":[1],\"data\":[7]}]}");
        assertThat(new String(OipJson.error("unknown model 'x'"), StandardCharsets.UTF_8))
                .isEqualTo("{\"error\":\"unknown model 'x'\"}");
        assertThat(List.of(OipTypes.name(DataType.FLOAT16), OipTypes.name(DataType.UINT8))).containsExactly("FP16", "UINT8");
    }

    @Test
    void metadataGivesDynamicDimensionsAsMinusOneAndAnInputOfUnknownRankTheShapeMinusOne() {
        List<TensorInfo> inputs = List.of(new TensorInfo("x", DataType.FLOAT, new int[] {-1, 3}, new String[] {"N", null}),
                new TensorInfo("anything", DataType.INT64, null));
        List<TensorInfo> outputs = List.of(new TensorInfo("y", DataType.FLOAT, new int[] {2}));
        String json = new String(OipJson.metadata("m", List.of("3"), OipTypes.PLATFORM_ONNX, inputs, outputs),
                StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"name\":\"m\",\"versions\":[\"3\"],\"platform\":\"onnx_onnxv1\","
                + "\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[-1,3]},"
                + "{\"name\":\"anything\",\"datatype\":\"INT64\",\"shape\":[-1]}],"
                + "\"outputs\":[{\"name\":\"y\",\"datatype\":\"FP32\",\"shape\":[2]}]}");
    }
}
