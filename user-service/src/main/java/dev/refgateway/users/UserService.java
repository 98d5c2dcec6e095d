package dev.refgateway.users;

import dev.refgateway.support.json.Fields;
import dev.refgateway.support.json.JsonBodies;
import dev.refgateway.support.problem.ProblemException;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The {@code /users} resource. Every failure leaves as {@code application/problem+json} naming the bad value.
 */
final class UserService implements HttpService {

    private final UserRepository users;

    UserService(UserRepository users) {
        this.users = users;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::create)
                .get("/", this::list)
                .get("/{id}", this::get)
                .put("/{id}", this::update)
                .delete("/{id}", this::delete);
    }

    private void create(ServerRequest req, ServerResponse res) {
        UserInput input = UserInput.from(JsonBodies.readObject(req));
        User user;
        try {
            user = users.create(input);
        } catch (DuplicateEmailException e) {
            throw emailTaken(e);
        }
        res.header(HeaderNames.LOCATION, "/users/" + user.id());
        JsonBodies.send(res, Status.CREATED_201, user);
    }

    private void list(ServerRequest req, ServerResponse res) {
        JsonBodies.send(res, Status.OK_200, users.list(PageRequest.from(req.query())));
    }

    private void get(ServerRequest req, ServerResponse res) {
        long id = id(req);
        User user = users.find(id).orElseThrow(() -> notFound(id));
        JsonBodies.send(res, Status.OK_200, user);
    }

    private void update(ServerRequest req, ServerResponse res) {
        long id = id(req);
        UserInput input = UserInput.from(JsonBodies.readObject(req));
        User user;
        try {
            user = users.update(id, input).orElseThrow(() -> notFound(id));
        } catch (DuplicateEmailException e) {
            throw emailTaken(e);
        }
        JsonBodies.send(res, Status.OK_200, user);
    }

    private void delete(ServerRequest req, ServerResponse res) {
        long id = id(req);
        if (!users.delete(id)) {
            throw notFound(id);
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    private static long id(ServerRequest req) {
        String raw = req.path().pathParameters().get("id");
        try {
            long id = Long.parseLong(raw);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below, with the text the client sent
        }
        throw Fields.invalid("id", TextNode.valueOf(raw), "a positive integer");
    }

    private static ProblemException notFound(long id) {
        return ProblemException.notFound("user " + id + ": not found");
    }

    private static ProblemException emailTaken(DuplicateEmailException e) {
        return ProblemException.conflict("email: \"" + e.email() + "\" is already taken by another user");
    }
}
