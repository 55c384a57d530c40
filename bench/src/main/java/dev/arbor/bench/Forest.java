package dev.arbor.bench;

import java.util.Random;
import java.util.UUID;

/**
 * The benchmark's accounts: a few large organizations up to depth 10 and many small ones, as parent links. Half the
 * accounts are in {@link #LARGE_ORGANIZATIONS} organizations of equal size, the first of which holds a subtree of
 * exactly {@link #SUBTREE} accounts under its first child; the other half are in organizations of
 * {@link #SMALL_ORGANIZATION} accounts. Inside each, an account's parent is drawn at random among the accounts
 * created before it that are not yet at depth 10: a few accounts near the top get many children, most get few, as
 * in real organizations. Accounts are numbered in creation order, so a parent always comes before its children.
 */
final class Forest {

    static final int MAX_DEPTH = 10;
    static final int LARGE_ORGANIZATIONS = 5;
    static final int SMALL_ORGANIZATION = 10;
    static final int SUBTREE = 10_000;

    final int size;
    final UUID[] ids;
    /** The parent's number, -1 for a root. */
    final int[] parent;
    final int[] root;
    final int[] depth;
    /** How many accounts the account's subtree holds, itself included: the seats it is created with. */
    final long[] subtreeSize;
    /** The number of the first child of the first large organization, whose subtree has {@link #SUBTREE} accounts. */
    final int subtreeRoot;

    private final Random random = new Random(42);
    private int created;

    Forest(int size) {
        if (size < 2 * LARGE_ORGANIZATIONS * (SUBTREE + 2)) {
            throw new IllegalArgumentException("at least " + 2 * LARGE_ORGANIZATIONS * (SUBTREE + 2) + " accounts");
        }
        this.size = size;
        ids = new UUID[size];
        parent = new int[size];
        root = new int[size];
        depth = new int[size];
        subtreeSize = new long[size];
        int large = size / 2 / LARGE_ORGANIZATIONS;
        int firstOrganization = organization(large - SUBTREE);
        subtreeRoot = add(firstOrganization);
        grow(subtreeRoot, SUBTREE - 1);
        for (int o = 1; o < LARGE_ORGANIZATIONS; o++) {
            organization(large);
        }
        while (created < size) {
            organization(Math.min(SMALL_ORGANIZATION, size - created));
        }
        for (int a = size - 1; a >= 0; a--) {
            subtreeSize[a] += 1;
            if (parent[a] >= 0) {
                subtreeSize[parent[a]] += subtreeSize[a];
            }
        }
    }

    /** The account with the most children. */
    int widest() {
        int[] children = new int[size];
        int widest = 0;
        for (int a = 0; a < size; a++) {
            if (parent[a] >= 0 && ++children[parent[a]] > children[widest]) {
                widest = parent[a];
            }
        }
        return widest;
    }

    /** The first account at the greatest depth. */
    int deepest() {
        int deepest = 0;
        for (int a = 0; a < size; a++) {
            if (depth[a] > depth[deepest]) {
                deepest = a;
            }
        }
        return deepest;
    }

    boolean isRoot(int account) {
        return parent[account] < 0;
    }

    /** A new organization of {@code accounts} accounts; answers its root. */
    private int organization(int accounts) {
        int top = add(-1);
        grow(top, accounts - 1);
        return top;
    }

    /** Adds {@code accounts} accounts under {@code top}, each under a random earlier one of them (or top) above depth 10. */
    private void grow(int top, int accounts) {
        int[] eligible = new int[accounts + 1];
        int eligibleCount = 0;
        eligible[eligibleCount++] = top;
        for (int i = 0; i < accounts; i++) {
            int account = add(eligible[random.nextInt(eligibleCount)]);
            if (depth[account] < MAX_DEPTH) {
                eligible[eligibleCount++] = account;
            }
        }
    }

    /** A UUIDv7-shaped id whose time part grows with the account's number, as the command side's ids grow. */
    private int add(int parentAccount) {
        int account = created++;
        ids[account] = new UUID(0x0190_0000_0000_7000L | ((long) account << 16), (random.nextLong() >>> 2) | Long.MIN_VALUE);
        parent[account] = parentAccount;
        root[account] = parentAccount < 0 ? account : root[parentAccount];
        depth[account] = parentAccount < 0 ? 0 : depth[parentAccount] + 1;
        return account;
    }
}
