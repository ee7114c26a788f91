package dev.continuum.controller.agentlink;

import dev.continuum.controller.telemetry.broker.TelemetryEndpoints;
import dev.continuum.proto.v1.DeviceEnrolmentGrpc;
import dev.continuum.proto.v1.EnrolRequest;
import dev.continuum.proto.v1.EnrolResponse;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import jakarta.inject.Inject;

/** {@code continuum.v1.DeviceEnrolment}: translates to {@link EnrolmentService} on a worker thread. */
@GrpcService
public class EnrolmentGrpcService extends DeviceEnrolmentGrpc.DeviceEnrolmentImplBase {
    @Inject
    EnrolmentService enrolment;

    @Inject
    AgentLinkExecutor executor;

    @Inject
    TelemetryEndpoints telemetry;

    @Override
    public void enrol(EnrolRequest req, StreamObserver<EnrolResponse> out) {
        executor.database().execute(() -> {
            EnrolmentService.Enrolled e;
            try {
                e = enrolment.enrol(req.getBootstrapToken(), req.getName(), req.getLabelsMap(),
                        req.hasProfile() ? req.getProfile() : null, req.getAgentVersion(), req.getEnrolmentId());
            } catch (RuntimeException ex) {
                out.onError(GrpcErrors.of(ex));
                return;
            }
            out.onNext(EnrolResponse.newBuilder().setDeviceId(e.deviceId()).setCredential(e.credential())
                    .setTelemetry(telemetry.forDevices()).build());
            out.onCompleted();
        });
    }
}
