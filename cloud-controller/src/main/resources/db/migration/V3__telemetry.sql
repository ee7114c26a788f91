-- Continuum controller schema v3: telemetry. Batches seen (for exactly-once counting), raw per-batch
-- rows and per-minute rollups of model telemetry, the latest vitals per device, whether a device is
-- online, and the Mosquitto password hash of each device credential.
-- Histograms are serialized continuum.v1.LatencyHistogram messages (see telemetry.proto).

ALTER TABLE devices ADD COLUMN online BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE devices ADD COLUMN online_changed_at TIMESTAMP WITH TIME ZONE;

-- mosquitto 2.0 password-file hash ($7$ PBKDF2-SHA512) of the credential; null for devices enrolled before v3
ALTER TABLE device_credentials ADD COLUMN mqtt_password_hash VARCHAR(200);

-- every (device, sequence) ingested: a redelivered batch finds its row and is not counted again
CREATE TABLE telemetry_batches (
    device_id      VARCHAR(128)             NOT NULL,
    batch_sequence BIGINT                   NOT NULL,
    received_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (device_id, batch_sequence)
);
CREATE INDEX ix_telemetry_batches_received ON telemetry_batches (received_at);

-- one row per batch and (model, version, placement); kept for continuum.telemetry.raw-retention
CREATE TABLE telemetry_raw (
    device_id           VARCHAR(128)             NOT NULL,
    batch_sequence      BIGINT                   NOT NULL,
    model_name          VARCHAR(128)             NOT NULL,
    version             VARCHAR(128)             NOT NULL,
    placement           VARCHAR(16)              NOT NULL,
    window_start_millis BIGINT                   NOT NULL,
    window_end_millis   BIGINT                   NOT NULL,
    -- the window's end as the controller files it (the agent's clock, unless it ran ahead)
    recorded_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    requests            BIGINT                   NOT NULL,
    errors              BIGINT                   NOT NULL,
    histogram           BYTEA                    NOT NULL,
    PRIMARY KEY (device_id, batch_sequence, model_name, version, placement)
);
CREATE INDEX ix_telemetry_raw_device_time ON telemetry_raw (device_id, recorded_at);
CREATE INDEX ix_telemetry_raw_model_time ON telemetry_raw (model_name, version, recorded_at);
CREATE INDEX ix_telemetry_raw_time ON telemetry_raw (recorded_at);

-- the sum of the raw rows of one minute; kept for continuum.telemetry.rollup-retention
CREATE TABLE telemetry_rollups (
    device_id    VARCHAR(128)             NOT NULL,
    minute_start TIMESTAMP WITH TIME ZONE NOT NULL,
    model_name   VARCHAR(128)             NOT NULL,
    version      VARCHAR(128)             NOT NULL,
    placement    VARCHAR(16)              NOT NULL,
    requests     BIGINT                   NOT NULL,
    errors       BIGINT                   NOT NULL,
    histogram    BYTEA                    NOT NULL,
    PRIMARY KEY (device_id, minute_start, model_name, version, placement)
);
CREATE INDEX ix_telemetry_rollups_model_time ON telemetry_rollups (model_name, version, minute_start);
CREATE INDEX ix_telemetry_rollups_time ON telemetry_rollups (minute_start);

-- the vitals of each device's newest batch (highest sequence)
CREATE TABLE device_vitals (
    device_id               VARCHAR(128)             NOT NULL PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
    batch_sequence          BIGINT                   NOT NULL,
    reported_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    cpu_load                DOUBLE PRECISION,
    memory_used_bytes       BIGINT,
    memory_total_bytes      BIGINT,
    rtt_p50_micros          BIGINT,
    rtt_p95_micros          BIGINT,
    uplink_bytes_per_second BIGINT,
    outbox_dropped_total    BIGINT                   NOT NULL,
    outbox_backlog          BIGINT                   NOT NULL
);
