package dev.continuum.controller.telemetry.ingest;

import dev.continuum.proto.telemetry.MergeableHistogram;

/** One batch's requests for one model version and placement, histogram already validated. */
record ModelRow(String model, String version, String placement, long requests, long errors,
                MergeableHistogram latency) {
    ModelRow plus(ModelRow o) {
        MergeableHistogram h = new MergeableHistogram();
        h.add(latency);
        h.add(o.latency);
        return new ModelRow(model, version, placement, requests + o.requests, errors + o.errors, h);
    }
}
