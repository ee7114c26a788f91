package dev.continuum.controller.inference;

import dev.continuum.controller.common.NotFoundException;
import dev.continuum.controller.registry.RegistryService;
import dev.continuum.controller.registry.Views.ModelView;
import dev.continuum.controller.registry.Views.VersionView;
import dev.continuum.oip.OipException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Which published version a request means. An explicit version is that version, or, when the model
 * has no version of that name, the target of the alias of that name. No version means the target of
 * the model's {@value #DEFAULT_ALIAS} alias, or the most recently published version when the model
 * has no such alias. Answers are reused for {@code continuum.inference.resolve-cache-ttl}.
 */
@ApplicationScoped
public class VersionResolver {
    /** The alias a request without a version is served by, when the model has it. */
    public static final String DEFAULT_ALIAS = "latest";

    @Inject
    RegistryService registry;

    private TtlCache<Key, Resolved> cache;

    /** A published version to serve: its model, version and artifact. */
    public record Resolved(String model, String version, String sha256) {
        String describe() {
            return "model '" + model + "' version '" + version + "'";
        }
    }

    private record Key(String model, String version) {
    }

    @Inject
    void configure(InferenceConfig config) {
        cache = new TtlCache<>(config.resolveCacheTtl(), 10_000, System::nanoTime);
    }

    /**
     * @param version a version, an alias, or null or empty for the default
     * @throws OipException 404 naming the model, or the version or alias, that does not exist
     */
    public Resolved resolve(String model, String version) {
        return cache.get(new Key(model, version == null || version.isEmpty() ? null : version), this::lookup);
    }

    private Resolved lookup(Key k) {
        if (k.version() != null) {
            VersionView v = version(k.model(), k.version());
            if (v != null) {
                return new Resolved(v.model(), v.version(), v.sha256());
            }
        }
        ModelView m;
        try {
            m = registry.getModel(k.model()).value();
        } catch (NotFoundException e) {
            throw OipException.notFound("unknown model '" + k.model() + "'");
        }
        String target;
        if (k.version() != null) {
            target = m.aliases().get(k.version());
            if (target == null) {
                throw OipException.notFound("model '" + k.model() + "' has no version or alias '" + k.version() + "'");
            }
        } else {
            target = m.aliases().getOrDefault(DEFAULT_ALIAS, m.latestVersion());
            if (target == null) {
                throw OipException.notFound("model '" + k.model() + "' has no published version");
            }
        }
        VersionView v = version(k.model(), target);
        if (v == null) {
            throw OipException.notFound("model '" + k.model() + "' version '" + target + "' was deleted meanwhile");
        }
        return new Resolved(v.model(), v.version(), v.sha256());
    }

    private VersionView version(String model, String version) {
        try {
            return registry.getVersion(model, version);
        } catch (NotFoundException e) {
            return null;
        }
    }

    void forget() {
        cache.clear();
    }
}
