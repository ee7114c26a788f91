package dev.continuum.agent.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuum.agent.FakeController;
import dev.continuum.engine.Model;
import dev.continuum.engine.Tensor;
import dev.continuum.oip.OipException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelServerTest {
    private static ServedModel lenet(String version) {
        Model m = Model.load(FakeController.lenetBytes());
        return new ServedModel("lenet", version, "sha-" + version, m, m.newSession());
    }

    @Test
    void aSwapLetsARequestInFlightFinishOnTheVersionItStartedWith() {
        ModelServer server = new ModelServer();
        ServedModel v1 = lenet("1");
        server.swap(v1);
        ModelServer.Lease inFlight = server.acquire("lenet", null);
        assertThat(v1.references()).isEqualTo(2);

        ServedModel v2 = lenet("2");
        server.swap(v2);
        assertThat(server.acquire("lenet", null).model()).isSameAs(v2);
        // the old version still runs for the request that holds it
        Map<String, Tensor> out = inFlight.model().session().run(
                Map.of("input", Tensor.zeros(dev.continuum.engine.DataType.FLOAT, 1, 1, 32, 32)));
        assertThat(out).isNotEmpty();
        assertThat(v1.references()).isEqualTo(1);
        inFlight.close();
        assertThat(v1.references()).isZero();
        assertThat(v1.tryAcquire()).isFalse();
    }

    @Test
    void unknownModelsAndVersionsAreNotFoundNamingWhatIsServed() {
        ModelServer server = new ModelServer();
        server.swap(lenet("1"));
        assertThatThrownBy(() -> server.acquire("resnet", null)).isInstanceOfSatisfying(OipException.class,
                e -> assertThat(e.status()).isEqualTo(404)).hasMessage("unknown model 'resnet'; this device serves [lenet]");
        assertThatThrownBy(() -> server.acquire("lenet", "7"))
                .hasMessage("model 'lenet' version '7' is not served; the device serves version '1'");
    }
}
