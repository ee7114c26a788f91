package dev.continuum.engine.internal.ops;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kernels by (domain, op type, since-version). A model's node resolves to the registration with the
 * greatest since-version not above the model's opset for that domain; a new opset version of an op
 * is a new registration, not a branch inside a kernel.
 */
public final class OpRegistry {
    /** The default ONNX domain, which models may also spell {@code ai.onnx}. */
    public static final String ONNX = "";

    private final Map<String, TreeMap<Integer, KernelFactory>> byOp = new HashMap<>();

    public OpRegistry register(String opType, int sinceVersion, KernelFactory factory) {
        return register(ONNX, opType, sinceVersion, factory);
    }

    /** Registers one factory for several since-versions at once (same semantics across them). */
    public OpRegistry register(String opType, int[] sinceVersions, KernelFactory factory) {
        for (int v : sinceVersions) {
            register(ONNX, opType, v, factory);
        }
        return this;
    }

    public OpRegistry register(String domain, String opType, int sinceVersion, KernelFactory factory) {
        byOp.computeIfAbsent(key(domain, opType), k -> new TreeMap<>()).put(sinceVersion, factory);
        return this;
    }

    /** The factory for an op at a model opset, or null when none applies. */
    public KernelFactory find(String domain, String opType, int opset) {
        TreeMap<Integer, KernelFactory> versions = byOp.get(key(domain, opType));
        if (versions == null) {
            return null;
        }
        Map.Entry<Integer, KernelFactory> e = versions.floorEntry(opset);
        return e == null ? null : e.getValue();
    }

    /** The since-versions registered for an op, ascending; empty when the op is unknown. */
    public List<Integer> versions(String domain, String opType) {
        TreeMap<Integer, KernelFactory> versions = byOp.get(key(domain, opType));
        return versions == null ? List.of() : List.copyOf(versions.keySet());
    }

    /** Every registered op as {@code domain:opType}, sorted. */
    public List<String> ops() {
        List<String> l = new ArrayList<>(byOp.keySet());
        Collections.sort(l);
        return l;
    }

    public static String normalizeDomain(String domain) {
        return domain == null || domain.equals("ai.onnx") ? ONNX : domain;
    }

    private static String key(String domain, String opType) {
        return normalizeDomain(domain) + ":" + opType;
    }
}
