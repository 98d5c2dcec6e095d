package dev.refgateway.e2e.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The gateway's configuration file for the e2e stack ({@code gateway-e2e.yaml}) with two API keys made up for this
 * run: the file holds only their SHA-256, the tests send the keys.
 *
 * @param yaml      the file's text, hashes filled in
 * @param readerKey an API key with scope {@code users:read}
 * @param writerKey an API key with scopes {@code users:read users:write}
 */
public record GatewayConfig(String yaml, String readerKey, String writerKey) {

    private static final String RESOURCE = "/gateway-e2e.yaml";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The configuration with fresh keys. */
    public static GatewayConfig generate() {
        String reader = randomKey();
        String writer = randomKey();
        String yaml = template()
                .replace("@READER_SHA256@", sha256(reader))
                .replace("@WRITER_SHA256@", sha256(writer));
        return new GatewayConfig(yaml, reader, writer);
    }

    private static String template() {
        try (InputStream in = GatewayConfig.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String randomKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String sha256(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
