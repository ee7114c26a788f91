package dev.continuum.controller.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Translates a {@link Selector} into a SQL condition over {@code devices d} and its
 * {@code device_labels} rows, with named parameters, in SQL that PostgreSQL and H2 both run.
 */
final class SelectorSql {
    private SelectorSql() {
    }

    /** The condition ({@code "1=1"} for the empty selector); parameters are added to {@code params}. */
    static String where(Selector selector, Map<String, Object> params) {
        if (selector.isEmpty()) {
            return "1=1";
        }
        List<String> parts = new ArrayList<>();
        for (Selector.Requirement r : selector.requirements()) {
            String k = param(params, r.key());
            String label = "select 1 from device_labels l where l.device_id = d.id and l.label_key = :" + k;
            parts.add(switch (r.op()) {
                case EXISTS -> "exists (" + label + ")";
                case NOT_EXISTS -> "not exists (" + label + ")";
                case EQUALS, IN -> "exists (" + label + " and l.label_value in (:" + param(params, List.copyOf(r.values())) + "))";
                case NOT_EQUALS, NOT_IN ->
                        "not exists (" + label + " and l.label_value in (:" + param(params, List.copyOf(r.values())) + "))";
            });
        }
        return String.join(" and ", parts);
    }

    private static String param(Map<String, Object> params, Object value) {
        String name = "p" + params.size();
        params.put(name, value);
        return name;
    }
}
