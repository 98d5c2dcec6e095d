package dev.refgateway.orders;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

import dev.refgateway.support.http.RequestValues;
import dev.refgateway.support.json.JsonBodies;
import dev.refgateway.support.problem.ProblemException;

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
 */
public final class OrderService implements HttpService {

    private final OrderRepository orders;
    private final UserDirectory users;
    private final Clock clock;

    /**
     * @param orders the orders' storage
     * @param users  asked whether a user exists; closed when the server stops
     * @param clock  time of creation and status changes
     */
    public OrderService(OrderRepository orders, UserDirectory users, Clock clock) {
        this.orders = Objects.requireNonNull(orders, "orders");
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
        // Validate before asking user-service: a bad request must not cost a remote call.
        NewOrder order = NewOrder.fromJson(JsonBodies.readObject(req));
        requireUser(order.userId());
        Order created = orders.create(order, now());
        res.header(HeaderNames.LOCATION, "/orders/" + created.id());
        JsonBodies.send(res, Status.CREATED_201, OrderJson.of(created));
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

    private void requireUser(long userId) {
        boolean exists;
        try {
            exists = users.exists(userId);
        } catch (UserDirectoryUnavailableException e) {
            throw ProblemException.serviceUnavailable(e.getMessage());
        }
        if (!exists) {
            throw ProblemException.unprocessable("userId: " + userId + " (expected: an existing user; user-service "
                                                         + "does not know user " + userId + ")");
        }
    }

    /** Truncated to what PostgreSQL stores, so a response equals a later read. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static ProblemException notFound(long id) {
        return ProblemException.notFound("order " + id + ": not found");
    }
}
