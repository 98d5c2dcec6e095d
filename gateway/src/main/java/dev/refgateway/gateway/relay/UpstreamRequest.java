package dev.refgateway.gateway.relay;

import java.io.IOException;
import java.io.OutputStream;

import io.helidon.http.Headers;
import io.helidon.http.Method;

/**
 * What to send an instance: the request line's method and target (the canonical path and the raw query, byte for
 * byte), the end-to-end headers the proxy prepared, and the body. The relay adds {@code Host} and the framing
 * ({@code Content-Length}, or chunked when the length is unknown).
 *
 * @param method  the method
 * @param target  {@code /path?query} as it goes in the request line
 * @param headers the headers to send, without {@code Host}, {@code Content-Length} and {@code Transfer-Encoding}
 * @param body    the body, or {@link Body#NONE}
 */
public record UpstreamRequest(Method method, String target, Headers headers, Body body) {

    /** A request body: in memory (it can be sent again) or streamed from the client once. */
    public interface Body {
        /** No body. */
        Body NONE = new Body() {
            @Override
            public boolean present() {
                return false;
            }

            @Override
            public long length() {
                return 0;
            }

            @Override
            public byte[] bytes() {
                return new byte[0];
            }

            @Override
            public void writeTo(OutputStream out) {
            }
        };

        /** Whether there is a body (a zero-length one counts when the client declared it). */
        boolean present();

        /** The length, or -1 when unknown (then it goes chunked). */
        long length();

        /** The whole body when it is in memory, else null. */
        byte[] bytes();

        /** Streams the body (for one that is not in memory). */
        void writeTo(OutputStream out) throws IOException;
    }
}
