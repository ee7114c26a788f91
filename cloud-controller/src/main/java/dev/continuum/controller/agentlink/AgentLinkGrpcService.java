package dev.continuum.controller.agentlink;

import dev.continuum.proto.v1.AgentLinkGrpc;
import dev.continuum.proto.v1.AgentMessage;
import dev.continuum.proto.v1.ControllerMessage;
import dev.continuum.proto.v1.DesiredState;
import dev.continuum.proto.v1.HeartbeatAck;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import jakarta.inject.Inject;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * {@code continuum.v1.AgentLink.Sync}: one stream per connected agent. On open, the device is
 * authenticated and sent its desired state; afterwards it is sent again whenever the
 * {@link DesiredStateNotifier} reports a change and the revision differs from the last one sent.
 * What the agent sends (hello, actual state, heartbeats) is recorded in order on the stream's own
 * serial executor. A heartbeat is answered with a {@code HeartbeatAck} at once, on the thread that
 * received it (not behind the recording), so the agent measures the network round trip; every send
 * on the stream holds the stream's send lock, as gRPC stream observers are not thread-safe.
 */
@GrpcService
public class AgentLinkGrpcService extends AgentLinkGrpc.AgentLinkImplBase {
    private static final Logger LOG = Logger.getLogger(AgentLinkGrpcService.class);

    @Inject
    EnrolmentService enrolment;

    @Inject
    DesiredStateService desired;

    @Inject
    DeviceStatusService status;

    @Inject
    DesiredStateNotifier notifier;

    @Inject
    AgentLinkExecutor executor;

    @Override
    public StreamObserver<AgentMessage> sync(StreamObserver<ControllerMessage> responses) {
        Stream s = new Stream((ServerCallStreamObserver<ControllerMessage>) responses,
                DeviceAuthInterceptor.CREDENTIAL.get(), executor.serial());
        s.serial.execute(s::open);
        return s;
    }

    /** The server side of one sync stream. */
    private final class Stream implements StreamObserver<AgentMessage>, DesiredStateNotifier.Listener {
        private final ServerCallStreamObserver<ControllerMessage> out;
        private final String credential;
        private final Executor serial;
        private volatile String deviceId;
        private final Object sendLock = new Object();
        private long sentRevision = -1;
        private volatile boolean closed;

        Stream(ServerCallStreamObserver<ControllerMessage> out, String credential, Executor serial) {
            this.out = out;
            this.credential = credential;
            this.serial = serial;
            out.setOnCancelHandler(() -> serial.execute(this::close));
        }

        /** Runs first on the serial executor: authenticate, subscribe, send the current desired state. */
        void open() {
            try {
                deviceId = enrolment.authenticate(credential);
            } catch (RuntimeException e) {
                closed = true;
                synchronized (sendLock) {
                    out.onError(GrpcErrors.of(e));
                }
                return;
            }
            notifier.register(deviceId, this);
            LOG.debugf("device %s opened its sync stream", deviceId);
            push();
        }

        @Override
        public void changed() {
            serial.execute(this::push);
        }

        private void push() {
            if (closed || deviceId == null) {
                return;
            }
            try {
                DesiredState state = desired.desiredState(deviceId);
                if (state.getRevision() != sentRevision) {
                    sentRevision = state.getRevision();
                    send(ControllerMessage.newBuilder().setDesiredState(state).build());
                }
            } catch (RuntimeException e) {
                LOG.warnf("cannot send the desired state to device %s: %s", deviceId, e.toString());
            }
        }

        /** Sends one message unless the stream is closed or cancelled; safe from any thread. */
        private void send(ControllerMessage m) {
            synchronized (sendLock) {
                if (!closed && !out.isCancelled()) {
                    out.onNext(m);
                }
            }
        }

        @Override
        public void onNext(AgentMessage m) {
            if (m.hasHeartbeat() && deviceId != null && !closed) {
                try {
                    send(ControllerMessage.newBuilder().setHeartbeatAck(
                            HeartbeatAck.newBuilder().setSentAtNanos(m.getHeartbeat().getSentAtNanos())).build());
                } catch (RuntimeException e) {
                    LOG.debugf("cannot acknowledge the heartbeat of device %s: %s", deviceId, e.toString());
                }
            }
            serial.execute(() -> {
                if (closed || deviceId == null) {
                    return;
                }
                try {
                    switch (m.getKindCase()) {
                        case HELLO -> status.hello(deviceId, m.getHello().getAgentVersion(), m.getHello().getProfile(),
                                m.getHello().getActualState());
                        case ACTUAL_STATE -> status.actualState(deviceId, m.getActualState());
                        case HEARTBEAT -> status.heartbeat(deviceId);
                        case KIND_NOT_SET -> LOG.debugf("device %s sent an empty message", deviceId);
                    }
                } catch (RuntimeException e) {
                    LOG.warnf("cannot record the report of device %s: %s", deviceId, e.toString());
                }
            });
        }

        @Override
        public void onError(Throwable t) {
            serial.execute(this::close);
        }

        @Override
        public void onCompleted() {
            serial.execute(() -> {
                if (!closed) {
                    close();
                    synchronized (sendLock) {
                        out.onCompleted();
                    }
                }
            });
        }

        private void close() {
            closed = true;
            if (deviceId != null) {
                notifier.unregister(deviceId, this);
            }
        }
    }
}
