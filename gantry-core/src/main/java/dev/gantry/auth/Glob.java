package dev.gantry.auth;

/** Matches names against patterns where {@code *} stands for any run of characters. */
public final class Glob {
    private Glob() {}

    public static boolean matches(String pattern, String name) {
        int star = pattern.indexOf('*');
        if (star < 0) return pattern.equals(name);
        if (!name.startsWith(pattern.substring(0, star))) return false;
        // greedy-free backtracking over the remaining segments
        String[] parts = pattern.substring(star + 1).split("\\*", -1);
        int pos = star;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (i == parts.length - 1) return name.length() - pos >= part.length() && name.endsWith(part);
            int found = name.indexOf(part, pos);
            if (found < 0) return false;
            pos = found + part.length();
        }
        return true;
    }
}
