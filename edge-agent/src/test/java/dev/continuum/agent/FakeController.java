package dev.continuum.agent;

import com.google.protobuf.ByteString;
import dev.continuum.proto.v1.ActualState;
import dev.continuum.proto.v1.AgentLinkGrpc;
import dev.continuum.proto.v1.AgentMessage;
import dev.continuum.proto.v1.ArtifactTransferGrpc;
import dev.continuum.proto.v1.Chunk;
import dev.continuum.proto.v1.ControllerMessage;
import dev.continuum.proto.v1.DesiredState;
import dev.continuum.proto.v1.DeviceEnrolmentGrpc;
import dev.continuum.proto.v1.EnrolRequest;
import dev.continuum.proto.v1.EnrolResponse;
import dev.continuum.proto.v1.FetchRequest;
import dev.continuum.proto.v1.HeartbeatAck;
import dev.continuum.proto.v1.ModelAssignment;
import dev.continuum.proto.v1.Placement;
import dev.continuum.proto.v1.TelemetryEndpoint;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

/**
 * A stand-in for the controller's agent link on a real port: enrols with one token, pushes a desired
 * state with LeNet, serves its bytes. It can be stopped and started again on the same port.
 */
public final class FakeController implements AutoCloseable {
    static final Path LENET = Path.of("..", "tensor-engine", "src", "test", "resources", "models", "lenet", "model.onnx");
    public static final String TOKEN = "ctb_fake";

    final byte[] artifact = lenetBytes();
    final String sha256 = sha256(artifact);
    final AtomicInteger hellos = new AtomicInteger();
    final AtomicInteger fetches = new AtomicInteger();
    final AtomicReference<ActualState> lastState = new AtomicReference<>();
    private final Map<String, byte[]> artifacts = new ConcurrentHashMap<>(Map.of(sha256, artifact));
    private final Set<StreamObserver<ControllerMessage>> streams = ConcurrentHashMap.newKeySet();
    private volatile DesiredState desired;
    private volatile String deviceId = "dev-fake";
    private volatile TelemetryEndpoint telemetry = TelemetryEndpoint.getDefaultInstance();
    private Server server;
    private int port;

    public static byte[] lenetBytes() {
        try {
            return Files.readAllBytes(LENET);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public FakeController start(int port) throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .withOption(ChannelOption.SO_REUSEADDR, true)
                .addService(new Enrolment()).addService(new Link()).addService(new Transfer()).build().start();
        this.port = server.getPort();
        return this;
    }

    public int port() {
        return port;
    }

    /** The device id the next enrolment gets. */
    public FakeController deviceId(String id) {
        deviceId = id;
        return this;
    }

    /** The telemetry endpoint enrolment answers with. */
    public FakeController telemetry(TelemetryEndpoint endpoint) {
        telemetry = endpoint;
        return this;
    }

    public void stop() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** Makes artifacts fetchable. */
    void publish(byte[]... bytes) {
        for (byte[] b : bytes) {
            artifacts.put(sha256(b), b);
        }
    }

    /** Replaces the desired state and pushes it to every open sync stream. */
    public void setDesired(DesiredState state) {
        desired = state;
        for (StreamObserver<ControllerMessage> out : streams) {
            synchronized (out) {
                out.onNext(ControllerMessage.newBuilder().setDesiredState(state).build());
            }
        }
    }

    public DesiredState desired() {
        if (desired != null) {
            return desired;
        }
        return DesiredState.newBuilder().setDeviceId(deviceId).setRevision(1).addModels(ModelAssignment.newBuilder()
                .setModel("lenet").setVersion("1").setSha256(sha256).setSizeBytes(artifact.length)
                .setPlacement(Placement.EDGE)).build();
    }

    private final class Enrolment extends DeviceEnrolmentGrpc.DeviceEnrolmentImplBase {
        @Override
        public void enrol(EnrolRequest req, StreamObserver<EnrolResponse> out) {
            if (!req.getBootstrapToken().equals(TOKEN)) {
                out.onError(Status.UNAUTHENTICATED.withDescription("unknown bootstrap token").asRuntimeException());
                return;
            }
            out.onNext(EnrolResponse.newBuilder().setDeviceId(deviceId).setCredential("ctd_fake").setTelemetry(telemetry)
                    .build());
            out.onCompleted();
        }
    }

    private final class Link extends AgentLinkGrpc.AgentLinkImplBase {
        @Override
        public StreamObserver<AgentMessage> sync(StreamObserver<ControllerMessage> out) {
            streams.add(out);
            return new StreamObserver<>() {
                @Override
                public void onNext(AgentMessage m) {
                    if (m.hasActualState()) {
                        lastState.set(m.getActualState());
                    }
                    if (m.hasHeartbeat()) {
                        synchronized (out) {
                            out.onNext(ControllerMessage.newBuilder().setHeartbeatAck(HeartbeatAck.newBuilder()
                                    .setSentAtNanos(m.getHeartbeat().getSentAtNanos())).build());
                        }
                    }
                    if (m.hasHello()) {
                        hellos.incrementAndGet();
                        synchronized (out) {
                            out.onNext(ControllerMessage.newBuilder().setDesiredState(desired()).build());
                        }
                    }
                }

                @Override
                public void onError(Throwable t) {
                    streams.remove(out);
                }

                @Override
                public void onCompleted() {
                    streams.remove(out);
                    synchronized (out) {
                        out.onCompleted();
                    }
                }
            };
        }
    }

    private final class Transfer extends ArtifactTransferGrpc.ArtifactTransferImplBase {
        @Override
        public void fetch(FetchRequest req, StreamObserver<Chunk> out) {
            fetches.incrementAndGet();
            byte[] artifact = artifacts.get(req.getSha256());
            if (artifact == null) {
                out.onError(Status.PERMISSION_DENIED.withDescription("not assigned").asRuntimeException());
                return;
            }
            int size = req.getChunkSize() == 0 ? 65536 : req.getChunkSize();
            for (long pos = req.getOffset(); pos < artifact.length; pos += size) {
                int n = (int) Math.min(size, artifact.length - pos);
                CRC32C crc = new CRC32C();
                crc.update(artifact, (int) pos, n);
                out.onNext(Chunk.newBuilder().setOffset(pos).setData(ByteString.copyFrom(artifact, (int) pos, n))
                        .setCrc32C((int) crc.getValue()).setTotalSize(artifact.length).build());
            }
            out.onCompleted();
        }
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
