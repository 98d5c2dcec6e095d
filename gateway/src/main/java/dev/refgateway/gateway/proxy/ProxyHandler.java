package dev.refgateway.gateway.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

import dev.refgateway.gateway.balancing.InstancePicker;
import dev.refgateway.gateway.balancing.TriedInstances;
import dev.refgateway.gateway.config.ProxySettings;
import dev.refgateway.gateway.config.RetrySettings;
import dev.refgateway.gateway.cors.CorsDecision;
import dev.refgateway.gateway.cors.CorsPolicies;
import dev.refgateway.gateway.observability.AccessLog;
import dev.refgateway.gateway.observability.GatewayMetrics;
import dev.refgateway.gateway.problem.GatewayProblem;
import dev.refgateway.gateway.problem.ProblemResponses;
import dev.refgateway.gateway.proxy.headers.ForwardedHeaders;
import dev.refgateway.gateway.proxy.headers.HopByHopHeaders;
import dev.refgateway.gateway.edge.RefusedRequest;
import dev.refgateway.gateway.proxy.headers.RequestIds;
import dev.refgateway.gateway.proxy.headers.TrustedProxies;
import dev.refgateway.gateway.ratelimit.Outcome;
import dev.refgateway.gateway.ratelimit.RateLimitHeaders;
import dev.refgateway.gateway.ratelimit.RateLimiter;
import dev.refgateway.gateway.resilience.FailureKind;
import dev.refgateway.gateway.resilience.OutlierDetector;
import dev.refgateway.gateway.resilience.RetryPolicy;
import dev.refgateway.gateway.routing.Route;
import dev.refgateway.gateway.routing.RouteTable;
import dev.refgateway.gateway.security.Decision;
import dev.refgateway.gateway.security.Identity;
import dev.refgateway.gateway.security.IdentityHeaders;
import dev.refgateway.gateway.security.RouteGuard;
import dev.refgateway.gateway.upstream.InstanceState;
import dev.refgateway.gateway.upstream.Upstream;
import dev.refgateway.gateway.upstream.Upstreams;

import io.helidon.faulttolerance.BulkheadException;
import io.helidon.faulttolerance.CircuitBreaker;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.Method;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * One request's life in the gateway: validate framing, match a route, then attempt instances until one answers or
 * the retry rules say stop, and stream the answer back.
 * <pre>
 * match route (404) → CORS: answer a preflight (204) or refuse (403) here, unauthenticated
 *   → authenticate and authorize (401/400/403) → rate limit (429; 503 when shared buckets fail closed)
 *   → read body up to the replay limit
 *   → attempt: pick (round robin; skip tried, ejected, circuit-open) → forward with the per-try timeout
 *        failure (connect / reset / timeout / 502-503-504): outlier detector counts it; retry on another instance
 *        when {@link RetryPolicy} allows it and the overall deadline is not past
 *   → relay status, end-to-end headers and body (streamed; small bodies with a known length in one write)
 * no instance at all: 503 + Retry-After; attempts exhausted: 502 (connect / reset) or 504 (timeout)
 * </pre>
 * Every answer carries {@code X-Request-Id} and {@code Gateway-Attempts}; on a route with CORS, the gateway's
 * {@code Access-Control-*} headers and {@code Vary: Origin}.
 */
public final class ProxyHandler implements Handler, AutoCloseable {

    static final HeaderName GATEWAY_ATTEMPTS = HeaderNames.create("Gateway-Attempts");
    private static final int SINGLE_WRITE_LIMIT = 64 * 1024;

    private final RouteTable routes;
    private final Upstreams upstreams;
    private final ProxySettings settings;
    private final InstancePicker picker;
    private final OutlierDetector outliers;
    private final UpstreamClient client;
    private final GatewayMetrics metrics;
    private final TrustedProxies trustedProxies;
    private final RouteGuard guard;
    private final RateLimiter rateLimiter;
    private final String retryAfterSeconds;
    private final AccessLog accessLog;
    private final CorsPolicies cors;

    public ProxyHandler(RouteTable routes,
                        Upstreams upstreams,
                        ProxySettings settings,
                        OutlierDetector outliers,
                        GatewayMetrics metrics,
                        RouteGuard guard,
                        RateLimiter rateLimiter,
                        AccessLog accessLog,
                        CorsPolicies cors) {
        this.cors = cors;
        this.accessLog = accessLog;
        this.routes = routes;
        this.guard = guard;
        this.rateLimiter = rateLimiter;
        this.upstreams = upstreams;
        this.settings = settings;
        this.picker = new InstancePicker(settings.panicThresholdPercent());
        this.outliers = outliers;
        this.client = new UpstreamClient(settings.connectTimeout(), settings.connectionsPerInstance());
        this.metrics = metrics;
        this.trustedProxies = TrustedProxies.create(settings.trustedProxies());
        this.retryAfterSeconds = String.valueOf(Math.max(1, settings.retryAfter().toSeconds()));
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) throws IOException {
        long started = System.nanoTime();
        String requestId = RequestIds.ensure(req.headers());
        res.header(RequestIds.X_REQUEST_ID, requestId);
        Trace trace = new Trace();
        String outcome = "error";
        int status = 0;
        try {
            outcome = serve(req, res, requestId, trace, started);
            status = res.status().code();
        } catch (ClientBodyFailure e) {
            // The client's body could not be read: its framing broke the rules (the edge refused it: 400, and the
            // connection is closed), over server.max-payload-size (Helidon's 413, answered by
            // TransportProblemHandler), or cut off by the edge's body deadline / gone (the connection is closed).
            RefusedRequest framing = refusedByEdge(e);
            if (framing != null && !res.isSent()) {
                outcome = "bad-framing";
                res.header(HeaderValues.CONNECTION_CLOSE);
                ProblemResponses.send(res, framing.problem(), framing.detail(), req.path().rawPath());
                status = res.status().code();
                return;
            }
            RequestException refused = requestException(e);
            if (refused != null) {
                outcome = "payload-too-large";
                status = refused.status().code();
                throw refused;
            }
            outcome = "client-body-failure";
            throw e.getCause() instanceof UncheckedIOException io ? io
                    : new UncheckedIOException(new IOException("Reading the request body failed", e.getCause()));
        } catch (RequestException e) {
            outcome = "bad-request";
            status = e.status().code();
            throw e;
        } catch (RuntimeException e) {
            status = res.isSent() ? res.status().code() : 500;
            throw e;
        } finally {
            if (accessLog.enabled()) {
                writeAccessLog(req, res, requestId, trace, status, outcome, started);
            }
        }
    }

    @Override
    public void close() {
        // nothing of its own to stop; kept for the shutdown sequence
    }

    private String serve(ServerRequest req, ServerResponse res, String requestId, Trace trace, long started)
            throws IOException {
        Method method = req.prologue().method();
        String path = req.path().rawPath();

        Optional<Route> matched = match(req, method);
        if (matched.isEmpty()) {
            ProblemResponses.send(res, GatewayProblem.ROUTE_NOT_FOUND,
                                  "No route for " + method.text() + " " + path, path);
            metrics.request("none", method.text(), 404, "no-route", System.nanoTime() - started);
            return "no-route";
        }
        Route route = matched.get();
        trace.route = route;
        CorsDecision corsDecision = cors.decide(route, method, req.headers(), req.authority());
        // Written now, so that an allowed page can read the gateway's own answers (401, 429, 503) as well.
        corsDecision.writeTo(res.headers());
        String corsOutcome = answerCors(res, corsDecision, path);
        if (corsOutcome != null) {
            // Before authentication: browsers send no credentials on a preflight, and it never reaches an instance.
            metrics.request(route.id(), method.text(), res.status().code(), corsOutcome, System.nanoTime() - started);
            return corsOutcome;
        }
        Decision decision = guard.check(route, method, req.headers());
        if (!(decision instanceof Decision.Allowed allowed)) {
            // Refused here: a request that fails authentication or authorization never reaches an instance.
            refuse(res, decision, path);
            metrics.authFailure(route.id(), decision.label());
            metrics.request(route.id(), method.text(), decision.status().code(), decision.label(),
                            System.nanoTime() - started);
            return decision.label();
        }
        trace.identity = allowed.identity();
        Outcome limit = rateLimit(req, route, allowed.identity());
        RateLimitHeaders.write(limit, res.headers());
        if (!limit.allowed()) {
            // Refused here too: a caller over its limit costs the instances nothing.
            String reason = limited(res, route, limit, path);
            metrics.rateLimited(route.id(), reason);
            metrics.request(route.id(), method.text(), res.status().code(), "rate-limited",
                            System.nanoTime() - started);
            return "rate-limited";
        }
        Upstream upstream = upstreams.get(route.service())
                .orElseThrow(() -> new IllegalStateException("No upstream for " + route.service()));
        long contentLength = req.headers().contentLength().orElse(-1);
        Exchange exchange = new Exchange(req, res, route, upstream, requestId, method, contentLength,
                                         allowed.identity(), corsDecision);
        trace.exchange = exchange;
        String outcome;
        upstream.activeRequests().incrementAndGet();
        try {
            outcome = upstream.bulkhead().isPresent()
                    ? upstream.bulkhead().get().invoke(() -> forward(exchange))
                    : forward(exchange);
        } catch (BulkheadException e) {
            outcome = fail(exchange, GatewayProblem.UPSTREAM_OVERLOADED,
                           route.service() + " has too many requests in progress");
        } finally {
            upstream.activeRequests().decrementAndGet();
        }
        metrics.request(route.id(), method.text(), res.status().code(), outcome, System.nanoTime() - started);
        return outcome;
    }

    /** A preflight is matched to the route its actual request will take, when that route has CORS. */
    private Optional<Route> match(ServerRequest req, Method method) {
        Method asked = CorsPolicies.preflightTarget(method, req.headers());
        if (asked != null) {
            Optional<Route> target = routes.match(asked, req.authority(), req.path().rawPath(), req.headers());
            if (target.isPresent() && cors.covers(target.get())) {
                return target;
            }
        }
        return routes.match(method, req.authority(), req.path().rawPath(), req.headers());
    }

    /** Answers an allowed preflight (204) or a refused cross-origin request (403); null when the request goes on. */
    private static String answerCors(ServerResponse res, CorsDecision decision, String path) {
        return switch (decision) {
            case CorsDecision.Preflight p -> {
                res.status(Status.NO_CONTENT_204).send();
                yield "cors-preflight";
            }
            case CorsDecision.Refused r -> {
                ProblemResponses.send(res, GatewayProblem.CORS_REFUSED, r.detail(), path);
                yield "cors-refused-" + r.refused();
            }
            case CorsDecision.Allowed a -> null;
            case CorsDecision.NotCrossOrigin n -> null;
            case CorsDecision.None n -> null;
        };
    }

    private void writeAccessLog(ServerRequest req, ServerResponse res, String requestId, Trace trace, int status,
                                String outcome, long started) {
        Exchange ex = trace.exchange;
        Identity identity = trace.identity;
        String clientId = identity == null || identity.kind() == Identity.Kind.ANONYMOUS ? null : identity.principal();
        String instance = ex == null || ex.attempts.isEmpty() ? null : ex.attempts.lastInstance();
        accessLog.write(new AccessLog.Entry(
                requestId,
                ForwardedHeaders.clientIp(req.remotePeer().host(), req.headers(), trustedProxies),
                clientId,
                req.prologue().method().text(),
                req.path().rawPath(),
                trace.route == null ? null : trace.route.id(),
                instance,
                status,
                ex == null || ex.body == null ? 0 : ex.body.bytesRead(),
                res.isSent() ? res.bytesWritten() : 0,
                System.nanoTime() - started,
                ex == null ? 0 : ex.attempts.count(),
                outcome));
    }

    private static RefusedRequest refusedByEdge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RefusedRequest r) {
                return r;
            }
        }
        return null;
    }

    private static RequestException requestException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RequestException r) {
                return r;
            }
        }
        return null;
    }

    /** Attempts instances until one answers; returns the outcome label for metrics. */
    private String forward(Exchange ex) {
        RequestBody body = RequestBody.read(ex.req, ex.contentLength, settings.maxReplayBodyBytes());
        ex.body = body;
        RetrySettings retry = ex.route.policy().retry();
        long deadline = System.nanoTime() + ex.route.policy().timeout().toNanos();
        boolean hasIdempotencyKey = ex.req.headers().contains(HeaderNames.create(retry.idempotencyKeyHeader()));
        TriedInstances tried = new TriedInstances();
        FailureKind lastFailure = null;
        // The last retryable answer (a 503, say) stays open until another instance is really tried: if none is
        // left, the client gets that instance's own answer rather than one made up by the gateway.
        Http1ClientResponse pending = null;
        InstanceState pendingFrom = null;
        while (true) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                if (pending != null) {
                    return relay(ex, pendingFrom, pending);
                }
                return fail(ex, GatewayProblem.UPSTREAM_TIMEOUT, ex.route.service() + " did not answer within "
                        + ex.route.policy().timeout().toMillis() + " ms");
            }
            Optional<InstanceState> picked = picker.pick(ex.upstream, tried, now);
            if (picked.isEmpty()) {
                if (pending != null) {
                    return relay(ex, pendingFrom, pending);
                }
                return noInstanceLeft(ex, tried, now, lastFailure);
            }
            if (pending != null) {
                pending.close();
                pending = null;
            }
            InstanceState target = picked.get();
            tried.add(target.id());
            boolean isRetry = ex.attempts.count() > 0;
            if (isRetry) {
                metrics.retry(ex.upstream.service(), target.id());
                ex.upstream.activeRetries().incrementAndGet();
            }
            Duration readTimeout = Duration.ofNanos(Math.min(ex.route.policy().perTryTimeout().toNanos(), deadline - now));
            Attempt attempt;
            target.attemptStarted();
            try {
                attempt = attempt(ex, target, body, readTimeout, retry);
            } finally {
                target.attemptEnded();
                if (isRetry) {
                    ex.upstream.activeRetries().decrementAndGet();
                }
            }
            if (attempt.response != null && !attempt.retryableStatus) {
                return relay(ex, target, attempt.response);
            }
            FailureKind failure = attempt.response != null ? FailureKind.RETRYABLE_STATUS : attempt.failure;
            lastFailure = failure;
            RetryPolicy.Verdict verdict = RetryPolicy.decide(retry, ex.attempts.count(), failure, ex.method,
                                                             hasIdempotencyKey, body.replayable(), ex.upstream);
            if (verdict != RetryPolicy.Verdict.ALLOWED) {
                if (attempt.response != null) {
                    // The instance's own answer (a 503 with its own body, say) is more useful than ours.
                    return relay(ex, target, attempt.response);
                }
                return failAfterAttempts(ex, failure);
            }
            if (attempt.response != null) {
                pending = attempt.response;
                pendingFrom = target;
            }
            Duration pause = RetryPolicy.backoff(retry, ex.attempts.count(), failure);
            if (!pause.isZero() && !sleepUntilDeadline(pause, deadline)) {
                if (pending != null) {
                    return relay(ex, pendingFrom, pending);
                }
                return fail(ex, GatewayProblem.UPSTREAM_TIMEOUT, ex.route.service() + " did not answer within "
                        + ex.route.policy().timeout().toMillis() + " ms");
            }
        }
    }

    /** One try on one instance, through its circuit breaker. Never throws for upstream failures. */
    private Attempt attempt(Exchange ex, InstanceState target, RequestBody body, Duration readTimeout,
                            RetrySettings retry) {
        try {
            Optional<CircuitBreaker> breaker = target.breaker();
            Http1ClientResponse response = breaker.isPresent()
                    ? breaker.get().invoke(() -> send(ex, target, body, readTimeout))
                    : send(ex, target, body, readTimeout);
            int code = response.status().code();
            if (code >= 500) {
                outliers.onFailure(ex.upstream, target, "status " + code);
            } else {
                outliers.onSuccess(target);
            }
            boolean retryable = retry.retryOnStatuses().contains(code);
            ex.attempts.record(target.id(), String.valueOf(code));
            metrics.attempt(ex.upstream.service(), target.id(), String.valueOf(code));
            return new Attempt(response, null, retryable);
        } catch (UpstreamStatusFailure e) {
            // A 5xx, already counted by the breaker; the outlier detector counts it here.
            Http1ClientResponse response = e.response();
            int code = response.status().code();
            outliers.onFailure(ex.upstream, target, "status " + code);
            ex.attempts.record(target.id(), String.valueOf(code));
            metrics.attempt(ex.upstream.service(), target.id(), String.valueOf(code));
            return new Attempt(response, null, retry.retryOnStatuses().contains(code));
        } catch (RuntimeException e) {
            ClientBodyFailure clientSide = ClientBodyFailure.find(e);
            if (clientSide != null) {
                // Not the instance's fault: no retry, no outlier count. The upstream request stays unfinished.
                ex.attempts.record(target.id(), "client-body-failure");
                throw clientSide;
            }
            FailureKind kind = FailureClassifier.classify(e);
            if (kind != FailureKind.CIRCUIT_OPEN) {
                outliers.onFailure(ex.upstream, target, kind.label());
            }
            ex.attempts.record(target.id(), kind.label());
            metrics.attempt(ex.upstream.service(), target.id(), kind.label());
            return new Attempt(null, kind, false);
        }
    }

    private Http1ClientResponse send(Exchange ex, InstanceState target, RequestBody body, Duration readTimeout) {
        String rawPath = ex.route.rewrite().apply(ex.req.path().rawPath());
        Http1ClientRequest request = client.request(ex.method, target.instance(), rawPath,
                                                    ex.req.query().rawValue(), readTimeout);
        request.headers(headers -> {
            HopByHopHeaders.copyRequestHeaders(ex.req.headers(), headers);
            // Whatever identity headers the client sent are replaced by the identity the gateway established.
            IdentityHeaders.write(ex.identity, headers);
            ForwardedHeaders.apply(ex.req.remotePeer().host(), ex.req.isSecure() ? "https" : "http",
                                   ex.req.authority(), ex.req.headers(), headers, trustedProxies);
            headers.set(RequestIds.X_REQUEST_ID, ex.requestId);
            if (body.present() && body.contentLength() >= 0) {
                headers.contentLength(body.contentLength());
            }
        });
        Http1ClientResponse response = body.present()
                ? request.outputStream(out -> {
                    body.writeTo(out);
                    out.close();
                })
                : request.request();
        if (response.status().code() >= 500) {
            throw new UpstreamStatusFailure(response);
        }
        return response;
    }

    /** Streams the instance's answer to the client. From here on nothing can be retried. */
    private String relay(Exchange ex, InstanceState target, Http1ClientResponse upstream) {
        ServerResponse res = ex.res;
        try (upstream) {
            int code = upstream.status().code();
            res.status(Status.create(code));
            HopByHopHeaders.copyResponseHeaders(upstream.headers(), res.headers());
            // On a route with CORS the gateway's Access-Control-* headers replace the instance's: never two answers.
            ex.cors.writeTo(res.headers());
            res.header(GATEWAY_ATTEMPTS, ex.attempts.toString());
            OptionalLong length = upstream.headers().contentLength();
            if (ex.method == Method.HEAD || code == 204 || code == 304 || code < 200) {
                if (length.isPresent() && ex.method == Method.HEAD) {
                    res.headers().contentLength(length.getAsLong());
                }
                res.send();
            } else if (length.isPresent() && length.getAsLong() <= SINGLE_WRITE_LIMIT) {
                // readAllBytes, not readNBytes(length): only a read that sees the end of the entity lets Helidon
                // return the connection to the pool (else every such answer cost a new upstream connection). The
                // entity stream ends at Content-Length, so this reads at most that many bytes.
                res.send(upstream.inputStream().readAllBytes());
            } else {
                length.ifPresent(res.headers()::contentLength);
                try (InputStream in = upstream.inputStream(); OutputStream out = res.outputStream()) {
                    in.transferTo(out);
                }
            }
            // No outlier bookkeeping here: attempt() did it. Counting the relay as a success would end the failure
            // streak of an instance that answers 500 to every request, so it could never be ejected.
            return code >= 500 ? "upstream-error" : "success";
        } catch (IOException e) {
            // Part of the answer may be out already; the connection is closed so the client sees a truncated
            // message, never a spliced one.
            throw new UncheckedIOException("Relaying the answer of " + target.id() + " failed", e);
        }
    }

    private Outcome rateLimit(ServerRequest req, Route route, Identity identity) {
        if (!rateLimiter.limits(route)) {
            return Outcome.unlimited();
        }
        // The address matters only to anonymous callers; authenticated ones are counted by who they are.
        String clientIp = identity.kind() == Identity.Kind.ANONYMOUS
                ? ForwardedHeaders.clientIp(req.remotePeer().host(), req.headers(), trustedProxies)
                : null;
        return rateLimiter.check(route, identity, clientIp);
    }

    /** Answers a request the rate limiter refused; returns the reason label for metrics. */
    private static String limited(ServerResponse res, Route route, Outcome outcome, String path) {
        return switch (outcome) {
            case Outcome.Limited l -> {
                ProblemResponses.send(res, GatewayProblem.RATE_LIMITED, "Rate limit of route " + route.id()
                        + " exceeded (" + l.limit() + " requests at once); retry in " + l.retryAfterSeconds()
                        + " s", path);
                yield "limit";
            }
            case Outcome.Unavailable u -> {
                ProblemResponses.send(res, GatewayProblem.RATE_LIMITER_UNAVAILABLE, "The rate limiter of route "
                        + route.id() + " cannot count requests right now", path);
                yield "redis-unavailable";
            }
            case Outcome.Allowed a -> throw new IllegalArgumentException("an allowed request is not refused");
            case Outcome.Unlimited u -> throw new IllegalArgumentException("an allowed request is not refused");
        };
    }

    private static void refuse(ServerResponse res, Decision decision, String path) {
        GatewayProblem problem = switch (decision) {
            case Decision.Unauthenticated u -> {
                res.header(HeaderNames.WWW_AUTHENTICATE, u.wwwAuthenticate());
                yield u.status().code() == 400 ? GatewayProblem.INVALID_CREDENTIALS : GatewayProblem.UNAUTHENTICATED;
            }
            case Decision.Forbidden f -> {
                res.header(HeaderNames.WWW_AUTHENTICATE, f.wwwAuthenticate());
                yield GatewayProblem.INSUFFICIENT_SCOPE;
            }
            case Decision.Unavailable u -> GatewayProblem.AUTH_UNAVAILABLE;
            case Decision.Allowed a -> throw new IllegalArgumentException("an allowed request is not refused");
        };
        ProblemResponses.send(res, problem, decision.reason(), path);
    }

    private String noInstanceLeft(Exchange ex, TriedInstances tried, long now, FailureKind lastFailure) {
        if (lastFailure != null) {
            return failAfterAttempts(ex, lastFailure);
        }
        if (picker.whyNone(ex.upstream, tried, now) == InstancePicker.NoPick.ALL_CIRCUITS_OPEN) {
            ex.res.header(HeaderNames.RETRY_AFTER, retryAfterSeconds);
            return fail(ex, GatewayProblem.CIRCUIT_OPEN, "Every instance of " + ex.route.service()
                    + " has its circuit open");
        }
        ex.res.header(HeaderNames.RETRY_AFTER, retryAfterSeconds);
        return fail(ex, GatewayProblem.NO_HEALTHY_UPSTREAM, ex.route.service() + " has no healthy instance");
    }

    private String failAfterAttempts(Exchange ex, FailureKind failure) {
        String service = ex.route.service();
        int attempts = ex.attempts.count();
        return switch (failure) {
            case CONNECT_FAILURE -> fail(ex, GatewayProblem.UPSTREAM_UNREACHABLE,
                                         "No instance of " + service + " accepted a connection (" + attempts
                                                 + " attempt(s))");
            case TIMEOUT -> fail(ex, GatewayProblem.UPSTREAM_TIMEOUT,
                                 service + " did not answer in time (" + attempts + " attempt(s))");
            case CIRCUIT_OPEN -> {
                ex.res.header(HeaderNames.RETRY_AFTER, retryAfterSeconds);
                yield fail(ex, GatewayProblem.CIRCUIT_OPEN, "Every instance of " + service + " has its circuit open");
            }
            case RESET, RETRYABLE_STATUS -> fail(ex, GatewayProblem.BAD_UPSTREAM_RESPONSE,
                                                 service + " broke the connection or answered invalidly ("
                                                         + attempts + " attempt(s))");
        };
    }

    private String fail(Exchange ex, GatewayProblem problem, String detail) {
        if (!ex.attempts.isEmpty()) {
            ex.res.header(GATEWAY_ATTEMPTS, ex.attempts.toString());
        }
        ProblemResponses.send(ex.res, problem, detail, ex.req.path().rawPath());
        return problem.name().toLowerCase().replace('_', '-');
    }

    private static boolean sleepUntilDeadline(Duration pause, long deadline) {
        long nanos = Math.min(pause.toNanos(), deadline - System.nanoTime());
        if (nanos <= 0) {
            return false;
        }
        try {
            Thread.sleep(Duration.ofNanos(nanos));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** What one attempt produced: a response (maybe one to retry on), or a failure. */
    private record Attempt(Http1ClientResponse response, FailureKind failure, boolean retryableStatus) {
    }

    /** What the access log needs to know of a request, filled in as handling gets further. */
    private static final class Trace {
        Route route;
        Identity identity;
        Exchange exchange;
    }

    /** One request in flight through the gateway. */
    private static final class Exchange {
        final ServerRequest req;
        final ServerResponse res;
        final Route route;
        final Upstream upstream;
        final String requestId;
        final Method method;
        final long contentLength;
        final Identity identity;
        final CorsDecision cors;
        final AttemptLog attempts = new AttemptLog();
        RequestBody body;

        Exchange(ServerRequest req, ServerResponse res, Route route, Upstream upstream, String requestId,
                 Method method, long contentLength, Identity identity, CorsDecision cors) {
            this.req = req;
            this.res = res;
            this.route = route;
            this.upstream = upstream;
            this.requestId = requestId;
            this.method = method;
            this.contentLength = contentLength;
            this.identity = identity;
            this.cors = cors;
        }
    }
}
