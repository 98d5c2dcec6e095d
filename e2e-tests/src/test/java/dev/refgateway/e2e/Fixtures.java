package dev.refgateway.e2e;

import java.util.UUID;

import dev.refgateway.e2e.client.ApiClient;
import dev.refgateway.e2e.client.Reply;

/** Request bodies and setup calls shared by the tests; every user gets a unique e-mail address. */
final class Fixtures {

    private Fixtures() {
    }

    static String uniqueEmail() {
        return "e2e-" + UUID.randomUUID() + "@example.com";
    }

    static String userJson(String name, String email) {
        return "{\"name\":\"" + name + "\",\"email\":\"" + email + "\"}";
    }

    /** A fresh user's JSON body (unique e-mail): for POST loops. */
    static String newUserJson() {
        return userJson("E2E User", uniqueEmail());
    }

    /** Creates a user through the gateway; returns its id. */
    static long createUser(ApiClient gateway) {
        Reply reply = gateway.post("/users", newUserJson());
        if (reply.status() != 201) {
            throw new AssertionError("Creating a user failed: " + reply);
        }
        return reply.json().path("id").asLong();
    }

    /** Creates an order of one item through the gateway; returns its id. */
    static long createOrder(ApiClient gateway, long userId) {
        Reply reply = gateway.post("/orders", "{\"userId\":" + userId
                + ",\"items\":[{\"sku\":\"BOOK-1\",\"quantity\":1,\"unitPrice\":19.99}]}");
        if (reply.status() != 201) {
            throw new AssertionError("Creating an order failed: " + reply);
        }
        return reply.json().path("id").asLong();
    }
}
