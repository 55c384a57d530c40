package dev.arbor.platform.web;

import java.util.HashMap;
import java.util.Map;

/**
 * How many requests hold something scarce (a request thread, a wait) at once, in all and per caller (the token's
 * subject), so that one token cannot take every place: {@link #enter} refuses past either bound, and each entry is
 * given back by {@link #leave}. The map holds only the callers with a place, so at most {@code max} entries.
 */
public final class CallerShares {

    private final int max;
    private final int maxPerCaller;
    private final Map<String, Integer> byCaller = new HashMap<>();
    private int all;

    public CallerShares(int max, int maxPerCaller) {
        this.max = max;
        this.maxPerCaller = maxPerCaller;
    }

    public synchronized boolean enter(String caller) {
        int mine = byCaller.getOrDefault(caller, 0);
        if (all >= max || mine >= maxPerCaller) {
            return false;
        }
        all++;
        byCaller.put(caller, mine + 1);
        return true;
    }

    public synchronized void leave(String caller) {
        all--;
        byCaller.computeIfPresent(caller, (name, count) -> count == 1 ? null : count - 1);
    }
}
