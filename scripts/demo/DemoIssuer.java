import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A demo JWT issuer for {@code make run}: DEVELOPMENT ONLY. It hands a signed RS256 token to anybody who asks, for
 * any subject and any scopes, so the README can show the gateway's JWT checks with real tokens and a real JWKS
 * endpoint. A real deployment points {@code gateway.security.jwt.jwks-url} at its identity provider instead
 * (Keycloak, Auth0, Entra ID, ...).
 * <p>
 * JDK only, run as a single-file program: {@code java scripts/demo/DemoIssuer.java [port]} (default 8095).
 * <pre>
 * GET  /.well-known/jwks.json                      the public keys (the signing key, and the previous one after a
 *                                                  rotation, so tokens already handed out stay valid)
 * POST /token?sub=alice&amp;scope=users:read+orders:read[&amp;ttl=900]
 *                                                  {"access_token": "...", "token_type": "Bearer", "expires_in": 900}
 *                                                  (the parameters may also come as a form body)
 * POST /rotate                                     a new signing key with a new kid; the gateway, seeing an unknown
 *                                                  kid, fetches the JWKS again
 * </pre>
 * Tokens carry iss {@code http://127.0.0.1:PORT}, aud {@code refgateway}, sub, scope (space-separated), client_id
 * {@code demo-issuer}, iat, nbf, exp and jti.
 */
public final class DemoIssuer {

    private static final String AUDIENCE = "refgateway";
    private static final Duration DEFAULT_TTL = Duration.ofMinutes(15);
    private static final Duration MAX_TTL = Duration.ofHours(12);
    // Subjects and scopes end up inside JSON and headers: a plain alphabet keeps both safe without escaping.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:@-]{1,64}");
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final String issuer;
    private volatile SigningKey current;
    private volatile SigningKey previous;

    private DemoIssuer(String issuer) {
        this.issuer = issuer;
        this.current = SigningKey.generate();
    }

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8095;
        DemoIssuer issuer = new DemoIssuer("http://127.0.0.1:" + port);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", issuer::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        System.out.println("Demo JWT issuer (development only) on " + issuer.issuer
                + ": GET /.well-known/jwks.json, POST /token?sub=...&scope=..., POST /rotate; signing kid "
                + issuer.current.kid());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            switch (path) {
                case "/.well-known/jwks.json" -> {
                    if (!method.equals("GET") && !method.equals("HEAD")) {
                        problem(exchange, 405, "method " + method + " (expected: GET)");
                        return;
                    }
                    send(exchange, 200, "application/json", jwks());
                }
                case "/token" -> {
                    if (!method.equals("POST")) {
                        problem(exchange, 405, "method " + method + " (expected: POST)");
                        return;
                    }
                    token(exchange);
                }
                case "/rotate" -> {
                    if (!method.equals("POST")) {
                        problem(exchange, 405, "method " + method + " (expected: POST)");
                        return;
                    }
                    previous = current;
                    current = SigningKey.generate();
                    System.out.println("Rotated: signing kid " + current.kid() + ", still published " + previous.kid());
                    send(exchange, 200, "application/json", "{\"kid\":\"" + current.kid() + "\"}");
                }
                default -> problem(exchange, 404, "path " + path + " (expected: /.well-known/jwks.json, /token, /rotate)");
            }
        } catch (RuntimeException e) {
            // A demo, but still: never a stack trace or an internal message to the caller.
            System.err.println("Request failed: " + e);
            problem(exchange, 500, "the issuer failed; see its log");
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> params = parameters(exchange);
        String subject = params.get("sub");
        if (subject == null || !NAME.matcher(subject).matches()) {
            problem(exchange, 400, "sub: " + quoted(subject) + " (expected: 1-64 of A-Z a-z 0-9 . _ : @ -)");
            return;
        }
        List<String> scopes = new ArrayList<>();
        for (String scope : params.getOrDefault("scope", "").trim().split(" +")) {
            if (scope.isEmpty()) {
                continue;
            }
            if (!NAME.matcher(scope).matches()) {
                problem(exchange, 400, "scope: " + quoted(scope) + " (expected: 1-64 of A-Z a-z 0-9 . _ : @ -)");
                return;
            }
            scopes.add(scope);
        }
        Duration ttl;
        try {
            ttl = params.containsKey("ttl") ? Duration.ofSeconds(Long.parseLong(params.get("ttl"))) : DEFAULT_TTL;
        } catch (NumberFormatException e) {
            problem(exchange, 400, "ttl: " + quoted(params.get("ttl")) + " (expected: seconds, 1 to " + MAX_TTL.toSeconds() + ")");
            return;
        }
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            problem(exchange, 400, "ttl: " + ttl.toSeconds() + " (expected: seconds, 1 to " + MAX_TTL.toSeconds() + ")");
            return;
        }
        Instant now = Instant.now();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("aud", AUDIENCE);
        claims.put("sub", subject);
        claims.put("scope", String.join(" ", scopes));
        claims.put("client_id", "demo-issuer");
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", now.plus(ttl).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        String token = current.sign(claims);
        send(exchange, 200, "application/json",
             "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":" + ttl.toSeconds() + "}");
    }

    private String jwks() {
        SigningKey old = previous;
        return "{\"keys\":[" + current.jwk() + (old == null ? "" : "," + old.jwk()) + "]}";
    }

    /** Query parameters, then form parameters of the body (which win). */
    private static Map<String, String> parameters(HttpExchange exchange) throws IOException {
        Map<String, String> params = new LinkedHashMap<>();
        decodeInto(params, exchange.getRequestURI().getRawQuery());
        try (InputStream body = exchange.getRequestBody()) {
            byte[] bytes = body.readNBytes(8192);
            decodeInto(params, new String(bytes, StandardCharsets.UTF_8));
        }
        return params;
    }

    private static void decodeInto(Map<String, String> params, String encoded) {
        if (encoded == null || encoded.isBlank()) {
            return;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                params.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // A malformed escape: the parameter is ignored and the checks above name what is missing.
            }
        }
    }

    private static String quoted(String value) {
        if (value == null) {
            return "(missing)";
        }
        String shown = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return '"' + shown.replaceAll("[^A-Za-z0-9 ._:@/+=-]", "?") + '"';
    }

    private static void problem(HttpExchange exchange, int status, String detail) throws IOException {
        String title = switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            default -> "Internal Server Error";
        };
        send(exchange, status, "application/problem+json",
             "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
             + detail.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            exchange.getResponseBody().write(bytes);
        }
    }

    /** An RSA key pair with its key id; signs RS256 JWTs. */
    private record SigningKey(String kid, KeyPair keys) {

        static SigningKey generate() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                return new SigningKey("demo-" + Long.toString(System.currentTimeMillis(), 36), generator.generateKeyPair());
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException("RSA is not available", e);
            }
        }

        String sign(Map<String, Object> claims) {
            String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}";
            String payload = claims.entrySet().stream()
                    .map(e -> "\"" + e.getKey() + "\":" + (e.getValue() instanceof Number n ? n.toString() : "\"" + e.getValue() + "\""))
                    .collect(Collectors.joining(",", "{", "}"));
            String signingInput = base64url(header.getBytes(StandardCharsets.UTF_8)) + "."
                    + base64url(payload.getBytes(StandardCharsets.UTF_8));
            try {
                Signature rs256 = Signature.getInstance("SHA256withRSA");
                rs256.initSign(keys.getPrivate());
                rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
                return signingInput + "." + base64url(rs256.sign());
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException("signing failed", e);
            }
        }

        String jwk() {
            RSAPublicKey key = (RSAPublicKey) keys.getPublic();
            return "{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"" + kid + "\",\"n\":\""
                   + base64url(unsigned(key.getModulus())) + "\",\"e\":\"" + base64url(unsigned(key.getPublicExponent())) + "\"}";
        }

        /** JWK integers are unsigned big-endian: drop the sign byte BigInteger adds when the top bit is set. */
        private static byte[] unsigned(BigInteger value) {
            byte[] bytes = value.toByteArray();
            return bytes.length > 1 && bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
        }

        private static String base64url(byte[] bytes) {
            return BASE64URL.encodeToString(bytes);
        }
    }
}
