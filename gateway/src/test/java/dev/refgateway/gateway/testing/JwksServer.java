package dev.refgateway.gateway.testing;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;

/** An identity provider's JWKS endpoint in the test JVM: serves the public keys it is given, counts fetches. */
public final class JwksServer implements AutoCloseable {

    private final AtomicReference<String> document = new AtomicReference<>("{\"keys\":[]}");
    private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger fetches = new AtomicInteger();
    private final WebServer server;

    public JwksServer(JWK... keys) {
        publish(keys);
        this.server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .shutdownHook(false)
                .shutdownGracePeriod(Duration.ZERO)
                .routing(r -> r.get("/jwks.json", (req, res) -> {
                    fetches.incrementAndGet();
                    Duration wait = delay.get();
                    if (!wait.isZero()) {
                        Thread.sleep(wait);
                    }
                    res.status(Status.create(status.get()));
                    res.headers().contentType(MediaTypes.APPLICATION_JSON);
                    res.send(document.get());
                }))
                .build()
                .start();
    }

    /** Serves the public parts of {@code keys} from now on (key rotation). */
    public void publish(JWK... keys) {
        document.set(new JWKSet(List.of(keys)).toString(true));
    }

    /** Answers every fetch with {@code code} (and the last document). */
    public void answer(int code) {
        status.set(code);
    }

    public void delay(Duration wait) {
        delay.set(wait);
    }

    public int fetches() {
        return fetches.get();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.port() + "/jwks.json");
    }

    @Override
    public void close() {
        server.stop();
    }
}
