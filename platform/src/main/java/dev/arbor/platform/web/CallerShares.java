package dev.arbor.platform.web;

import java.util.HashMap;
import java.util.Map;

/**
 * How many requests hold something scarce (a request thread, a wait, a fold) at once, in all and per caller (the
 * token's subject), so that neither one token nor a few can take every place: {@link #enter} refuses past either
 * bound, and each entry is given back by {@link #leave}. The map holds only the callers with a place, so at most
 * {@code max} entries.
 * <p>
 * Fair between callers: a caller's first place is taken whenever one is free, but any more only while a quarter of
 * the places (at least one) stays free, which is kept for other callers' first places. However many callers take
 * all they may, another {@code max / 4} callers (8 of 32) each still get a place: with a cap of 4 a caller, 8 callers
 * filled 32 places, and now hold at most 24, leaving 8 to the next 8 callers. With 2 places (the {@code ?asOf=} folds),
 * that is one place a caller.
 */
public final class CallerShares {

    private final int max;
    private final int maxPerCaller;
    /** Past this many places held, a caller that already holds one gets no more. */
    private final int maxForMore;
    private final Map<String, Integer> byCaller = new HashMap<>();
    private int all;

    public CallerShares(int max, int maxPerCaller) {
        this.max = max;
        this.maxPerCaller = maxPerCaller;
        this.maxForMore = max - Math.max(1, max / 4);
    }

    public synchronized boolean enter(String caller) {
        int mine = byCaller.getOrDefault(caller, 0);
        if (all >= (mine == 0 ? max : maxForMore) || mine >= maxPerCaller) {
            return false;
        }
        all++;
        byCaller.put(caller, mine + 1);
        return true;
    }

    /** How many places are held now, by all callers. */
    public synchronized int held() {
        return all;
    }

    public synchronized void leave(String caller) {
        all--;
        byCaller.computeIfPresent(caller, (name, count) -> count == 1 ? null : count - 1);
    }
}
