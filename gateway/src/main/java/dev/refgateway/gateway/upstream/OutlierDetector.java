package dev.refgateway.gateway.upstream;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;


/**
 * Passive outlier ejection, after Envoy: {@code consecutiveFailures} connect failures or 5xx in a row eject an instance
 * for {@code baseEjection × times ejected}, capped at {@code maxEjection}; at most {@code maxEjectionPercent} of a
 * service's instances are ejected at once (but always at least one may be). An ejection simply expires: the instance
 * gets traffic again and is ejected for longer if it fails again.
 */
public final class OutlierDetector {

    private static final Logger LOG = System.getLogger(OutlierDetector.class.getName());

    private final OutlierSettings settings;
    private final EjectionListener listener;
    private final Object ejectionLock = new Object();

    /** Told of every ejection (metrics). */
    @FunctionalInterface
    public interface EjectionListener {
        void ejected(Upstream upstream, InstanceState instance);
    }

    public OutlierDetector(OutlierSettings settings, EjectionListener listener) {
        this.settings = settings;
        this.listener = listener;
    }

    public void onSuccess(InstanceState instance) {
        instance.recordSuccess();
    }

    /** Records a failure that counts towards ejection (connect failure, reset, timeout, 5xx). */
    public void onFailure(Upstream upstream, InstanceState instance, String reason) {
        int streak = instance.recordFailure(reason);
        if (streak < settings.consecutiveFailures()) {
            return;
        }
        long now = System.nanoTime();
        long duration;
        int times;
        // Only failures at or past the threshold get here, never the request path of a healthy service. Without the
        // lock, requests failing at the same moment could all see "not ejected yet, under the cap": one instance
        // would be ejected twice (listener called twice, the ejection twice as long), or two instances ejected when
        // the cap allows one.
        synchronized (ejectionLock) {
            Upstream.Pool pool = upstream.pool();
            int maxEjected = Math.max(1, pool.size() * settings.maxEjectionPercent() / 100);
            if (instance.isEjected(now) || pool.ejectedCount(now) >= maxEjected) {
                return;
            }
            long base = settings.baseEjection().toNanos();
            duration = Math.min(settings.maxEjection().toNanos(), base * (instance.timesEjected() + 1L));
            times = instance.eject(now, duration);
        }
        LOG.log(Level.WARNING, "Ejected {0} of {1} for {2} ms after {3} consecutive failures (last: {4}); ejection #{5}",
                instance.id(), upstream.service(), duration / 1_000_000, streak, reason, times);
        listener.ejected(upstream, instance);
    }
}
