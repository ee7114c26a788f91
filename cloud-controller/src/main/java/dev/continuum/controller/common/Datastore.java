package dev.continuum.controller.common;

import io.quarkus.arc.InjectableInstance;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.hibernate.Session;

/**
 * Produces the one Hibernate {@link Session} services use. Two persistence units exist over the same
 * entities — {@code embedded} (H2) and {@code postgresql} — because Quarkus fixes a datasource's
 * database kind at build time; {@code continuum.datastore} activates exactly one of them at runtime
 * (see application.properties), and this producer hands out whichever is active.
 */
@ApplicationScoped
public class Datastore {
    @Inject
    @PersistenceUnit("embedded")
    InjectableInstance<Session> embedded;

    @Inject
    @PersistenceUnit("postgresql")
    InjectableInstance<Session> postgresql;

    @Produces
    @ApplicationScoped
    Session session() {
        if (embedded.getHandle().getBean().isActive()) {
            return embedded.get();
        }
        if (postgresql.getHandle().getBean().isActive()) {
            return postgresql.get();
        }
        throw new IllegalStateException("no persistence unit is active: set continuum.datastore to embedded or postgresql");
    }
}
