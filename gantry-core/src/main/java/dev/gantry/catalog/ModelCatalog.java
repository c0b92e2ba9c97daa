package dev.gantry.catalog;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The models clients may ask for, by name. Immutable: a config reload builds a new one. */
public final class ModelCatalog {
    private final Map<String, Model> byName;

    public ModelCatalog(List<Model> models) {
        var map = new LinkedHashMap<String, Model>();
        for (Model m : models) {
            if (map.putIfAbsent(m.name(), m) != null) throw new IllegalArgumentException("duplicate model " + m.name());
        }
        this.byName = map;
    }

    public Optional<Model> find(String name) { return Optional.ofNullable(byName.get(name)); }

    public Collection<Model> all() { return byName.values(); }
}
