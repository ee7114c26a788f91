package dev.continuum.engine.cli;

import dev.continuum.engine.InvalidInputException;
import dev.continuum.engine.Model;
import dev.continuum.engine.Session;
import dev.continuum.engine.SessionOptions;
import dev.continuum.engine.Tensor;
import dev.continuum.engine.TensorInfo;
import dev.continuum.engine.internal.TensorProtos;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code engine run}: runs a model on input_K.pb files and writes output_K.pb files. */
final class RunCommand {
    private RunCommand() {
    }

    static int run(Args args, PrintStream out) throws IOException {
        args.allow("model", "input", "output-dir", "threads");
        Model model = Model.load(Path.of(args.required("model")));
        Path outDir = Path.of(args.required("output-dir"));
        Map<String, Tensor> inputs = readInputs(model, args.all("input"));
        Files.createDirectories(outDir);
        try (Session s = model.newSession(new SessionOptions(args.getInt("threads", 1, 1)))) {
            Map<String, Tensor> results = s.run(inputs);
            int k = 0;
            for (Map.Entry<String, Tensor> e : results.entrySet()) {
                Path file = outDir.resolve("output_" + k++ + ".pb");
                Path tmp = outDir.resolve(file.getFileName() + ".tmp");
                try (OutputStream o = Files.newOutputStream(tmp)) {
                    TensorProtos.toProto(e.getKey(), e.getValue()).writeTo(o);
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                out.println(file + "  " + e.getKey() + " " + e.getValue().dataType()
                        + java.util.Arrays.toString(e.getValue().dims()));
            }
        }
        return EngineCli.OK;
    }

    /**
     * Reads {@code .pb} tensors; each binds to the input its TensorProto names, or else to the
     * model's next input in declaration order.
     */
    static Map<String, Tensor> readInputs(Model model, List<String> files) {
        List<TensorInfo> declared = model.inputs();
        Map<String, Tensor> inputs = new HashMap<>();
        for (int i = 0; i < files.size(); i++) {
            TensorProtos.Named read = TensorProtos.readFile(Path.of(files.get(i)));
            String name = read.name();
            if (name.isEmpty() || declared.stream().noneMatch(d -> d.name().equals(read.name()))) {
                if (i >= declared.size()) {
                    throw new InvalidInputException(files.get(i), "input file " + files.get(i)
                            + " is one more than the model's " + declared.size() + " inputs");
                }
                name = declared.get(i).name();
            }
            inputs.put(name, read.tensor());
        }
        return inputs;
    }
}
