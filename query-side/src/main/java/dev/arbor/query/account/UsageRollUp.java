package dev.arbor.query.account;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Usage rolled up over subtrees. Each account's row holds, per counter, the sum over the account and its live
 * descendants and how many of them report the counter ({@code subtree_usage}: {@code {"connections": {"sum": 12,
 * "accounts": 3}}}). The projection keeps it by difference, as it keeps descendant counts: a report adds the change of
 * the account's own usage to every row on its path, a deletion, reactivation or move takes the account's rolled-up
 * usage out of the rows above it or adds it. The count of reporting accounts is what tells, by difference, that a
 * counter no live account of the subtree reports any more is gone, while one reported as 0 is still there.
 */
final class UsageRollUp {

    /** One counter of a subtree: its sum, and how many accounts of the subtree report it. */
    record Total(long sum, int accounts) {
    }

    private UsageRollUp() {
    }

    /**
     * What an account's own usage going from {@code before} to {@code after} adds to the rolled-up usage of each row on
     * its path (the account's own and its ancestors'); counters it leaves unchanged are left out.
     */
    static Map<String, Total> change(Map<String, Integer> before, Map<String, Integer> after) {
        Set<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        Map<String, Total> change = new HashMap<>();
        for (String name : names) {
            long sum = (long) after.getOrDefault(name, 0) - before.getOrDefault(name, 0);
            int accounts = (after.containsKey(name) ? 1 : 0) - (before.containsKey(name) ? 1 : 0);
            if (sum != 0 || accounts != 0) {
                change.put(name, new Total(sum, accounts));
            }
        }
        return change;
    }

    /**
     * SQL for the rolled-up usage {@code base} plus {@code sign} times the rolled-up usage {@code change} (three SQL
     * expressions), without the counters that no account reports any more.
     */
    static String plus(String base, String change, String sign) {
        return """
               (SELECT COALESCE(jsonb_object_agg(t.name, jsonb_build_object('sum', t.sum, 'accounts', t.accounts)),
                                '{}')
                  FROM (SELECT e.key AS name, sum(CAST(e.value ->> 'sum' AS bigint) * e.sign) AS sum,
                               sum(CAST(e.value ->> 'accounts' AS integer) * e.sign) AS accounts
                          FROM (SELECT key, value, 1 AS sign FROM jsonb_each(%s)
                                UNION ALL
                                SELECT key, value, %s AS sign FROM jsonb_each(%s)) e
                         GROUP BY e.key) t
                 WHERE t.accounts <> 0)""".formatted(base, sign, change);
    }

    /** The sums the view shows, by counter name. */
    static Map<String, Long> sums(Map<String, Total> rolledUp) {
        Map<String, Long> sums = new LinkedHashMap<>();
        rolledUp.forEach((name, total) -> sums.put(name, total.sum()));
        return sums;
    }

    /** The counters of {@code usage} above the limit of the same name, in name order. */
    static List<String> overLimit(Map<String, Integer> usage, Map<String, Integer> limits) {
        return usage.entrySet().stream()
                    .filter(counter -> limits.containsKey(counter.getKey())
                            && counter.getValue() > limits.get(counter.getKey()))
                    .map(Map.Entry::getKey)
                    .sorted()
                    .toList();
    }
}
