package dev.refgateway.gateway.proxy;

/**
 * The attempts one request made, for the {@code Gateway-Attempts} response header, the access log and tests:
 * {@code user-service-127.0.0.1-8081;result=connect-failure, user-service-127.0.0.1-8082;result=200}.
 */
final class AttemptLog {

    private final StringBuilder text = new StringBuilder(96);
    private int count;
    private String lastInstance = "";

    void record(String instanceId, String result) {
        if (count++ > 0) {
            text.append(", ");
        }
        text.append(instanceId).append(";result=").append(result);
        lastInstance = instanceId;
    }

    int count() {
        return count;
    }

    String lastInstance() {
        return lastInstance;
    }

    boolean isEmpty() {
        return count == 0;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
