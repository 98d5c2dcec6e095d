package dev.refgateway.gateway.failover;

/**
 * The attempts one request made, for the {@code Gateway-Attempts} response header, the access log and tests:
 * {@code user-service-127.0.0.1-8081;result=connect-failure, user-service-127.0.0.1-8082;result=200}.
 */
public final class AttemptLog {

    private final StringBuilder text = new StringBuilder(96);
    private int count;
    private String lastInstance = "";

    public void record(String instanceId, String result) {
        if (count++ > 0) {
            text.append(", ");
        }
        text.append(instanceId).append(";result=").append(result);
        lastInstance = instanceId;
    }

    public int count() {
        return count;
    }

    public String lastInstance() {
        return lastInstance;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
