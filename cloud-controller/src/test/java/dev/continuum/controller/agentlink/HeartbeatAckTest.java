package dev.continuum.controller.agentlink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.continuum.controller.support.Api;
import dev.continuum.proto.v1.AgentLinkGrpc;
import dev.continuum.proto.v1.AgentMessage;
import dev.continuum.proto.v1.ControllerMessage;
import dev.continuum.proto.v1.DeviceEnrolmentGrpc;
import dev.continuum.proto.v1.EnrolRequest;
import dev.continuum.proto.v1.EnrolResponse;
import dev.continuum.proto.v1.Heartbeat;
import dev.continuum.proto.v1.Hello;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The controller answers every heartbeat on the sync stream with its nanos, interleaved safely with desired states. */
@QuarkusTest
@TestProfile(AgentLinkProfile.class)
class HeartbeatAckTest {
    @TestHTTPResource("/")
    URL controller;

    @Test
    void everyHeartbeatIsAcknowledgedWithItsNanosUnchanged() throws Exception {
        ManagedChannel ch = NettyChannelBuilder.forAddress(controller.getHost(), controller.getPort()).usePlaintext().build();
        try {
            String token = Api.admin().contentType(ContentType.JSON).body(Map.of("name", "heartbeat"))
                    .post("/api/v1/bootstrap-tokens").then().statusCode(201).extract().path("token");
            EnrolResponse device = DeviceEnrolmentGrpc.newBlockingStub(ch).enrol(EnrolRequest.newBuilder()
                    .setBootstrapToken(token).setName("heartbeat").build());
            LinkedBlockingQueue<ControllerMessage> got = new LinkedBlockingQueue<>();
            StreamObserver<AgentMessage> sync = AgentLinkGrpc.newStub(ch).withCallCredentials(bearer(device.getCredential()))
                    .sync(new StreamObserver<>() {
                        @Override
                        public void onNext(ControllerMessage m) {
                            got.add(m);
                        }

                        @Override
                        public void onError(Throwable t) {
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            sync.onNext(AgentMessage.newBuilder().setHello(Hello.newBuilder().setAgentVersion("test")).build());
            ControllerMessage first = got.poll(20, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(first.hasDesiredState()).isTrue();

            for (long nanos : new long[] {42, -7, Long.MAX_VALUE}) {
                sync.onNext(AgentMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder().setSentAtMillis(1)
                        .setSentAtNanos(nanos)).build());
            }
            List<Long> acks = new ArrayList<>();
            while (acks.size() < 3) {
                ControllerMessage m = got.poll(20, TimeUnit.SECONDS);
                assertThat(m).as("heartbeat acks so far: %s", acks).isNotNull();
                if (m.hasHeartbeatAck()) {
                    acks.add(m.getHeartbeatAck().getSentAtNanos());
                }
            }
            assertThat(acks).containsExactly(42L, -7L, Long.MAX_VALUE);
            sync.onCompleted();
        } finally {
            ch.shutdownNow();
        }
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
}
