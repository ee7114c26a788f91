package dev.continuum.engine.internal.gemm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuum.engine.cli.BackendTestRunner;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The operators the kernels use are exactly those {@link OperatorCaches} fills before the first kernel
 * runs: after every node test and model fixture has run once, the Vector API's operator caches
 * (read through {@code --add-opens jdk.incubator.vector/jdk.incubator.vector}) hold no other entry.
 * A kernel that starts using another operator fails here until the operator is added to the lists;
 * otherwise its first use could come in C2-compiled code, trap, and leave later compilations of the
 * large kernels on heap vectors (see {@link OperatorCaches}).
 */
@EnabledIf("dev.continuum.engine.internal.gemm.Simd#enabled")
class OperatorCachesTest {

    @Test
    void theKernelsUseNoOperatorBeyondThoseFilledAtStart() throws Exception {
        BackendTestRunner runner = new BackendTestRunner();
        for (Path dir : cases("onnx-node-tests")) {
            runner.check(dir);
        }
        for (Path dir : cases("models")) {
            runner.check(dir);
        }

        Map<String, Set<String>> filled = new TreeMap<>();
        filled.put("FloatVector.UN_IMPL", names(OperatorCaches.FLOAT_UNARY));
        filled.put("FloatVector.BIN_IMPL", names(OperatorCaches.FLOAT_BINARY));
        filled.put("FloatVector.TERN_IMPL", names(OperatorCaches.FLOAT_TERNARY));
        filled.put("FloatVector.REDUCE_IMPL", names(OperatorCaches.FLOAT_REDUCTIONS));
        filled.put("IntVector.BIN_IMPL", names(OperatorCaches.INT_BINARY));
        filled.put("IntVector.BIN_INT_IMPL", names(OperatorCaches.INT_SHIFTS));
        Map<String, Set<String>> cached = new TreeMap<>();
        cached.putAll(cachedOperators(FloatVector.class));
        cached.putAll(cachedOperators(IntVector.class));
        assertThat(cached).isEqualTo(filled);
    }

    /** Every directory with a model.onnx under a test resource. */
    private static List<Path> cases(String resource) throws IOException, URISyntaxException {
        Path root = Path.of(OperatorCachesTest.class.getClassLoader().getResource(resource).toURI());
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.exists(d.resolve("model.onnx"))).sorted().toList();
        }
    }

    private static Set<String> names(List<? extends VectorOperators.Operator> ops) {
        return ops.stream().map(VectorOperators.Operator::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The operators in each non-empty operator cache of a vector class, by cache field name. */
    private static Map<String, Set<String>> cachedOperators(Class<?> vectorClass) throws ReflectiveOperationException {
        Map<Integer, String> byOpcode = new TreeMap<>();
        Method opCode = Class.forName("jdk.incubator.vector.VectorOperators$OperatorImpl").getDeclaredMethod("opCodeRaw");
        opCode.setAccessible(true);
        for (Field f : VectorOperators.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && VectorOperators.Operator.class.isAssignableFrom(f.getType())) {
                byOpcode.putIfAbsent((Integer) opCode.invoke(f.get(null)), f.getName());
            }
        }
        Class<?> implCache = Class.forName("jdk.incubator.vector.VectorOperators$ImplCache");
        Field entries = implCache.getDeclaredField("cache");
        entries.setAccessible(true);
        Map<String, Set<String>> cached = new TreeMap<>();
        for (Field f : vectorClass.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != implCache) {
                continue;
            }
            f.setAccessible(true);
            Object[] cache = (Object[]) entries.get(f.get(null));
            Set<String> ops = new TreeSet<>();
            for (int i = 0; i < cache.length; i++) {
                if (cache[i] != null) {
                    ops.add(byOpcode.getOrDefault(i, "opcode " + i));
                }
            }
            if (!ops.isEmpty()) {
                cached.put(vectorClass.getSimpleName() + "." + f.getName(), ops);
            }
        }
        return cached;
    }
}
