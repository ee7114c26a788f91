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
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * Enrolment: a bootstrap token (unexpired, unrevoked, uses left) buys a new device in the fleet and
 * its credential. The token's use is counted under a row lock, so {@code maxUses} holds under
 * concurrent enrolments.
 */
@ApplicationScoped
public class EnrolmentService {
    private static final Logger LOG = Logger.getLogger(EnrolmentService.class);

    @Inject
    Session db;

    /** A new device's id and its credential (the secret leaves the controller only here). */
    public record Enrolled(String deviceId, String credential) {
    }

    @Transactional
    public Enrolled enrol(String bootstrapToken, String name, Map<String, String> labels, DeviceProfile profile,
                          String agentVersion) {
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
