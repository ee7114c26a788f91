-- Continuum controller schema v5: idempotent enrolment. The agent's enrolment id, unique per bootstrap
-- token, lets a retried enrolment find the device its first attempt created instead of using the token
-- again (several NULLs are allowed: devices enrolled without one).
ALTER TABLE device_credentials ADD COLUMN enrolment_id VARCHAR(64);
CREATE UNIQUE INDEX uq_device_credentials_enrolment ON device_credentials (bootstrap_token_id, enrolment_id);
