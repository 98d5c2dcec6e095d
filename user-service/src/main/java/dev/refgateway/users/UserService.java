package dev.refgateway.users;

import dev.refgateway.support.http.PageRequest;
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
        long id = RequestValues.pathId(req);
        User user = users.find(id).orElseThrow(() -> notFound(id));
        JsonBodies.send(res, Status.OK_200, user);
    }

    private void update(ServerRequest req, ServerResponse res) {
        long id = RequestValues.pathId(req);
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
        long id = RequestValues.pathId(req);
        if (!users.delete(id)) {
            throw notFound(id);
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    private static ProblemException notFound(long id) {
        return ProblemException.notFound("user " + id + ": not found");
    }

    private static ProblemException emailTaken(DuplicateEmailException e) {
        return ProblemException.conflict("email: \"" + e.email() + "\" is already taken by another user");
    }
}
