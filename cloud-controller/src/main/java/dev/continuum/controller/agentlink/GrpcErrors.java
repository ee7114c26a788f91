package dev.continuum.controller.agentlink;

import dev.continuum.controller.common.ApiException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.jboss.logging.Logger;

/** Maps the controller's typed errors to gRPC statuses, keeping the message that names the bad input. */
final class GrpcErrors {
    private static final Logger LOG = Logger.getLogger(GrpcErrors.class);

    private GrpcErrors() {
    }

    static StatusRuntimeException of(Throwable t) {
        if (t instanceof StatusRuntimeException s) {
            return s;
        }
        if (t instanceof ApiException e) {
            Status s = switch (e.status()) {
                case 400, 422 -> Status.INVALID_ARGUMENT;
                case 401 -> Status.UNAUTHENTICATED;
                case 403 -> Status.PERMISSION_DENIED;
                case 404 -> Status.NOT_FOUND;
                case 409, 412 -> Status.FAILED_PRECONDITION;
                default -> Status.INTERNAL;
            };
            String detail = e.getMessage();
            return s.withDescription(e.field() == null ? detail : e.field() + ": " + detail).asRuntimeException();
        }
        LOG.error("agent-link call failed", t);
        return Status.INTERNAL.withDescription("internal error; see the controller log").asRuntimeException();
    }
}
