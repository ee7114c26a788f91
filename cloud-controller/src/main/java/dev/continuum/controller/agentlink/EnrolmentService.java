package dev.continuum.controller.agentlink;

import dev.continuum.controller.auth.BootstrapToken;
import dev.continuum.controller.auth.Secrets;
import dev.continuum.controller.common.Json;
import dev.continuum.controller.common.Names;
import dev.continuum.controller.common.Times;
import dev.continuum.controller.common.UnauthenticatedException;
import dev.continuum.controller.fleet.Device;
import dev.continuum.controller.telemetry.mosquitto.MosquittoPasswords;
import dev.continuum.proto.v1.DeviceProfile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import dev.continuum.controller.common.InvalidInputException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * Enrolment: a bootstrap token (unexpired, unrevoked, uses left) buys a new device in the fleet and
 * its credential. The token's use is counted under a row lock, so {@code maxUses} holds under
 * concurrent enrolments. An enrolment carrying the agent's enrolment id is idempotent: when the token
 * already enrolled a device under that id (the agent never got the answer: a timeout, a lost connection,
 * a commit the client saw fail), the retry gets that device back with a new credential, and the token's
 * use is not counted twice.
 */
@ApplicationScoped
public class EnrolmentService {
    private static final Logger LOG = Logger.getLogger(EnrolmentService.class);
    private static final Pattern ENROLMENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    @Inject
    Session db;

    /** A new device's id and its credential (the secret leaves the controller only here). */
    public record Enrolled(String deviceId, String credential) {
    }

    @Transactional
    public Enrolled enrol(String bootstrapToken, String name, Map<String, String> labels, DeviceProfile profile,
                          String agentVersion) {
        return enrol(bootstrapToken, name, labels, profile, agentVersion, null);
    }

    /** As {@link #enrol(String, String, Map, DeviceProfile, String)}; idempotent per non-empty {@code enrolmentId}. */
    @Transactional
    public Enrolled enrol(String bootstrapToken, String name, Map<String, String> labels, DeviceProfile profile,
                          String agentVersion, String enrolmentId) {
        String retryKey = enrolmentId == null || enrolmentId.isEmpty() ? null : enrolmentId;
        if (retryKey != null && !ENROLMENT_ID.matcher(retryKey).matches()) {
            throw new InvalidInputException("enrolment_id", "enrolment_id must be 1 to 64 of A-Z a-z 0-9 _ -");
        }
        if (bootstrapToken == null || bootstrapToken.isBlank()) {
            throw new UnauthenticatedException("enrolment needs a bootstrap token");
        }
        BootstrapToken t = db.createSelectionQuery("from BootstrapToken where tokenHash = :h", BootstrapToken.class)
                .setParameter("h", Secrets.sha256(bootstrapToken.trim()))
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).uniqueResult();
        Instant now = Times.now();
        if (t == null) {
            throw new UnauthenticatedException("the bootstrap token is not known to this controller");
        }
        if (t.revokedAt != null) {
            throw new UnauthenticatedException("bootstrap token " + t.id + " was revoked at " + t.revokedAt);
        }
        if (!t.expiresAt.isAfter(now)) {
            throw new UnauthenticatedException("bootstrap token " + t.id + " expired at " + t.expiresAt);
        }
        if (retryKey != null) {
            DeviceCredential earlier = db.createSelectionQuery("from DeviceCredential where bootstrapTokenId = :t "
                    + "and enrolmentId = :e", DeviceCredential.class).setParameter("t", t.id)
                    .setParameter("e", retryKey).uniqueResult();
            if (earlier != null) {
                String credential = DeviceSecrets.newCredential();
                earlier.credentialHash = Secrets.sha256(credential);
                earlier.mqttPasswordHash = MosquittoPasswords.hash(credential);
                LOG.infof("device %s answered again: a retried enrolment with bootstrap token %s (a new credential; "
                        + "the token is not used again)", earlier.deviceId, t.id);
                return new Enrolled(earlier.deviceId, credential);
            }
        }
        if (t.maxUses != null && t.uses >= t.maxUses) {
            throw new UnauthenticatedException("bootstrap token " + t.id + " has been used " + t.uses + " of "
                    + t.maxUses + " times");
        }
        Names.displayName("name", name);
        Names.labels("labels", labels);
        Map<String, String> all = new TreeMap<>(labels == null ? Map.of() : labels);
        all.putAll(Json.readLabels(t.labelsJson));
        t.uses++;

        Device d = new Device();
        d.id = DeviceSecrets.newDeviceId();
        d.name = name;
        d.labels.putAll(all);
        d.installedModelsJson = "[]";
        d.agentVersion = agentVersion == null || agentVersion.isBlank() ? null : agentVersion;
        DeviceStatusService.applyProfile(d, profile);
        d.lastSeenAt = now;
        d.createdAt = now;
        d.updatedAt = now;
        db.persist(d);

        String credential = DeviceSecrets.newCredential();
        DeviceCredential c = new DeviceCredential();
        c.deviceId = d.id;
        c.credentialHash = Secrets.sha256(credential);
        c.mqttPasswordHash = MosquittoPasswords.hash(credential);
        c.bootstrapTokenId = t.id;
        c.enrolmentId = retryKey;
        c.createdAt = now;
        db.persist(c);
        LOG.infof("device %s ('%s') enrolled with bootstrap token %s", d.id, name, t.id);
        return new Enrolled(d.id, credential);
    }

    /** The device a credential belongs to. */
    @Transactional
    public String authenticate(String credential) {
        DeviceCredential c = db.createSelectionQuery("from DeviceCredential where credentialHash = :h", DeviceCredential.class)
                .setParameter("h", Secrets.sha256(credential)).uniqueResult();
        if (c == null) {
            throw new UnauthenticatedException("the device credential is not known to this controller "
                    + "(the device may have been deleted; enrol it again)");
        }
        return c.deviceId;
    }
}
