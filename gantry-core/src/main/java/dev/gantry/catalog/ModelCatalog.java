package dev.gantry.catalog;

import dev.gantry.auth.Glob;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The models clients may ask for, by name or alias. Immutable: a config reload builds a new one.
 *
 * <p>A name resolves to the model of that name, else to the model with that exact alias, else to
 * the model whose wildcard alias matches it, the most specific pattern (most literal characters)
 * winning: with {@code claude-*} and {@code claude-haiku-*}, {@code claude-haiku-4-5} takes the
 * second.
 */
public final class ModelCatalog {
    private record Pattern(String glob, Model model) {
        int literalLength() { return glob.replace("*", "").length(); }
    }

    private final Map<String, Model> byName = new LinkedHashMap<>();
    private final Map<String, Model> byExactAlias = new LinkedHashMap<>();
    private final List<Pattern> patterns = new ArrayList<>();

    public ModelCatalog(List<Model> models) {
        for (Model m : models) {
            if (byName.putIfAbsent(m.name(), m) != null) throw new IllegalArgumentException("duplicate model " + m.name());
        }
        for (Model m : models) {
            for (String alias : m.aliases()) {
                if (byName.containsKey(alias)) throw new IllegalArgumentException("alias " + alias + " of " + m.name() + " is a model name");
                if (alias.contains("*")) {
                    patterns.add(new Pattern(alias, m));
                } else if (byExactAlias.putIfAbsent(alias, m) != null) {
                    throw new IllegalArgumentException("alias " + alias + " is given to two models");
                }
            }
        }
        patterns.sort(Comparator.comparingInt(Pattern::literalLength).reversed());
    }

    /** The model a client's name resolves to. */
    public Optional<Model> find(String name) {
        Model m = byName.get(name);
        if (m == null) m = byExactAlias.get(name);
        if (m == null) {
            for (Pattern p : patterns) {
                if (Glob.matches(p.glob(), name)) return Optional.of(p.model());
            }
        }
        return Optional.ofNullable(m);
    }

    public Collection<Model> all() { return byName.values(); }
}
