package dev.refgateway.users;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.refgateway.support.SampleService;
import dev.refgateway.support.db.Database;
import dev.refgateway.support.json.JsonBodies;
import dev.refgateway.users.JsonClient.Reply;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code /users} routes against a real (in-memory H2) database, without sockets or Consul. */
@RoutingTest
class UserServiceTest {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static Database database;

    private final JsonClient users;

    UserServiceTest(DirectClient client) {
        this.users = new JsonClient(client);
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        database = Database.create(Config.just(ConfigSources.create(Map.of(
                "url", "jdbc:h2:mem:user-service-test;DB_CLOSE_DELAY=-1",
                "user", "sa",
                "password", ""))));
        SampleService.testRouting(routing);
        Main.routing(routing, database.dataSource());
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @BeforeEach
    void startWithNoUsers() throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM users");
        }
    }

    @Test
    void createAnswers201WithLocationAndTheNormalisedUser() {
        Reply reply = users.post("/users", body("  Ada Lovelace ", "Ada@Example.COM"));

        assertThat(reply.status()).as(reply::toString).isEqualTo(Status.CREATED_201);
        JsonNode user = reply.json();
        long id = user.path("id").asLong();
        assertThat(id).isPositive();
        assertThat(reply.header("Location")).isEqualTo("/users/" + id);
        assertThat(reply.contentType()).startsWith("application/json");
        assertThat(reply.header("X-Instance-Id")).isEqualTo("test-instance");
        assertThat(user.path("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(user.path("email").asText()).isEqualTo("ada@example.com");
        Instant createdAt = Instant.parse(user.path("createdAt").asText());
        assertThat(createdAt).isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(user.path("updatedAt").asText()).isEqualTo(user.path("createdAt").asText());
        assertThat(fieldNames(user)).containsExactly("id", "name", "email", "createdAt", "updatedAt");
    }

    @Test
    void createdUserReadsBackIdentically() {
        Reply created = users.post("/users", body("Ada", "ada@example.com"));

        Reply read = users.get(created.header("Location"));

        assertThat(read.status()).as(read::toString).isEqualTo(Status.OK_200);
        assertThat(read.json()).isEqualTo(created.json());
    }

    @Test
    void unknownFieldsAreIgnored() {
        Reply reply = users.post("/users", "{\"name\":\"Ada\",\"email\":\"ada@example.com\",\"id\":999,\"admin\":true}");

        assertThat(reply.status()).as(reply::toString).isEqualTo(Status.CREATED_201);
        assertThat(reply.json().path("id").asLong()).isNotEqualTo(999);
        assertThat(reply.json().has("admin")).isFalse();
    }

    @Test
    void nameOfOneHundredCodePointsIsAcceptedEvenWhenTheyAreTwoCharsEach() {
        String hundredEmoji = "\uD83D\uDE00".repeat(100);

        Reply reply = users.post("/users", body(hundredEmoji, "smile@example.com"));

        assertThat(reply.status()).as(reply::toString).isEqualTo(Status.CREATED_201);
        assertThat(users.get(reply.header("Location")).json().path("name").asText()).isEqualTo(hundredEmoji);
    }

    @Test
    void listPagesUsersInIdOrderWithTheTotal() {
        long first = createUser("Ann", "ann@example.com");
        long second = createUser("Bob", "bob@example.com");
        long third = createUser("Cy", "cy@example.com");

        Reply page = users.get("/users?limit=2&offset=1");

        assertThat(page.status()).as(page::toString).isEqualTo(Status.OK_200);
        JsonNode json = page.json();
        assertThat(json.path("items").findValuesAsText("email")).containsExactly("bob@example.com", "cy@example.com");
        assertThat(json.path("items").get(0).path("id").asLong()).isEqualTo(second);
        assertThat(json.path("items").get(1).path("id").asLong()).isEqualTo(third).isGreaterThan(first);
        assertThat(json.path("limit").asInt()).isEqualTo(2);
        assertThat(json.path("offset").asLong()).isEqualTo(1);
        assertThat(json.path("total").asLong()).isEqualTo(3);
    }

    @Test
    void listDefaultsToTheFirstTwentyUsers() {
        for (int i = 0; i < 21; i++) {
            createUser("User " + i, "user" + i + "@example.com");
        }

        Reply page = users.get("/users");

        assertThat(page.status()).as(page::toString).isEqualTo(Status.OK_200);
        assertThat(page.json().path("items").size()).isEqualTo(20);
        assertThat(page.json().path("items").get(0).path("email").asText()).isEqualTo("user0@example.com");
        assertThat(page.json().path("limit").asInt()).isEqualTo(20);
        assertThat(page.json().path("offset").asLong()).isZero();
        assertThat(page.json().path("total").asLong()).isEqualTo(21);
    }

    @Test
    void listBeyondTheLastUserIsEmptyButKeepsTheTotal() {
        createUser("Ann", "ann@example.com");

        Reply page = users.get("/users?limit=100&offset=" + Long.MAX_VALUE);

        assertThat(page.status()).as(page::toString).isEqualTo(Status.OK_200);
        assertThat(page.json().path("items").size()).isZero();
        assertThat(page.json().path("total").asLong()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=abc", "limit=0", "limit=-1", "limit=101", "limit=", "limit=1.5",
                            "limit=99999999999999999999", "offset=-1", "offset=x", "offset="})
    void listRejectsABadParameterNamingItAndItsValue(String query) {
        String name = query.substring(0, query.indexOf('='));
        String value = query.substring(query.indexOf('=') + 1);

        Reply reply = users.get("/users?" + query);

        assertProblem(reply, Status.BAD_REQUEST_400, name + ": \"" + value + "\" (expected: ");
    }

    @Test
    void updateReplacesNameAndEmailAndKeepsCreatedAt() {
        Reply created = users.post("/users", body("Ada", "ada@example.com"));
        String location = created.header("Location");

        Reply updated = users.put(location, body(" Ada King ", "ADA.KING@example.com"));

        assertThat(updated.status()).as(updated::toString).isEqualTo(Status.OK_200);
        JsonNode user = updated.json();
        assertThat(user.path("id").asLong()).isEqualTo(created.json().path("id").asLong());
        assertThat(user.path("name").asText()).isEqualTo("Ada King");
        assertThat(user.path("email").asText()).isEqualTo("ada.king@example.com");
        assertThat(user.path("createdAt")).isEqualTo(created.json().path("createdAt"));
        assertThat(Instant.parse(user.path("updatedAt").asText()))
                .isAfterOrEqualTo(Instant.parse(user.path("createdAt").asText()));
        assertThat(users.get(location).json()).isEqualTo(user);
    }

    @Test
    void updateMayKeepTheUsersOwnEmailInAnotherCase() {
        String location = users.post("/users", body("Ada", "ada@example.com")).header("Location");

        Reply updated = users.put(location, body("Ada", "ADA@example.com"));

        assertThat(updated.status()).as(updated::toString).isEqualTo(Status.OK_200);
        assertThat(updated.json().path("email").asText()).isEqualTo("ada@example.com");
    }

    @Test
    void updateToAnotherUsersEmailIsAConflict() {
        createUser("Ann", "ann@example.com");
        String bob = users.post("/users", body("Bob", "bob@example.com")).header("Location");

        Reply reply = users.put(bob, body("Bob", "Ann@Example.com"));

        assertProblem(reply, Status.CONFLICT_409, "ann@example.com");
        assertThat(users.get(bob).json().path("email").asText()).isEqualTo("bob@example.com");
    }

    @Test
    void updateValidatesLikeCreate() {
        String location = users.post("/users", body("Ada", "ada@example.com")).header("Location");

        Reply reply = users.put(location, body(" ", "ada@example.com"));

        assertProblem(reply, Status.BAD_REQUEST_400, "name: ");
    }

    @Test
    void updateOfAnUnknownUserIsNotFound() {
        Reply reply = users.put("/users/424242", body("Ada", "ada@example.com"));

        assertProblem(reply, Status.NOT_FOUND_404, "user 424242: not found");
    }

    @Test
    void deleteAnswers204ThenTheUserIsGone() {
        String location = users.post("/users", body("Ada", "ada@example.com")).header("Location");

        Reply deleted = users.delete(location);

        assertThat(deleted.status()).as(deleted::toString).isEqualTo(Status.NO_CONTENT_204);
        assertThat(deleted.body()).isEmpty();
        assertProblem(users.get(location), Status.NOT_FOUND_404, "not found");
        assertProblem(users.delete(location), Status.NOT_FOUND_404, "not found");
    }

    @Test
    void deletedUsersEmailCanBeUsedAgain() {
        String location = users.post("/users", body("Ada", "ada@example.com")).header("Location");
        users.delete(location);

        Reply reply = users.post("/users", body("Ada", "ada@example.com"));

        assertThat(reply.status()).as(reply::toString).isEqualTo(Status.CREATED_201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ann@example.com", "ANN@EXAMPLE.COM", "Ann@example.com"})
    void duplicateEmailIsAConflictNamingTheEmail(String email) {
        createUser("Ann", "ann@example.com");

        Reply reply = users.post("/users", body("Another Ann", email));

        assertProblem(reply, Status.CONFLICT_409, "email: \"ann@example.com\" is already taken");
        assertThat(users.get("/users").json().path("total").asLong()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"name\": \"Ada\",}", "not json", "{\"name\":\"Ada\"} trailing"})
    void malformedJsonIsABadRequest(String body) {
        Reply reply = users.post("/users", body);

        assertProblem(reply, Status.BAD_REQUEST_400, "not valid JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"Ada\"", "42", "null"})
    void jsonThatIsNotAnObjectIsABadRequest(String body) {
        Reply reply = users.post("/users", body);

        assertProblem(reply, Status.BAD_REQUEST_400, "expected: a JSON object");
    }

    @Test
    void emptyBodyIsABadRequest() {
        Reply reply = users.post("/users", "");

        assertProblem(reply, Status.BAD_REQUEST_400, "empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"email\":\"a@example.com\"}",
                            "{\"name\":null,\"email\":\"a@example.com\"}",
                            "{\"name\":\"\",\"email\":\"a@example.com\"}",
                            "{\"name\":\"  \\t \",\"email\":\"a@example.com\"}",
                            "{\"name\":5,\"email\":\"a@example.com\"}",
                            "{\"name\":[\"Ada\"],\"email\":\"a@example.com\"}",
                            "{\"name\":{\"first\":\"Ada\"},\"email\":\"a@example.com\"}"})
    void missingBlankOrNonTextNameIsABadRequestNamingName(String body) {
        Reply reply = users.post("/users", body);

        assertProblem(reply, Status.BAD_REQUEST_400, "name: ");
    }

    @Test
    void nameOfOneHundredAndOneCharactersIsABadRequest() {
        Reply reply = users.post("/users", body("x".repeat(101), "ada@example.com"));

        assertProblem(reply, Status.BAD_REQUEST_400, "name: 101 characters after trimming (expected: 1 to 100)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plainaddress", "ada@example", "@example.com", "ada@@example.com", "ada@ex@ample.com",
                            "ada lovelace@example.com", "ada@example..com", "ada@.example.com", "ada@example.com.",
                            "ada@", "", "   "})
    void malformedEmailIsABadRequestNamingEmail(String email) {
        Reply reply = users.post("/users", body("Ada", email));

        assertProblem(reply, Status.BAD_REQUEST_400, "email: ");
        assertThat(reply.detail()).contains("(expected: an address like name@example.com)");
    }

    @Test
    void emailLongerThan254CharactersIsABadRequest() {
        String email = "a".repeat(243) + "@example.com";

        Reply reply = users.post("/users", body("Ada", email));

        assertProblem(reply, Status.BAD_REQUEST_400, "email: 255 characters (expected: at most 254)");
    }

    @Test
    void emailOf254CharactersIsAccepted() {
        String email = "a".repeat(242) + "@example.com";

        Reply reply = users.post("/users", body("Ada", email));

        assertThat(reply.status()).as(reply::toString).isEqualTo(Status.CREATED_201);
        assertThat(reply.json().path("email").asText()).isEqualTo(email);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"name\":\"Ada\"}", "{\"name\":\"Ada\",\"email\":5}", "{\"name\":\"Ada\",\"email\":true}"})
    void missingOrNonTextEmailIsABadRequestNamingEmail(String body) {
        Reply reply = users.post("/users", body);

        assertProblem(reply, Status.BAD_REQUEST_400, "email: ");
    }

    @Test
    void unknownIdIsNotFound() {
        Reply reply = users.get("/users/987654");

        assertProblem(reply, Status.NOT_FOUND_404, "user 987654: not found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "-1", "1.5", "99999999999999999999"})
    void idThatIsNotAPositiveIntegerIsABadRequestNamingIt(String id) {
        for (Reply reply : new Reply[] {users.get("/users/" + id),
                                        users.put("/users/" + id, body("Ada", "ada@example.com")),
                                        users.delete("/users/" + id)}) {
            assertProblem(reply, Status.BAD_REQUEST_400, "id: \"" + id + "\" (expected: a positive integer)");
        }
    }

    private long createUser(String name, String email) {
        Reply reply = users.post("/users", body(name, email));
        assertThat(reply.status()).as(reply::toString).isEqualTo(Status.CREATED_201);
        return reply.json().path("id").asLong();
    }

    private static void assertProblem(Reply reply, Status status, String detailPart) {
        assertThat(reply.status()).as(reply::toString).isEqualTo(status);
        assertThat(reply.contentType()).as(reply::toString).isEqualTo(PROBLEM_JSON);
        JsonNode problem = reply.json();
        assertThat(problem.path("status").asInt()).isEqualTo(status.code());
        assertThat(problem.path("type").asText()).startsWith("https://");
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).contains(detailPart);
    }

    private static String body(String name, String email) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("email", email);
        try {
            return JsonBodies.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Iterable<String> fieldNames(JsonNode node) {
        return node::fieldNames;
    }
}
