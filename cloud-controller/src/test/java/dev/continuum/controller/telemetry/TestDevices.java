package dev.continuum.controller.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuum.controller.support.Api;
import dev.continuum.proto.v1.AgentLinkGrpc;
import dev.continuum.proto.v1.AgentMessage;
import dev.continuum.proto.v1.ControllerMessage;
import dev.continuum.proto.v1.DeviceEnrolmentGrpc;
import dev.continuum.proto.v1.EnrolRequest;
import dev.continuum.proto.v1.EnrolResponse;
import dev.continuum.proto.v1.Hello;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.restassured.http.ContentType;
import java.net.URL;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Devices enrolled the way agents enrol: a bootstrap token from the REST API, then gRPC {@code Enrol}. */
final class TestDevices implements AutoCloseable {
    private final ManagedChannel channel;

    TestDevices(URL controller) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", controller.getPort()).usePlaintext().build();
    }

    EnrolResponse enrol(String name) {
        String token = Api.admin().contentType(ContentType.JSON).body(Map.of("name", "telemetry-test", "maxUses", 1))
                .post("/api/v1/bootstrap-tokens").then().statusCode(201).extract().path("token");
        return DeviceEnrolmentGrpc.newBlockingStub(channel).enrol(EnrolRequest.newBuilder().setBootstrapToken(token)
                .setName(name).setAgentVersion("test").build());
    }

    /** The first message on a device's sync stream (its desired state). */
    ControllerMessage firstMessage(String credential) throws InterruptedException {
        LinkedBlockingQueue<Object> got = new LinkedBlockingQueue<>();
        StreamObserver<AgentMessage> req = AgentLinkGrpc.newStub(channel).withCallCredentials(bearer(credential))
                .sync(new StreamObserver<>() {
                    @Override
                    public void onNext(ControllerMessage m) {
                        got.add(m);
                    }

                    @Override
                    public void onError(Throwable t) {
                        got.add(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        req.onNext(AgentMessage.newBuilder().setHello(Hello.newBuilder().setAgentVersion("test")).build());
        Object first = got.poll(10, TimeUnit.SECONDS);
        req.onCompleted();
        assertThat(first).isInstanceOf(ControllerMessage.class);
        return (ControllerMessage) first;
    }

    private static CallCredentials bearer(String credential) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata m = new Metadata();
                m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + credential);
                applier.apply(m);
            }
        };
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
