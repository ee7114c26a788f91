package dev.continuum.engine.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.onnx.AttributeProto;
import dev.continuum.engine.onnx.GraphProto;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node's attributes, read once by a kernel factory. Getters with a default return it when the
 * attribute is absent; {@code required*} getters throw an {@link IllegalArgumentException} naming
 * the attribute. A value of the wrong kind is an error naming the attribute and both kinds.
 */
public final class Attributes {
    private final Map<String, AttributeProto> byName;

    public Attributes(List<AttributeProto> attributes) {
        Map<String, AttributeProto> m = new LinkedHashMap<>();
        for (AttributeProto a : attributes) {
            m.put(a.getName(), detached(a));
        }
        this.byName = Collections.unmodifiableMap(m);
    }

    /**
     * A copy that shares no bytes with the buffer the model was parsed from: a file's mapping is parsed
     * with aliasing, and a node keeps its attributes as long as the model lives.
     */
    private static AttributeProto detached(AttributeProto a) {
        try {
            return AttributeProto.parseFrom(a.toByteArray());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("attribute '" + a.getName() + "' does not parse back", e);
        }
    }

    /** These attributes plus (or replaced by) the given ones. */
    public Attributes with(AttributeProto... extra) {
        List<AttributeProto> all = new java.util.ArrayList<>(byName.values());
        for (AttributeProto a : extra) {
            all.removeIf(x -> x.getName().equals(a.getName()));
            all.add(a);
        }
        return new Attributes(all);
    }

    public static Attributes empty() {
        return new Attributes(List.of());
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }

    public Set<String> names() {
        return byName.keySet();
    }

    public AttributeProto raw(String name) {
        return byName.get(name);
    }

    public long getInt(String name, long def) {
        AttributeProto a = byName.get(name);
        return a == null ? def : kind(a, AttributeProto.AttributeType.INT).getI();
    }

    public long requiredInt(String name) {
        return kind(required(name), AttributeProto.AttributeType.INT).getI();
    }

    public float getFloat(String name, float def) {
        AttributeProto a = byName.get(name);
        return a == null ? def : kind(a, AttributeProto.AttributeType.FLOAT).getF();
    }

    public String getString(String name, String def) {
        AttributeProto a = byName.get(name);
        return a == null ? def : kind(a, AttributeProto.AttributeType.STRING).getS().toString(StandardCharsets.UTF_8);
    }

    /** The ints of an INTS attribute, or {@code def} (may be null) when absent. */
    public long[] getInts(String name, long[] def) {
        AttributeProto a = byName.get(name);
        if (a == null) {
            return def;
        }
        List<Long> l = kind(a, AttributeProto.AttributeType.INTS).getIntsList();
        long[] r = new long[l.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = l.get(i);
        }
        return r;
    }

    /** Like {@link #getInts} but narrowed to int, rejecting values outside the int range. */
    public int[] getIntArray(String name, int[] def) {
        long[] v = getInts(name, null);
        if (v == null) {
            return def;
        }
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != (int) v[i]) {
                throw new IllegalArgumentException("attribute '" + name + "' value " + v[i] + " is out of range");
            }
            r[i] = (int) v[i];
        }
        return r;
    }

    public float[] getFloats(String name, float[] def) {
        AttributeProto a = byName.get(name);
        if (a == null) {
            return def;
        }
        List<Float> l = kind(a, AttributeProto.AttributeType.FLOATS).getFloatsList();
        float[] r = new float[l.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = l.get(i);
        }
        return r;
    }

    public String[] getStrings(String name, String[] def) {
        AttributeProto a = byName.get(name);
        if (a == null) {
            return def;
        }
        return kind(a, AttributeProto.AttributeType.STRINGS).getStringsList().stream()
                .map(s -> s.toString(StandardCharsets.UTF_8)).toArray(String[]::new);
    }

    /** A TENSOR attribute decoded into a tensor, or null when absent. */
    public Tensor getTensor(String name) {
        AttributeProto a = byName.get(name);
        return a == null ? null : TensorProtos.toTensor(kind(a, AttributeProto.AttributeType.TENSOR).getT());
    }

    public GraphProto getGraph(String name) {
        AttributeProto a = byName.get(name);
        return a == null ? null : kind(a, AttributeProto.AttributeType.GRAPH).getG();
    }

    private AttributeProto required(String name) {
        AttributeProto a = byName.get(name);
        if (a == null) {
            throw new IllegalArgumentException("required attribute '" + name + "' is missing");
        }
        return a;
    }

    private static AttributeProto kind(AttributeProto a, AttributeProto.AttributeType expected) {
        AttributeProto.AttributeType actual = a.hasType() ? a.getType() : guessType(a);
        if (actual != expected) {
            throw new IllegalArgumentException("attribute '" + a.getName() + "' is " + actual + ", expected " + expected);
        }
        return a;
    }

    /** Old (IR < 2) files may omit the type field; infer it from which field is set. */
    private static AttributeProto.AttributeType guessType(AttributeProto a) {
        if (a.hasF()) {
            return AttributeProto.AttributeType.FLOAT;
        } else if (a.hasI()) {
            return AttributeProto.AttributeType.INT;
        } else if (a.hasS()) {
            return AttributeProto.AttributeType.STRING;
        } else if (a.hasT()) {
            return AttributeProto.AttributeType.TENSOR;
        } else if (a.hasG()) {
            return AttributeProto.AttributeType.GRAPH;
        } else if (a.getFloatsCount() > 0) {
            return AttributeProto.AttributeType.FLOATS;
        } else if (a.getIntsCount() > 0) {
            return AttributeProto.AttributeType.INTS;
        } else if (a.getStringsCount() > 0) {
            return AttributeProto.AttributeType.STRINGS;
        }
        return AttributeProto.AttributeType.UNDEFINED;
    }

    @Override
    public String toString() {
        return byName.keySet().toString();
    }
}
