package dev.refgateway.support.problem;

/** The stable {@code type} URIs of the sample services' problems. */
public final class ProblemTypes {

    private static final String BASE = "https://refgateway.dev/problems/";

    public static final String INVALID_REQUEST = BASE + "invalid-request";
    public static final String MALFORMED_JSON = BASE + "malformed-json";
    public static final String NOT_FOUND = BASE + "not-found";
    public static final String METHOD_NOT_ALLOWED = BASE + "method-not-allowed";
    public static final String UNSUPPORTED_MEDIA_TYPE = BASE + "unsupported-media-type";
    public static final String PAYLOAD_TOO_LARGE = BASE + "payload-too-large";
    public static final String CONFLICT = BASE + "conflict";
    public static final String UNPROCESSABLE = BASE + "unprocessable";
    public static final String DEPENDENCY_UNAVAILABLE = BASE + "dependency-unavailable";
    public static final String HTTP_ERROR = BASE + "http-error";
    public static final String INTERNAL = BASE + "internal-error";

    private ProblemTypes() {
    }
}
