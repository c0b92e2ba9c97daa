package dev.gantry.store;

import java.util.List;

/** One page of a listing, and whether rows follow it. */
public record Page<T>(List<T> items, boolean hasMore) {
    public Page {
        items = List.copyOf(items);
    }
}
