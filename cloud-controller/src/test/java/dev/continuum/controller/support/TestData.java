package dev.continuum.controller.support;

import dev.continuum.controller.registry.ArtifactStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hibernate.Session;

/** Resets the datastore and artifact store between tests, and lets tests look behind the API. */
@ApplicationScoped
public class TestData {
    @Inject
    Session db;

    @Inject
    ArtifactStore store;

    /** Removes everything but the admin token installed from configuration. */
    @Transactional
    public void reset() {
        db.createMutationQuery("delete from RolloutMemberEntity").executeUpdate();
        db.createMutationQuery("delete from RolloutEntity").executeUpdate();
        db.createMutationQuery("delete from PlacementDecisionEntity").executeUpdate();
        db.createMutationQuery("delete from PlacementPinEntity").executeUpdate();
        db.createMutationQuery("delete from PlacementEntity").executeUpdate();
        db.createNativeMutationQuery("delete from telemetry_raw").executeUpdate();
        db.createNativeMutationQuery("delete from telemetry_rollups").executeUpdate();
        db.createNativeMutationQuery("delete from telemetry_batches").executeUpdate();
        db.createNativeMutationQuery("delete from device_vitals").executeUpdate();
        db.createMutationQuery("delete from AliasEntity").executeUpdate();
        db.createMutationQuery("delete from ModelVersionEntity").executeUpdate();
        db.createMutationQuery("delete from ModelEntity").executeUpdate();
        db.createNativeMutationQuery("delete from device_labels").executeUpdate();
        db.createMutationQuery("delete from Device").executeUpdate();
        db.createMutationQuery("delete from BootstrapToken").executeUpdate();
        db.createMutationQuery("delete from ApiToken where createdBy is null or createdBy <> 'controller'").executeUpdate();
        db.createMutationQuery("update ApiToken set revokedAt = null").executeUpdate();
        TestDirs.deleteTree(store.artifactsRoot());
    }

    @Transactional
    public List<String> tokenHashes() {
        return db.createSelectionQuery("select tokenHash from ApiToken", String.class).getResultList();
    }

    /** Every file in the artifact store. */
    public List<Path> storedArtifacts() {
        return files(store.artifactsRoot());
    }

    /** Every file left in the upload temp directory. */
    public List<Path> tempFiles() {
        return files(store.artifactsRoot().getParent().getParent().resolve("tmp"));
    }

    private static List<Path> files(Path root) {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
