package dev.continuum.controller.telemetry.ingest;

/** A message the parser refuses, with the result it is counted under and why. */
final class RejectedMessage extends Exception {
    private final IngestResult result;

    RejectedMessage(IngestResult result, String detail) {
        super(detail, null, false, false);
        this.result = result;
    }

    IngestResult result() {
        return result;
    }
}
