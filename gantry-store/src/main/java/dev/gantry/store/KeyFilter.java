package dev.gantry.store;

/**
 * Which keys a listing returns; a null field matches every key.
 *
 * @param userId only the keys of this user
 * @param teamId only the keys that spend for this team
 */
public record KeyFilter(String userId, String teamId) {
    public static final KeyFilter ALL = new KeyFilter(null, null);

    public static KeyFilter ofUser(String userId) { return new KeyFilter(userId, null); }

    public static KeyFilter ofTeam(String teamId) { return new KeyFilter(null, teamId); }
}
