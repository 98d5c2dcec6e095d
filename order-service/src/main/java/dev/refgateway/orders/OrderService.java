package dev.refgateway.orders;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

import dev.refgateway.support.http.RequestValues;
import dev.refgateway.support.json.JsonBodies;
import dev.refgateway.support.problem.ProblemException;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;


/**
 * The {@code /orders} resource. Every failure leaves as {@code application/problem+json} naming the bad value.
 * <p>
 * Money is sent as strings with exactly two decimals ({@code "total": "59.97"}) and computed with exact decimals;
 * prices are received as JSON numbers with at most two decimals.
 * <pre>
 * curl -i -X POST localhost:8083/orders -H 'Content-Type: application/json' \
 *      -d '{"userId":1,"items":[{"sku":"BOOK-1","quantity":3,"unitPrice":19.99}]}'
 * # 201, Location: /orders/1, {"id":1,"userId":1,"status":"CREATED","items":[{..."lineTotal":"59.97"}],"total":"59.97",...}
 * curl -s 'localhost:8083/orders?userId=1&amp;limit=10'
 * curl -s -X POST localhost:8083/orders/1/pay     # then /ship; /cancel from CREATED or PAID
 * </pre>
 * Placing an order asks user-service whether the user exists: 422 when it does not, 503 when user-service cannot
 * say. A status change that is not allowed from the current status, or that loses a race with another instance
 * changing the same order, is a 409.
 * <p>
 * {@code POST /orders} honours {@code Idempotency-Key} ({@link IdempotencyKeys}): the same key and body within
 * 24 hours answer with the first order (201, {@code Idempotent-Replayed: true}), on whichever instance; while the
 * first is still in progress, 409; the same key with another body, 422. That is what lets the gateway retry a POST
 * on another instance ({@code retry.idempotency-key-aware} on the route) without creating an order twice.
 * <pre>
 * curl -i -X POST localhost:8080/orders -H 'Idempotency-Key: 4f1c...' -H 'Content-Type: application/json' -d '...'
 * </pre>
 */
public final class OrderService implements HttpService {

    /** The header a client puts a deduplication key in. */
    static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");
    /** Set on an answer that repeats the first answer to a key. */
    static final HeaderName IDEMPOTENT_REPLAYED = HeaderNames.create("Idempotent-Replayed");
    private static final int MAX_KEY_LENGTH = 255;

    private final OrderRepository orders;
    private final IdempotencyKeys keys;
    private final UserDirectory users;
    private final Clock clock;

    /**
     * @param orders the orders' storage
     * @param users  asked whether a user exists; closed when the server stops
     * @param clock  time of creation and status changes
     */
    public OrderService(OrderRepository orders, IdempotencyKeys keys, UserDirectory users, Clock clock) {
        this.orders = Objects.requireNonNull(orders, "orders");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.users = Objects.requireNonNull(users, "users");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::create)
                .get("/", this::list)
                .get("/{id}", this::get)
                .post("/{id}/pay", (req, res) -> apply(req, res, OrderAction.PAY))
                .post("/{id}/ship", (req, res) -> apply(req, res, OrderAction.SHIP))
                .post("/{id}/cancel", (req, res) -> apply(req, res, OrderAction.CANCEL));
    }

    @Override
    public void afterStop() {
        users.close();
    }

    private void create(ServerRequest req, ServerResponse res) {
        String key = idempotencyKey(req);
        byte[] body = body(req);
        // Validate before asking user-service: a bad request must not cost a remote call.
        NewOrder order = NewOrder.fromJson(JsonBodies.readObject(body));
        if (key == null) {
            UserCheck.require(users, order.userId());
            created(res, orders.create(order, now()));
            return;
        }
        switch (keys.claim(key, sha256(body), now())) {
            case IdempotencyKeys.Claim.Claimed claimed -> {
                Order created;
                try {
                    UserCheck.require(users, order.userId());
                    created = orders.create(order, now(), key);
                } catch (RuntimeException e) {
                    keys.release(key);
                    throw e;
                }
                created(res, created);
            }
            case IdempotencyKeys.Claim.Replay replay -> {
                res.header(IDEMPOTENT_REPLAYED, "true");
                created(res, orders.find(replay.orderId()).orElseThrow(() -> notFound(replay.orderId())));
            }
            case IdempotencyKeys.Claim.InProgress inProgress -> throw ProblemException.conflict(
                    "Idempotency-Key " + key + ": a request with this key is still being processed; retry shortly");
            case IdempotencyKeys.Claim.Mismatch mismatch -> throw ProblemException.unprocessable(
                    "Idempotency-Key " + key + ": used before with another request body (expected: a new key for "
                            + "a new order)");
        }
    }

    private static void created(ServerResponse res, Order order) {
        res.header(HeaderNames.LOCATION, "/orders/" + order.id());
        JsonBodies.send(res, Status.CREATED_201, OrderJson.of(order));
    }

    /** The request's Idempotency-Key, or null; one value of 1 to 255 visible ASCII characters, else 400. */
    private static String idempotencyKey(ServerRequest req) {
        if (!req.headers().contains(IDEMPOTENCY_KEY)) {
            return null;
        }
        List<String> values = req.headers().all(IDEMPOTENCY_KEY, List::of);
        String key = values.size() == 1 ? values.getFirst().strip() : "";
        boolean valid = !key.isEmpty() && key.length() <= MAX_KEY_LENGTH
                && key.chars().allMatch(c -> c >= 0x21 && c <= 0x7E);
        if (!valid) {
            throw ProblemException.badRequest("Idempotency-Key (expected: one value of 1 to " + MAX_KEY_LENGTH
                                                      + " visible ASCII characters)");
        }
        return key;
    }

    private static byte[] body(ServerRequest req) {
        if (!req.content().hasEntity()) {
            throw ProblemException.badRequest("The request body is empty (expected: a JSON object)");
        }
        try {
            return req.content().inputStream().readAllBytes();
        } catch (IOException e) {
            throw ProblemException.badRequest("The request body could not be read");
        }
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    private void list(ServerRequest req, ServerResponse res) {
        OrderQuery query = OrderQuery.from(req.query());
        List<OrderJson> items = orders.list(query).stream().map(OrderJson::of).toList();
        JsonBodies.send(res, Status.OK_200,
                        new OrderPage(items, query.page().limit(), query.page().offset(), orders.count(query.userId())));
    }

    private void get(ServerRequest req, ServerResponse res) {
        long id = RequestValues.pathId(req);
        Order order = orders.find(id).orElseThrow(() -> notFound(id));
        JsonBodies.send(res, Status.OK_200, OrderJson.of(order));
    }

    private void apply(ServerRequest req, ServerResponse res, OrderAction action) {
        long id = RequestValues.pathId(req);
        Order order = orders.find(id).orElseThrow(() -> notFound(id));
        if (!action.allowedFrom(order.status())) {
            throw ProblemException.conflict(action.refusal(id, order.status()));
        }
        Instant now = now();
        if (!orders.compareAndSetStatus(id, order.status(), action.target(), now)) {
            // Another request changed the order between our read and our write; report what it is now.
            String current = orders.find(id).map(o -> o.status().name()).orElse("gone");
            throw ProblemException.conflict("order " + id + " changed from " + order.status() + " to " + current
                                                     + " while trying to " + action.verb() + "; cannot "
                                                     + action.verb());
        }
        JsonBodies.send(res, Status.OK_200, OrderJson.of(order.withStatus(action.target(), now)));
    }

    private Instant now() {
        return now(clock);
    }

    /** Truncated to what PostgreSQL stores, so a response equals a later read. */
    static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    static ProblemException notFound(long id) {
        return ProblemException.notFound("order " + id + ": not found");
    }
}
