package dev.refgateway.orders;

import dev.refgateway.support.problem.ProblemException;

/** Whether an order may be placed for a user: user-service is asked, through whatever API the order came. */
final class UserCheck {

    private UserCheck() {
    }

    /**
     * @throws ProblemException 422 when user-service does not know the user, 503 when it cannot say
     */
    static void require(UserDirectory users, long userId) {
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
}
