package dev.continuum.controller.common;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list: the items and the cursor of the next page ({@code null} on the last page).
 */
public record Page<T>(List<T> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }

    /**
     * Builds a page from a query that fetched {@code limit + 1} rows: the extra row only proves there
     * is a next page.
     */
    public static <E, T> Page<T> of(List<E> rows, PageRequest req, Function<E, String> sortKey, Function<E, T> map) {
        boolean more = rows.size() > req.limit();
        List<E> served = more ? rows.subList(0, req.limit()) : rows;
        String next = more ? PageRequest.encode(sortKey.apply(served.get(served.size() - 1))) : null;
        return new Page<>(served.stream().map(map).toList(), next);
    }
}
