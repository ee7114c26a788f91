package dev.continuum.controller.telemetry.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuum.controller.config.ContinuumConfig;
import io.quarkus.runtime.configuration.MemorySize;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting the embedded broker outside Quarkus: the port it reports, and a port already taken. */
class EmbeddedBrokerStartTest {
    @TempDir
    Path dataDir;

    @Test
    void portZeroListensOnTheReportedPort() throws Exception {
        EmbeddedBroker broker = broker(0);
        try {
            int port = broker.start();
            assertThat(port).isPositive();
            assertThat(broker.port()).isEqualTo(port);
            assertThat(broker.start()).as("a second start returns the running broker's port").isEqualTo(port);
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                assertThat(s.isConnected()).isTrue();
            }
        } finally {
            broker.stop(null);
        }
        assertThat(broker.port()).isZero();
    }

    @Test
    void aTakenPortIsNamedAndNothingRuns() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            EmbeddedBroker broker = broker(taken.getLocalPort());
            assertThatThrownBy(broker::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot start the embedded MQTT broker on 127.0.0.1:" + taken.getLocalPort());
            assertThat(broker.port()).isZero();
        }
    }

    private EmbeddedBroker broker(int port) {
        EmbeddedBroker b = new EmbeddedBroker();
        b.config = (MqttConfig) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {MqttConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "host" -> "127.0.0.1";
                    case "port" -> port;
                    case "maxMessageSize" -> new MemorySize(java.math.BigInteger.valueOf(256 * 1024));
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        b.continuum = (ContinuumConfig) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ContinuumConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "dataDir" -> dataDir;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return b;
    }
}
