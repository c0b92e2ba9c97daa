package dev.gantry.server.console;

/**
 * What every page's frame shows: the title, which section of the menu is open, who is logged in,
 * which menu entries they may use, the CSRF token for its forms, and a notice or error to show once.
 * Public because the compiled templates live in their own package.
 */
public record Layout(String title, String section, String userName, String role, String csrf,
                     boolean isAdmin, boolean readsAll, boolean teamAdmin, String notice, String error) {

    static Layout of(Visit visit, String title, String section) {
        return new Layout(title, section, visit.displayName(), visit.role(), visit.csrf(), visit.isAdmin(),
                visit.readsAll(), visit.administersATeam(), null, null);
    }

    Layout withNotice(String notice) {
        return new Layout(title, section, userName, role, csrf, isAdmin, readsAll, teamAdmin, notice, error);
    }

    Layout withError(String error) {
        return new Layout(title, section, userName, role, csrf, isAdmin, readsAll, teamAdmin, notice, error);
    }

    /** Team pages are for those who read everything and for team admins. */
    public boolean seesTeams() { return readsAll || teamAdmin; }
}
