package dev.continuum.controller.registry;

import dev.continuum.controller.common.UnprocessableException;
import dev.continuum.engine.Model;
import dev.continuum.engine.ModelFormatException;
import dev.continuum.engine.ModelSummary;
import dev.continuum.engine.UnsupportedModelException;
import dev.continuum.engine.UnsupportedOperatorException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Asks the tensor engine whether it can run an uploaded file, with bounded memory whatever the
 * file's size, and turns its refusals into 422 problems naming what is wrong (the node and op for
 * an unsupported operator).
 */
@ApplicationScoped
public class ModelInspector {
    private static final Logger LOG = Logger.getLogger(ModelInspector.class);

    public ModelSummary inspect(Path file) {
        try {
            return Model.inspect(file);
        } catch (UnsupportedOperatorException e) {
            throw (UnprocessableException) new UnprocessableException("unsupported-operator", "body",
                    "the tensor engine cannot run this model: " + e.getMessage())
                    .with("node", e.nodeName()).with("opType", e.opType())
                    .with("domain", e.domain().isEmpty() ? "ai.onnx" : e.domain()).with("opset", e.opset());
        } catch (UnsupportedModelException e) {
            throw new UnprocessableException("unsupported-model", "body",
                    "the tensor engine cannot run this model: " + e.getMessage());
        } catch (ModelFormatException e) {
            String msg = e.getMessage();
            throw new UnprocessableException("invalid-model", "body", msg.startsWith("not a valid ONNX model")
                    ? "the body is " + msg : "the body is not a valid ONNX model: " + msg);
        } catch (RuntimeException | StackOverflowError e) {
            // a file the engine chokes on is not one it can run; log it, the client learns it was refused
            LOG.warnf(e, "the engine failed unexpectedly inspecting %s", file);
            throw new UnprocessableException("invalid-model", "body", "the body could not be read as an ONNX model: "
                    + e);
        }
    }
}
