package dev.gantry.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads the YAML configuration: {@code ${ENV}} interpolation, binding with unknown fields
 * rejected, then validation. Every problem comes out as one {@link ConfigException} whose message
 * names the file, the line and the field; never a stack trace.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ConfigLoader() {}

    /** The configuration used when no file is given: port 4000, embedded database, no models. */
    public static GatewayConfig defaults() {
        return parse("", "<defaults>", System::getenv);
    }

    public static GatewayConfig load(Path file) {
        try {
            return parse(Files.readString(file), file.toString(), System::getenv);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage());
        }
    }

    public static GatewayConfig parse(String text, String sourceName, Function<String, String> env) {
        String interpolated = new EnvInterpolator(env, sourceName).interpolate(text);
        var locator = new YamlLocator(interpolated);
        ConfigFile file = null;
        try {
            if (!isBlank(interpolated)) file = YAML.readValue(interpolated, ConfigFile.class);
        } catch (JacksonException e) {
            // a syntax error met while binding arrives wrapped in a mapping exception: report it as one
            MarkedYAMLException syntax = syntaxError(e);
            if (syntax != null) throw new ConfigException(sourceName + describe(syntax));
            if (e instanceof JsonMappingException m) throw new ConfigException(sourceName + describe(m, locator));
            var loc = e.getLocation();
            throw new ConfigException(sourceName + (loc != null ? " line " + loc.getLineNr() : "")
                    + ": not valid YAML: " + firstLine(e.getOriginalMessage()));
        }
        if (file == null) file = new ConfigFile(null, null, null, null, null, null, null, null, null, null);
        return new ConfigValidator(sourceName, locator).validate(file);
    }

    private static MarkedYAMLException syntaxError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException m) return m;
        }
        return null;
    }

    /**
     * SnakeYAML's own marks, not Jackson's location: Jackson points at the last token it read,
     * often the line before the problem.
     */
    private static String describe(MarkedYAMLException e) {
        Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        String problem = e.getProblem() != null ? e.getProblem() : firstLine(e.getMessage());
        String context = e.getContext() == null ? "" : " (" + e.getContext()
                + (e.getContextMark() != null ? " that starts on line " + (e.getContextMark().getLine() + 1) : "") + ")";
        return (at != null ? " line " + (at.getLine() + 1) : "") + ": not valid YAML: " + firstLine(problem) + context;
    }

    private static boolean isBlank(String yaml) {
        return yaml.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#") || l.equals("---"));
    }

    private static String describe(JsonMappingException e, YamlLocator locator) {
        String line = e.getLocation() != null ? " line " + e.getLocation().getLineNr() : "";
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining()).replaceFirst("^\\.", "");
        if (e instanceof UnrecognizedPropertyException u) {
            // Jackson's location is past the unknown field's value, a line or more below it
            int fieldLine = locator.lineOf(e.getPath().stream()
                    .map(r -> "/" + (r.getFieldName() != null ? r.getFieldName() : r.getIndex()))
                    .collect(Collectors.joining()));
            if (fieldLine > 0) line = " line " + fieldLine;
            String parent = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "top level";
            return line + ": unknown field '" + u.getPropertyName() + "' in " + parent
                    + " (known: " + known(u.getKnownPropertyIds()) + ")";
        }
        if (e instanceof InvalidFormatException f) {
            return line + ": " + path + ": expected " + kind(f.getTargetType()) + ", got '" + f.getValue() + "'";
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return line + ": " + path + ": expected " + kind(m.getTargetType());
        }
        return line + ": " + (path.isEmpty() ? "" : path + ": ") + firstLine(e.getOriginalMessage());
    }

    private static String known(Collection<Object> ids) {
        return ids == null ? "" : ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }

    private static String kind(Class<?> type) {
        if (type == Integer.class || type == Long.class || type == int.class || type == long.class) return "a whole number";
        if (type == BigDecimal.class) return "a number";
        if (type == String.class) return "a string";
        if (List.class.isAssignableFrom(type)) return "a list";
        if (Map.class.isAssignableFrom(type) || type.isRecord()) return "a mapping (key: value lines)";
        return type.getSimpleName();
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
