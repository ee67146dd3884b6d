package io.lrnn.server.datasets;

/**
 * Counts the distinct values of a column up to a cap, holding a 64-bit hash per value (not the
 * value): at most about 16 bytes per counted value, and nothing once the cap is passed. A
 * collision could undercount by one in about 2^-44 cases at the cap; the count only sizes a
 * training job's memory estimate, and loading counts labels exactly.
 */
final class DistinctCounter {

    private final int cap;
    private long[] slots = new long[16];
    private boolean zero;
    private int count;

    DistinctCounter(int cap) {
        this.cap = cap;
    }

    void add(String value) {
        if (slots == null) {
            return;
        }
        long hash = hash(value);
        if (hash == 0) {
            if (!zero) {
                zero = true;
                counted();
            }
            return;
        }
        int mask = slots.length - 1;
        for (int i = (int) mix(hash) & mask; ; i = (i + 1) & mask) {
            if (slots[i] == hash) {
                return;
            }
            if (slots[i] == 0) {
                slots[i] = hash;
                counted();
                return;
            }
        }
    }

    /** Distinct values seen, or null when there were more than the cap. */
    Integer count() {
        return slots == null ? null : count;
    }

    private void counted() {
        if (++count > cap) {
            slots = null;
        } else if (count * 2 > slots.length) {
            long[] old = slots;
            slots = new long[old.length * 2];
            int mask = slots.length - 1;
            for (long h : old) {
                if (h != 0) {
                    int i = (int) mix(h) & mask;
                    while (slots[i] != 0) {
                        i = (i + 1) & mask;
                    }
                    slots[i] = h;
                }
            }
        }
    }

    /** FNV-1a over the UTF-16 units. */
    private static long hash(String value) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < value.length(); i++) {
            h = (h ^ value.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        return h ^ (h >>> 33);
    }
}
