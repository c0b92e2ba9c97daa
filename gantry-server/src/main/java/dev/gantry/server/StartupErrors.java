package dev.gantry.server;

import java.net.BindException;

/** Turns a failure during start-up into one line a person can act on. */
final class StartupErrors {
    private StartupErrors() {}

    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) return "the port is already in use or cannot be bound (" + t.getMessage() + ")";
            if (t instanceof java.sql.SQLException sql) return "the database cannot be opened: " + firstLine(sql.getMessage());
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        return firstLine(e == root || e.getMessage() == null ? message : e.getMessage() + " (" + message + ")");
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
