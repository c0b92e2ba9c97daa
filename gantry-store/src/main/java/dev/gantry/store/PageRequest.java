package dev.gantry.store;

/**
 * Which rows of a listing to return: up to {@code limit} after skipping {@code offset}. Listings
 * are ordered on a unique key, so pages do not overlap while nothing changes.
 */
public record PageRequest(int limit, int offset) {
    public static final int MAX_LIMIT = 1_000;

    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ": " + limit);
        if (offset < 0) throw new IllegalArgumentException("offset must not be negative: " + offset);
    }

    public static PageRequest first(int limit) { return new PageRequest(limit, 0); }

    public PageRequest next() { return new PageRequest(limit, offset + limit); }

    /** The SQL that selects this page plus one row, which tells whether there is a next page. */
    String sql() { return " LIMIT " + (limit + 1) + " OFFSET " + offset; }

    <T> Page<T> page(java.util.List<T> rowsPlusOne) {
        boolean more = rowsPlusOne.size() > limit;
        return new Page<>(more ? rowsPlusOne.subList(0, limit) : rowsPlusOne, more);
    }
}
