package dev.gantry.config;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in the configuration text before it is
 * parsed, line by line so that an unset variable is reported with its line. {@code $${...}}
 * stands for a literal {@code ${...}}. References inside YAML comments are left alone, so a
 * commented-out line never demands a variable.
 */
final class EnvInterpolator {
    /** A mapping key: a name, maybe quoted, then a colon followed by a blank or the end. */
    private static final Pattern KEY = Pattern.compile("([A-Za-z0-9_.-]+)[\"']?:(?=\\s|$)");
    private static final Pattern REFERENCE = Pattern.compile("\\$?\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final Function<String, String> env;
    private final String sourceName;

    EnvInterpolator(Function<String, String> env, String sourceName) {
        this.env = env;
        this.sourceName = sourceName;
    }

    String interpolate(String text) {
        String[] lines = text.split("\n", -1);
        var out = new StringBuilder(text.length());
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) out.append('\n');
            String line = lines[i];
            int comment = commentStart(line);
            out.append(interpolateLine(line.substring(0, comment), i + 1)).append(line, comment, line.length());
        }
        return out.toString();
    }

    private String interpolateLine(String line, int lineNumber) {
        Matcher m = REFERENCE.matcher(line);
        var out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().startsWith("$$")) {
                replacement = m.group().substring(1);
            } else {
                String value = env.apply(m.group(1));
                if (value == null || (value.isEmpty() && m.group(2) != null)) value = m.group(2);
                if (value == null) {
                    throw new ConfigException(sourceName + " line " + lineNumber + ": " + fieldBefore(line, m.start())
                            + "environment variable " + m.group(1) + " is not set (write ${" + m.group(1)
                            + ":-default} to give a default)");
                }
                replacement = value;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** {@code "api_key: "} for a reference in {@code api_key: ${KEY}}: the last key before it on its line, if any. */
    private static String fieldBefore(String line, int end) {
        Matcher key = KEY.matcher(line).region(0, end);
        String field = null;
        while (key.find()) field = key.group(1);
        return field == null ? "" : field + ": ";
    }

    /** Index where a YAML comment starts: a '#' at line start or after a blank, outside quotes. */
    static int commentStart(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
            } else if ((c == '"' || c == '\'') && startsScalar(line, i)) {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return i;
            }
        }
        return line.length();
    }

    /** A quote opens a quoted scalar only where a value can start; inside a plain one (bob's) it is text. */
    private static boolean startsScalar(String line, int quoteAt) {
        int i = quoteAt - 1;
        while (i >= 0 && Character.isWhitespace(line.charAt(i))) i--;
        return i < 0 || ":-[{,?".indexOf(line.charAt(i)) >= 0;
    }
}
