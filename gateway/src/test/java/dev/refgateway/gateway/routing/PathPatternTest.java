package dev.refgateway.gateway.routing;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PathPatternTest {

    @Test
    void exactPatternMatchesOnlyTheSamePath() {
        PathPattern users = PathPattern.parse("/users");

        assertThat(users.kind()).isEqualTo(PathPattern.Kind.EXACT);
        assertThat(users.matches("/users")).isTrue();
        assertThat(users.matches("/users/")).as("trailing slash is another path").isFalse();
        assertThat(users.matches("/users/7")).isFalse();
        assertThat(users.matches("/usersx")).isFalse();
        assertThat(users.matches("/user")).isFalse();
        assertThat(users.matches("/Users")).as("case-sensitive").isFalse();
    }

    @Test
    void prefixPatternMatchesThePathItselfAndEverythingBelowButNotLongerNames() {
        PathPattern users = PathPattern.parse("/users/**");

        assertThat(users.kind()).isEqualTo(PathPattern.Kind.PREFIX);
        assertThat(users.matches("/users")).isTrue();
        assertThat(users.matches("/users/")).isTrue();
        assertThat(users.matches("/users/7")).isTrue();
        assertThat(users.matches("/users/7/orders")).isTrue();
        assertThat(users.matches("/usersx")).isFalse();
        assertThat(users.matches("/usersx/7")).isFalse();
        assertThat(users.matches("/user")).isFalse();
        assertThat(users.matches("/")).isFalse();
    }

    @Test
    void singleStarMatchesExactlyOneNonEmptySegment() {
        PathPattern orders = PathPattern.parse("/users/*/orders");

        assertThat(orders.kind()).isEqualTo(PathPattern.Kind.WILDCARD);
        assertThat(orders.matches("/users/7/orders")).isTrue();
        assertThat(orders.matches("/users/abc%2Fdef/orders")).isTrue();
        assertThat(orders.matches("/users//orders")).isFalse();
        assertThat(orders.matches("/users/orders")).isFalse();
        assertThat(orders.matches("/users/7/8/orders")).isFalse();
        assertThat(orders.matches("/users/7/orders/1")).isFalse();
        assertThat(orders.matches("/users/7/orders/")).isFalse();
        assertThat(orders.matches("/users/7/ordersx")).isFalse();
    }

    @Test
    void trailingStarNeedsASegment() {
        PathPattern user = PathPattern.parse("/users/*");

        assertThat(user.matches("/users/7")).isTrue();
        assertThat(user.matches("/users/")).isFalse();
        assertThat(user.matches("/users")).isFalse();
        assertThat(user.matches("/users/7/orders")).isFalse();
    }

    @Test
    void starAndDoubleStarCombine() {
        PathPattern items = PathPattern.parse("/api/*/items/**");

        assertThat(items.kind()).isEqualTo(PathPattern.Kind.PREFIX);
        assertThat(items.matches("/api/v1/items")).isTrue();
        assertThat(items.matches("/api/v1/items/3/parts")).isTrue();
        assertThat(items.matches("/api/v1/itemsx")).isFalse();
        assertThat(items.matches("/api//items")).isFalse();
    }

    @Test
    void catchAllMatchesEveryAbsolutePath() {
        PathPattern all = PathPattern.parse("/**");

        assertThat(all.matches("/")).isTrue();
        assertThat(all.matches("/anything/at/all")).isTrue();
        assertThat(all.matches("")).isFalse();
        assertThat(all.matches("relative")).isFalse();
        assertThat(all.matches(null)).isFalse();
    }

    @Test
    void rootPatternMatchesOnlyTheRoot() {
        PathPattern root = PathPattern.parse("/");

        assertThat(root.matches("/")).isTrue();
        assertThat(root.matches("/users")).isFalse();
    }

    @Test
    void malformedPatternsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> PathPattern.parse("users/**"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"users/**\" (expected: starts with '/')");
        assertThatThrownBy(() -> PathPattern.parse("/a/**/b"))
                .hasMessage("\"/a/**/b\" (expected: '**' only as the last segment)");
        assertThatThrownBy(() -> PathPattern.parse("/a//b"))
                .hasMessage("\"/a//b\" (expected: no empty segments ('//' or a trailing '/'))");
        assertThatThrownBy(() -> PathPattern.parse("/a/"))
                .hasMessage("\"/a/\" (expected: no empty segments ('//' or a trailing '/'))");
        assertThatThrownBy(() -> PathPattern.parse("/users*"))
                .hasMessage("\"/users*\" (expected: '*' and '**' only as whole segments)");
        assertThatThrownBy(() -> PathPattern.parse("/users?id=1"))
                .hasMessage("\"/users?id=1\" (expected: a path without query, fragment or whitespace)");
        assertThatThrownBy(() -> PathPattern.parse(""))
                .hasMessage("\"\" (expected: starts with '/')");
    }

    @Test
    void moreLiteralSegmentsComeFirstThenExactThenStarThenPrefix() {
        List<PathPattern> patterns = new ArrayList<>(List.of(
                PathPattern.parse("/**"),
                PathPattern.parse("/users/**"),
                PathPattern.parse("/users/*"),
                PathPattern.parse("/users"),
                PathPattern.parse("/users/*/orders")));

        patterns.sort(PathPattern.MOST_SPECIFIC_FIRST);

        assertThat(patterns).map(PathPattern::pattern)
                .containsExactly("/users/*/orders", "/users", "/users/*", "/users/**", "/**");
    }

    @Test
    void longerLiteralTextWinsAmongOtherwiseEqualPatterns() {
        List<PathPattern> patterns = new ArrayList<>(List.of(PathPattern.parse("/api/**"),
                                                             PathPattern.parse("/api-v2/**")));

        patterns.sort(PathPattern.MOST_SPECIFIC_FIRST);

        assertThat(patterns).map(PathPattern::pattern).containsExactly("/api-v2/**", "/api/**");
    }
}
