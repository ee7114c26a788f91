package dev.continuum.oip;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.continuum.engine.DataType;
import dev.continuum.engine.Float16;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.TensorInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of the OIP v2 REST API: inference requests in (row-major {@code data}, flat or nested),
 * responses, metadata and errors out. Parse errors are {@link OipException}s (400) naming the input.
 * Shared by the edge agent's local API and the controller's cloud inference API.
 */
public final class OipJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private OipJson() {
    }

    /** A parsed inference request. */
    public record Request(String id, Map<String, Tensor> inputs, List<String> outputs) {
    }

    public static Request parseInferRequest(byte[] body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw OipException.badRequest("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject()) {
            throw OipException.badRequest("malformed request: expected a JSON object with 'inputs'");
        }
        JsonNode id = root.get("id");
        if (id != null && !id.isTextual()) {
            throw OipException.badRequest("'id' must be a string");
        }
        JsonNode inputs = root.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw OipException.badRequest("'inputs' is required: an array of {name, shape, datatype, data}");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            JsonNode in = inputs.get(i);
            JsonNode name = in.get("name");
            if (!in.isObject() || name == null || !name.isTextual() || name.asText().isEmpty()) {
                throw OipException.badRequest("inputs[" + i + "] needs a string 'name'");
            }
            String n = name.asText();
            if (tensors.put(n, tensor(n, in)) != null) {
                throw OipException.badRequest("input '" + n + "' is given twice");
            }
        }
        List<String> outputs = new ArrayList<>();
        JsonNode outs = root.get("outputs");
        if (outs != null) {
            if (!outs.isArray()) {
                throw OipException.badRequest("'outputs' must be an array of {name}");
            }
            for (int i = 0; i < outs.size(); i++) {
                JsonNode name = outs.get(i).get("name");
                if (name == null || !name.isTextual()) {
                    throw OipException.badRequest("outputs[" + i + "] needs a string 'name'");
                }
                outputs.add(name.asText());
            }
        }
        return new Request(id == null ? null : id.asText(), tensors, outputs);
    }

    private static Tensor tensor(String name, JsonNode in) {
        JsonNode dt = in.get("datatype");
        DataType type = OipTypes.parse(name, dt == null || !dt.isTextual() ? null : dt.asText());
        JsonNode shapeNode = in.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw OipException.badRequest("input '" + name + "': 'shape' is required, an array of dimensions");
        }
        long[] shape = new long[shapeNode.size()];
        for (int d = 0; d < shape.length; d++) {
            JsonNode s = shapeNode.get(d);
            if (!s.isIntegralNumber() || s.asLong() < 0) {
                throw OipException.badRequest("input '" + name + "': shape[" + d + "] = " + s
                        + " is not a non-negative integer");
            }
            shape[d] = s.asLong();
        }
        int count = OipTypes.elementCount(name, shape);
        JsonNode data = in.get("data");
        if (data == null || !data.isArray()) {
            throw OipException.badRequest("input '" + name + "': 'data' is required, a row-major array of values");
        }
        List<JsonNode> flat = new ArrayList<>(count);
        flatten(data, flat);
        if (flat.size() != count) {
            throw OipException.badRequest("input '" + name + "': shape " + Arrays.toString(shape) + " needs "
                    + count + " values, 'data' has " + flat.size());
        }
        Object array = Tensor.newArray(type, count);
        for (int k = 0; k < count; k++) {
            set(name, type, array, k, flat.get(k));
        }
        return Tensor.of(type, OipTypes.toIntShape(shape), array);
    }

    private static void flatten(JsonNode node, List<JsonNode> out) {
        if (node.isArray()) {
            for (JsonNode c : node) {
                flatten(c, out);
            }
        } else {
            out.add(node);
        }
    }

    private static void set(String name, DataType type, Object array, int k, JsonNode v) {
        if (type == DataType.BOOL) {
            if (!v.isBoolean() && !(v.isIntegralNumber() && v.canConvertToInt() && (v.asInt() == 0 || v.asInt() == 1))) {
                throw bad(name, k, v, "a boolean");
            }
            ((byte[]) array)[k] = (byte) (v.isBoolean() ? (v.asBoolean() ? 1 : 0) : v.asInt());
            return;
        }
        if (!v.isNumber()) {
            throw bad(name, k, v, "a number");
        }
        if (!type.isFloatingPoint() && !v.isIntegralNumber()) {
            throw bad(name, k, v, "an integer");
        }
        switch (type) {
            case FLOAT -> ((float[]) array)[k] = v.floatValue();
            case DOUBLE -> ((double[]) array)[k] = v.doubleValue();
            case FLOAT16 -> ((short[]) array)[k] = Float16.fromFloat(v.floatValue());
            case BFLOAT16 -> ((short[]) array)[k] = Float16.floatToBfloat16(v.floatValue());
            case INT64 -> ((long[]) array)[k] = integer(name, k, v, type, Long.MIN_VALUE, Long.MAX_VALUE);
            case UINT64 -> ((long[]) array)[k] = unsigned64(name, k, v);
            case INT32 -> ((int[]) array)[k] = (int) integer(name, k, v, type, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case UINT32 -> ((int[]) array)[k] = (int) integer(name, k, v, type, 0, 0xFFFF_FFFFL);
            case INT16 -> ((short[]) array)[k] = (short) integer(name, k, v, type, Short.MIN_VALUE, Short.MAX_VALUE);
            case UINT16 -> ((short[]) array)[k] = (short) integer(name, k, v, type, 0, 0xFFFF);
            case INT8 -> ((byte[]) array)[k] = (byte) integer(name, k, v, type, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case UINT8 -> ((byte[]) array)[k] = (byte) integer(name, k, v, type, 0, 0xFF);
            default -> throw new IllegalStateException("unhandled " + type);
        }
    }

    /** The value of an integral {@code v}, refused (400) when it does not fit {@code type} instead of wrapping. */
    private static long integer(String name, int k, JsonNode v, DataType type, long min, long max) {
        if (!v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw bad(name, k, v, "within " + OipTypes.name(type) + " (" + min + " to " + max + ")");
        }
        return v.longValue();
    }

    private static long unsigned64(String name, int k, JsonNode v) {
        boolean fits = v.canConvertToLong() ? v.longValue() >= 0
                : v.bigIntegerValue().signum() > 0 && v.bigIntegerValue().bitLength() <= 64;
        if (!fits) {
            throw bad(name, k, v, "within UINT64 (0 to " + Long.toUnsignedString(-1L) + ")");
        }
        return v.bigIntegerValue().longValue();
    }

    private static OipException bad(String name, int k, JsonNode v, String expected) {
        return OipException.badRequest("input '" + name + "': data[" + k + "] = " + v + " is not " + expected);
    }

    /** An inference response: {@code outputs} in the order given, {@code id} echoed when the request had one. */
    public static byte[] inferResponse(String model, String version, Map<String, Tensor> outputs, String id) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("model_name", model);
            g.writeStringField("model_version", version);
            if (id != null) {
                g.writeStringField("id", id);
            }
            g.writeArrayFieldStart("outputs");
            for (var e : outputs.entrySet()) {
                Tensor t = e.getValue();
                g.writeStartObject();
                g.writeStringField("name", e.getKey());
                g.writeStringField("datatype", OipTypes.name(t.dataType()));
                g.writeArrayFieldStart("shape");
                for (int d : t.shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("data");
                writeData(g, t);
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void writeData(JsonGenerator g, Tensor t) throws IOException {
        int n = t.size();
        switch (t.dataType()) {
            case FLOAT -> {
                float[] a = t.floatData();
                for (int i = 0; i < n; i++) {
                    g.writeNumber(a[i]);
                }
            }
            case DOUBLE -> {
                double[] a = t.doubleData();
                for (int i = 0; i < n; i++) {
                    g.writeNumber(a[i]);
                }
            }
            case FLOAT16 -> {
                short[] a = t.shortData();
                for (int i = 0; i < n; i++) {
                    g.writeNumber(Float16.toFloat(a[i]));
                }
            }
            case BFLOAT16 -> {
                short[] a = t.shortData();
                for (int i = 0; i < n; i++) {
                    g.writeNumber(Float16.bfloat16ToFloat(a[i]));
                }
            }
            case BOOL -> {
                byte[] a = t.byteData();
                for (int i = 0; i < n; i++) {
                    g.writeBoolean(a[i] != 0);
                }
            }
            case UINT64 -> {
                long[] a = t.longData();
                for (int i = 0; i < n; i++) {
                    g.writeNumber(Long.toUnsignedString(a[i]));
                }
            }
            case UINT32, UINT16, UINT8 -> {
                for (int i = 0; i < n; i++) {
                    g.writeNumber(t.getLong(i));
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    g.writeNumber(t.getLong(i));
                }
            }
        }
    }

    /** Model metadata; a dynamic dimension is -1 and a tensor of unknown rank has shape {@code [-1]}. */
    public static byte[] metadata(String name, List<String> versions, String platform, List<TensorInfo> inputs,
                                  List<TensorInfo> outputs) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("name", name);
            g.writeArrayFieldStart("versions");
            for (String v : versions) {
                g.writeString(v);
            }
            g.writeEndArray();
            g.writeStringField("platform", platform);
            tensors(g, "inputs", inputs);
            tensors(g, "outputs", outputs);
            g.writeEndObject();
        });
    }

    private static void tensors(JsonGenerator g, String field, List<TensorInfo> infos) throws IOException {
        g.writeArrayFieldStart(field);
        for (TensorInfo i : infos) {
            g.writeStartObject();
            g.writeStringField("name", i.name());
            g.writeStringField("datatype", OipTypes.name(i.dataType()));
            g.writeArrayFieldStart("shape");
            for (long d : OipTypes.metadataShape(i)) {
                g.writeNumber(d);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    public static byte[] object(Map<String, Object> fields) {
        try {
            return MAPPER.writeValueAsBytes(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] error(String message) {
        return object(Map.of("error", message));
    }

    private interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Writer w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
