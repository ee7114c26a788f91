package dev.continuum.controller.registry;

import dev.continuum.controller.common.Times;
import dev.continuum.controller.common.ConflictException;
import dev.continuum.controller.common.Etags;
import dev.continuum.controller.common.InvalidInputException;
import dev.continuum.controller.common.Json;
import dev.continuum.controller.common.Names;
import dev.continuum.controller.common.NotFoundException;
import dev.continuum.controller.common.Page;
import dev.continuum.controller.common.PageRequest;
import dev.continuum.controller.common.PreconditionFailedException;
import dev.continuum.controller.registry.Views.AliasView;
import dev.continuum.controller.registry.Views.ModelView;
import dev.continuum.controller.registry.Views.VersionView;
import dev.continuum.engine.ModelSummary;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.hibernate.Session;

/** Models, versions and aliases in the database; one transaction per method. Artifacts are {@link PublishService}'s. */
@ApplicationScoped
public class RegistryService {
    @Inject
    Session db;

    @Inject
    Instance<VersionInUseCheck> usageChecks;

    /** A representation and its ETag. */
    public record Tagged<T>(T value, String etag) {
    }

    /** The outcome of recording a version: {@code created} is false when identical bytes were already published. */
    public record Recorded(VersionView version, boolean created) {
    }

    // ---- models

    @Transactional
    public Page<ModelView> listModels(PageRequest page) {
        List<ModelEntity> rows = db.createSelectionQuery(
                        "from ModelEntity where name > :after order by name", ModelEntity.class)
                .setParameter("after", page.after() == null ? "" : page.after())
                .setMaxResults(page.limit() + 1).getResultList();
        return Page.of(rows, page, m -> m.name, this::view);
    }

    @Transactional
    public Tagged<ModelView> getModel(String name) {
        ModelEntity m = model(name);
        return new Tagged<>(view(m), Etags.of(m.rowVersion));
    }

    /** JSON merge patch of {@code description} and {@code labels} (a null label value removes the label). */
    @Transactional
    public Tagged<ModelView> patchModel(String name, String ifMatch, Optional<String> description, boolean setDescription,
                                        Map<String, String> labelChanges) {
        ModelEntity m = model(name);
        Etags.checkIfMatch(ifMatch, m.rowVersion);
        if (setDescription) {
            String d = description.orElse(null);
            if (d != null && d.length() > 4000) {
                throw new InvalidInputException("description", "description is longer than 4000 characters");
            }
            m.description = d;
        }
        if (labelChanges != null) {
            Names.labels("labels", labelChanges);
            Map<String, String> labels = Json.readLabels(m.labelsJson);
            labelChanges.forEach((k, v) -> {
                if (v == null) {
                    labels.remove(k);
                } else {
                    labels.put(k, v);
                }
            });
            m.labelsJson = Json.write(labels);
        }
        m.updatedAt = Times.now();
        db.flush();
        return new Tagged<>(view(m), Etags.of(m.rowVersion));
    }

    /** Deletes a model with its aliases and versions; returns the digests its versions used. */
    @Transactional
    public List<String> deleteModel(String name, String ifMatch) {
        ModelEntity m = model(name);
        Etags.checkIfMatch(ifMatch, m.rowVersion);
        List<ModelVersionEntity> versions = versionsOf(m);
        for (ModelVersionEntity v : versions) {
            checkNotInUse(v);
        }
        db.createSelectionQuery("from AliasEntity where model = :m", AliasEntity.class).setParameter("m", m)
                .getResultList().forEach(db::remove);
        db.flush();
        versions.forEach(db::remove);
        db.flush();
        db.remove(m);
        return versions.stream().map(v -> v.sha256).distinct().toList();
    }

    // ---- versions

    /**
     * Records a published version, creating its model on first use. Publishing the same bytes again
     * under the same version is a no-op (CI retries); different bytes are a conflict — versions are immutable.
     */
    @Transactional
    public Recorded recordVersion(String name, String version, String sha256, long sizeBytes, ModelSummary summary,
                                  String author) {
        Instant now = Times.now();
        ModelEntity m = findModel(name);
        if (m == null) {
            m = new ModelEntity();
            m.name = name;
            m.labelsJson = "{}";
            m.createdAt = now;
            m.updatedAt = now;
            db.persist(m);
            db.flush();
        }
        ModelVersionEntity existing = findVersion(m, version);
        if (existing != null) {
            if (existing.sha256.equals(sha256)) {
                return new Recorded(versionView(existing), false);
            }
            throw new ConflictException("version", "version '" + version + "' of model '" + name
                    + "' is already published with sha256 " + existing.sha256 + " and versions are immutable; "
                    + "publish these bytes (sha256 " + sha256 + ") as a new version")
                    .with("existingSha256", existing.sha256);
        }
        ModelVersionEntity v = new ModelVersionEntity();
        v.model = m;
        v.version = version;
        v.sha256 = sha256;
        v.sizeBytes = sizeBytes;
        Views.fill(v, summary);
        v.createdAt = now;
        v.createdBy = author;
        db.persist(v);
        db.flush();
        return new Recorded(versionView(v), true);
    }

    @Transactional
    public Page<VersionView> listVersions(String name, PageRequest page) {
        ModelEntity m = model(name);
        long after = 0;
        if (page.after() != null) {
            try {
                after = Long.parseLong(page.after());
            } catch (NumberFormatException e) {
                throw new InvalidInputException("cursor", "cursor is not one this API issued for versions");
            }
        }
        List<ModelVersionEntity> rows = db.createSelectionQuery(
                        "from ModelVersionEntity where model = :m and id > :after order by id", ModelVersionEntity.class)
                .setParameter("m", m).setParameter("after", after).setMaxResults(page.limit() + 1).getResultList();
        Map<Long, List<String>> aliases = aliasesByVersion(m);
        return Page.of(rows, page, v -> String.valueOf(v.id),
                v -> Views.version(v, aliases.getOrDefault(v.id, List.of())));
    }

    @Transactional
    public VersionView getVersion(String name, String version) {
        return versionView(version(model(name), version));
    }

    /** Deletes a version unless an alias or a rollout uses it; returns its artifact's digest. */
    @Transactional
    public String deleteVersion(String name, String version) {
        ModelVersionEntity v = version(model(name), version);
        List<String> aliases = aliasesByVersion(v.model).getOrDefault(v.id, List.of());
        if (!aliases.isEmpty()) {
            throw new ConflictException("version", "version '" + version + "' of model '" + name
                    + "' is the target of alias(es) " + aliases + "; move or delete them first")
                    .with("aliases", aliases);
        }
        checkNotInUse(v);
        db.remove(v);
        return v.sha256;
    }

    @Transactional
    public boolean isArtifactReferenced(String sha256) {
        return db.createSelectionQuery("select count(*) from ModelVersionEntity where sha256 = :s", Long.class)
                .setParameter("s", sha256).getSingleResult() > 0;
    }

    // ---- aliases

    @Transactional
    public List<AliasView> listAliases(String name) {
        ModelEntity m = model(name);
        return db.createSelectionQuery("from AliasEntity a join fetch a.target where a.model = :m order by a.name",
                AliasEntity.class).setParameter("m", m).getResultList().stream().map(Views::alias).toList();
    }

    @Transactional
    public Tagged<AliasView> getAlias(String name, String alias) {
        AliasEntity a = findAlias(model(name), alias);
        if (a == null) {
            throw new NotFoundException("alias", name + ":" + alias, "alias");
        }
        return new Tagged<>(Views.alias(a), Etags.of(a.rowVersion));
    }

    /** Points an alias at a version, creating it if needed; the boolean of the result says whether it was created. */
    @Transactional
    public Map.Entry<Tagged<AliasView>, Boolean> setAlias(String name, String alias, String version, String ifMatch,
                                                           String author) {
        Names.id("alias", alias);
        if (version == null) {
            throw new InvalidInputException("version", "version is required: {\"version\": \"<version>\"}");
        }
        ModelEntity m = model(name);
        ModelVersionEntity target = db.createSelectionQuery(
                        "from ModelVersionEntity where model = :m and version = :v", ModelVersionEntity.class)
                .setParameter("m", m).setParameter("v", version).uniqueResult();
        if (target == null) {
            throw new NotFoundException("version", name + ":" + version, "version");
        }
        AliasEntity a = findAlias(m, alias);
        boolean created = a == null;
        if (created) {
            if (ifMatch != null && !ifMatch.isBlank()) {
                throw new PreconditionFailedException(ifMatch, "(none: alias '" + alias + "' does not exist)");
            }
            a = new AliasEntity();
            a.model = m;
            a.name = alias;
        } else {
            Etags.checkIfMatch(ifMatch, a.rowVersion);
        }
        a.target = target;
        a.updatedAt = Times.now();
        a.updatedBy = author;
        if (created) {
            db.persist(a);
        }
        db.flush();
        return Map.entry(new Tagged<>(Views.alias(a), Etags.of(a.rowVersion)), created);
    }

    @Transactional
    public void deleteAlias(String name, String alias, String ifMatch) {
        AliasEntity a = findAlias(model(name), alias);
        if (a == null) {
            throw new NotFoundException("alias", name + ":" + alias, "alias");
        }
        Etags.checkIfMatch(ifMatch, a.rowVersion);
        db.remove(a);
    }

    // ---- helpers

    private ModelEntity findModel(String name) {
        return db.createSelectionQuery("from ModelEntity where name = :n", ModelEntity.class)
                .setParameter("n", name).uniqueResult();
    }

    private ModelEntity model(String name) {
        ModelEntity m = findModel(name);
        if (m == null) {
            throw new NotFoundException("model", name, "name");
        }
        return m;
    }

    private ModelVersionEntity findVersion(ModelEntity m, String version) {
        return db.createSelectionQuery("from ModelVersionEntity where model = :m and version = :v",
                ModelVersionEntity.class).setParameter("m", m).setParameter("v", version).uniqueResult();
    }

    private ModelVersionEntity version(ModelEntity m, String version) {
        ModelVersionEntity v = findVersion(m, version);
        if (v == null) {
            throw new NotFoundException("version", m.name + ":" + version, "version");
        }
        return v;
    }

    private AliasEntity findAlias(ModelEntity m, String alias) {
        return db.createSelectionQuery("from AliasEntity a join fetch a.target where a.model = :m and a.name = :n",
                AliasEntity.class).setParameter("m", m).setParameter("n", alias).uniqueResult();
    }

    private List<ModelVersionEntity> versionsOf(ModelEntity m) {
        return db.createSelectionQuery("from ModelVersionEntity where model = :m order by id", ModelVersionEntity.class)
                .setParameter("m", m).getResultList();
    }

    private Map<Long, List<String>> aliasesByVersion(ModelEntity m) {
        Map<Long, List<String>> out = new LinkedHashMap<>();
        for (AliasEntity a : db.createSelectionQuery("from AliasEntity a join fetch a.target where a.model = :m "
                + "order by a.name", AliasEntity.class).setParameter("m", m).getResultList()) {
            out.computeIfAbsent(a.target.id, k -> new ArrayList<>()).add(a.name);
        }
        return out;
    }

    private VersionView versionView(ModelVersionEntity v) {
        return Views.version(v, aliasesByVersion(v.model).getOrDefault(v.id, List.of()));
    }

    private ModelView view(ModelEntity m) {
        long count = db.createSelectionQuery("select count(*) from ModelVersionEntity where model = :m", Long.class)
                .setParameter("m", m).getSingleResult();
        String latest = db.createSelectionQuery("select version from ModelVersionEntity where model = :m "
                + "order by id desc", String.class).setParameter("m", m).setMaxResults(1).uniqueResult();
        Map<String, String> aliases = new TreeMap<>();
        for (AliasEntity a : db.createSelectionQuery("from AliasEntity a join fetch a.target where a.model = :m",
                AliasEntity.class).setParameter("m", m).getResultList()) {
            aliases.put(a.name, a.target.version);
        }
        return new ModelView(m.name, m.description, Json.readLabels(m.labelsJson), m.createdAt, m.updatedAt, count,
                latest, aliases);
    }

    private void checkNotInUse(ModelVersionEntity v) {
        for (VersionInUseCheck check : usageChecks) {
            Optional<String> reason = check.usedBy(v.model.name, v.version);
            if (reason.isPresent()) {
                throw new ConflictException("version", "version '" + v.version + "' of model '" + v.model.name
                        + "' is in use: " + reason.get()).with("usedBy", reason.get());
            }
        }
    }
}
