package dev.continuum.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading ONNX Runtime's profile for {@code NodeProfile --ort}. */
class NodeProfileTest {

    private static String event(String cat, String name, long dur) {
        return "{\"cat\" : \"" + cat + "\",\"pid\" :1,\"tid\" :2,\"dur\" :" + dur + ",\"ts\" :10,\"ph\" : \"X\",\"name\" :\""
                + name + "\",\"args\" : {\"op_name\" : \"Conv\"}},";
    }

    @Test
    void meanOfTheSecondHalfOfEachNodesKernelTimes() {
        List<String> lines = List.of("[",
                event("Session", "model_run", 900),
                event("Node", "conv1_kernel_time", 100), // first half: ORT's own warm-up, dropped
                event("Node", "conv1_fence_before", 5), // not a kernel time
                event("Node", "conv1_kernel_time", 30),
                event("Node", "conv1_kernel_time", 10),
                event("Node", "conv1_kernel_time", 20),
                event("Node", "/stem/Conv_output_0_nchwc_kernel_time", 8), // renamed by ORT's NCHWc pass
                event("Node", "/stem/Conv_output_0_nchwc_kernel_time", 6),
                "]");
        Map<String, Double> micros = NodeProfile.nodeMicros(lines);
        assertThat(micros).containsOnlyKeys("conv1", "/stem/Conv_output_0");
        assertThat(micros.get("conv1")).isEqualTo(15.0);
        assertThat(micros.get("/stem/Conv_output_0")).isEqualTo(6.0);
    }
}
