package dev.continuum.engine.internal;

import dev.continuum.engine.ModelFormatException;
import dev.continuum.engine.onnx.AttributeProto;
import dev.continuum.engine.onnx.FunctionProto;
import dev.continuum.engine.onnx.NodeProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces calls of model-local functions ({@code ModelProto.functions}) by their bodies, renaming
 * the body's internal values apart and substituting attribute references, until no call remains.
 */
final class FunctionInliner {
    private static final int MAX_DEPTH = 32;

    private final Map<String, FunctionProto> functions = new HashMap<>();
    private int counter;

    FunctionInliner(List<FunctionProto> functions) {
        for (FunctionProto f : functions) {
            this.functions.put(key(f.getDomain(), f.getName(), f.getOverload()), f);
        }
    }

    boolean isEmpty() {
        return functions.isEmpty();
    }

    List<NodeProto> inline(List<NodeProto> nodes) {
        return inline(nodes, 0);
    }

    private List<NodeProto> inline(List<NodeProto> nodes, int depth) {
        List<NodeProto> out = new ArrayList<>();
        for (NodeProto n : nodes) {
            FunctionProto f = functions.get(key(n.getDomain(), n.getOpType(), n.getOverload()));
            if (f == null) {
                out.add(n);
                continue;
            }
            if (depth >= MAX_DEPTH) {
                throw new ModelFormatException("function '" + f.getName() + "' is nested more than " + MAX_DEPTH
                        + " levels deep (recursive?)");
            }
            out.addAll(inline(expand(n, f), depth + 1));
        }
        return out;
    }

    private List<NodeProto> expand(NodeProto call, FunctionProto f) {
        String prefix = "__fn" + (counter++) + "_" + f.getName() + "/";
        Map<String, String> rename = new HashMap<>();
        for (int i = 0; i < f.getInputCount(); i++) {
            rename.put(f.getInput(i), i < call.getInputCount() ? call.getInput(i) : "");
        }
        for (int i = 0; i < f.getOutputCount(); i++) {
            rename.put(f.getOutput(i), i < call.getOutputCount() ? call.getOutput(i) : prefix + f.getOutput(i));
        }
        Map<String, AttributeProto> actual = new HashMap<>();
        for (AttributeProto a : f.getAttributeProtoList()) {
            actual.put(a.getName(), a); // defaults
        }
        for (AttributeProto a : call.getAttributeList()) {
            actual.put(a.getName(), a);
        }
        List<NodeProto> body = new ArrayList<>();
        for (NodeProto n : f.getNodeList()) {
            NodeProto.Builder b = n.toBuilder().clearInput().clearOutput().clearAttribute();
            b.setName(prefix + n.getName());
            for (String in : n.getInputList()) {
                b.addInput(in.isEmpty() ? "" : rename.getOrDefault(in, prefix + in));
            }
            for (String o : n.getOutputList()) {
                b.addOutput(o.isEmpty() ? "" : rename.getOrDefault(o, prefix + o));
            }
            for (AttributeProto a : n.getAttributeList()) {
                if (!a.getRefAttrName().isEmpty()) {
                    AttributeProto v = actual.get(a.getRefAttrName());
                    if (v != null) {
                        b.addAttribute(v.toBuilder().setName(a.getName()).build());
                    }
                } else {
                    b.addAttribute(a);
                }
            }
            body.add(b.build());
        }
        return body;
    }

    private static String key(String domain, String name, String overload) {
        return domain + ":" + name + ":" + overload;
    }
}
