package dev.continuum.engine;

/** A node uses an operator (or an operator version) that the engine has no kernel for. */
public class UnsupportedOperatorException extends UnsupportedModelException {
    private final String nodeName;
    private final String opType;
    private final String domain;
    private final int opset;

    public UnsupportedOperatorException(String nodeName, String opType, String domain, int opset, String detail) {
        super("node '" + nodeName + "' (" + opType + ", " + (domain.isEmpty() ? "" : domain + " ") + "opset " + opset
                + "): " + detail);
        this.nodeName = nodeName;
        this.opType = opType;
        this.domain = domain;
        this.opset = opset;
    }

    public String nodeName() {
        return nodeName;
    }

    public String opType() {
        return opType;
    }

    /** The operator's domain; empty for the default {@code ai.onnx} domain. */
    public String domain() {
        return domain;
    }

    public int opset() {
        return opset;
    }
}
