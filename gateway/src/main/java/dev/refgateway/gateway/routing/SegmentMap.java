package dev.refgateway.gateway.routing;

import java.util.Map;

/**
 * An immutable map from path segments to values that is looked up with a region of the request path, so that
 * matching a request never cuts its path into strings. Open addressing with linear probing, at most half full; the
 * hash of a region is {@link String#hashCode()} of the same characters, so keys hash as the strings they are.
 *
 * @param <V> the values
 */
final class SegmentMap<V> {

    private static final SegmentMap<Object> EMPTY = new SegmentMap<>(new String[1], new Object[1], 0);

    private final String[] keys;
    private final Object[] values;
    private final int mask;
    private final int size;

    private SegmentMap(String[] keys, Object[] values, int size) {
        this.keys = keys;
        this.values = values;
        this.mask = keys.length - 1;
        this.size = size;
    }

    /** A map of {@code entries}; keys never contain {@code '/'}. */
    @SuppressWarnings("unchecked")
    static <V> SegmentMap<V> of(Map<String, V> entries) {
        if (entries.isEmpty()) {
            return (SegmentMap<V>) EMPTY;
        }
        int capacity = Integer.highestOneBit(entries.size()) << 2; // a power of two, at least twice the size
        String[] keys = new String[capacity];
        Object[] values = new Object[capacity];
        for (Map.Entry<String, V> entry : entries.entrySet()) {
            int slot = spread(entry.getKey().hashCode()) & (capacity - 1);
            while (keys[slot] != null) {
                slot = (slot + 1) & (capacity - 1);
            }
            keys[slot] = entry.getKey();
            values[slot] = entry.getValue();
        }
        return new SegmentMap<>(keys, values, entries.size());
    }

    /** The value of the segment {@code text[start, end)}, or null. */
    @SuppressWarnings("unchecked")
    V get(String text, int start, int end) {
        if (size == 0) {
            return null;
        }
        int hash = 0;
        for (int i = start; i < end; i++) {
            hash = 31 * hash + text.charAt(i);
        }
        int length = end - start;
        for (int slot = spread(hash) & mask; keys[slot] != null; slot = (slot + 1) & mask) {
            String key = keys[slot];
            if (key.length() == length && text.regionMatches(start, key, 0, length)) {
                return (V) values[slot];
            }
        }
        return null;
    }

    // Mixes the high bits in: segments that differ only in their last characters still land apart.
    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
