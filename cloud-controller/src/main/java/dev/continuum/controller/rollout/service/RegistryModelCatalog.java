package dev.continuum.controller.rollout.service;

import dev.continuum.controller.rollout.ModelCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.hibernate.Session;

/** {@link ModelCatalog} over the registry's tables. Joins the caller's transaction. */
@ApplicationScoped
public class RegistryModelCatalog implements ModelCatalog {
    @Inject
    Session db;

    @Override
    public Optional<String> aliasTarget(String model, String alias) {
        return db.createSelectionQuery("select a.target.version from AliasEntity a where a.model.name = :m "
                + "and a.name = :a", String.class).setParameter("m", model).setParameter("a", alias)
                .uniqueResultOptional();
    }

    @Override
    public boolean versionExists(String model, String version) {
        return db.createSelectionQuery("select count(*) from ModelVersionEntity v where v.model.name = :m "
                        + "and v.version = :v", Long.class).setParameter("m", model).setParameter("v", version)
                .getSingleResult() > 0;
    }
}
