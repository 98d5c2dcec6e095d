package dev.refgateway.gateway.failover;

/**
 * The instances one request has already tried, so that a retry goes elsewhere (Envoy's {@code previous_hosts}).
 * A request makes a handful of attempts at most: a small array beats a hash set.
 */
public final class TriedInstances {

    private String[] ids = new String[4];
    private int size;

    public void add(String id) {
        if (size == ids.length) {
            String[] grown = new String[size * 2];
            System.arraycopy(ids, 0, grown, 0, size);
            ids = grown;
        }
        ids[size++] = id;
    }

    public boolean contains(String id) {
        for (int i = 0; i < size; i++) {
            if (ids[i].equals(id)) {
                return true;
            }
        }
        return false;
    }

    public int size() {
        return size;
    }
}
