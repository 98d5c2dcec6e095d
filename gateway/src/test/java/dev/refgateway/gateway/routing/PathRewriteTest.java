package dev.refgateway.gateway.routing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PathRewriteTest {

    @Test
    void noneForwardsThePathByteForByte() {
        assertThat(PathRewrite.none().apply("/users/a%2Fb%20c")).isEqualTo("/users/a%2Fb%20c");
    }

    @Test
    void stripPrefixRemovesLeadingSegments() {
        PathRewrite stripOne = PathRewrite.stripPrefix(1);

        assertThat(stripOne.apply("/users/7")).isEqualTo("/7");
        assertThat(stripOne.apply("/users/7/orders/")).isEqualTo("/7/orders/");
        assertThat(PathRewrite.stripPrefix(2).apply("/api/v1/users/7")).isEqualTo("/users/7");
    }

    @Test
    void strippingEverySegmentLeavesTheRoot() {
        PathRewrite stripOne = PathRewrite.stripPrefix(1);

        assertThat(stripOne.apply("/users")).isEqualTo("/");
        assertThat(stripOne.apply("/users/")).isEqualTo("/");
        assertThat(PathRewrite.stripPrefix(5).apply("/a/b")).isEqualTo("/");
    }

    @Test
    void stripPrefixKeepsPercentEncodingExactly() {
        assertThat(PathRewrite.stripPrefix(1).apply("/files/a%2Fb%20c%2f")).isEqualTo("/a%2Fb%20c%2f");
    }

    @Test
    void stripPrefixOfZeroIsNoRewriteAndNegativeIsRejected() {
        assertThat(PathRewrite.stripPrefix(0)).isEqualTo(PathRewrite.none());
        assertThatThrownBy(() -> PathRewrite.stripPrefix(-1)).hasMessage("-1 (expected: >= 0)");
    }

    @Test
    void regexReplacesWithNumberedAndNamedGroups() {
        PathRewrite versioned = PathRewrite.regex("^/api/v(\\d+)/(.*)", "/$2/version/$1");
        PathRewrite named = PathRewrite.regex("^/old/(?<rest>.*)", "/new/${rest}");

        assertThat(versioned.apply("/api/v2/users/7")).isEqualTo("/users/7/version/2");
        assertThat(named.apply("/old/a/b")).isEqualTo("/new/a/b");
        assertThat(named.apply("/other")).as("no match: unchanged").isEqualTo("/other");
    }

    @Test
    void regexWorksOnTheRawPathAndKeepsEncodedCharacters() {
        PathRewrite rewrite = PathRewrite.regex("^/old/(.*)", "/new/$1");

        assertThat(rewrite.apply("/old/a%2Fb%3F")).isEqualTo("/new/a%2Fb%3F");
    }

    @Test
    void regexResultAlwaysStartsWithSlash() {
        assertThat(PathRewrite.regex("^/api", "").apply("/api")).isEqualTo("/");
        assertThat(PathRewrite.regex("^/api/", "").apply("/api/users")).isEqualTo("/users");
    }

    @Test
    void groupNumberTakesAsManyDigitsAsNameAGroup() {
        // Java reads "$12" as group 1 followed by '2' when the regex has fewer than 12 groups.
        assertThat(PathRewrite.regex("^/a/(.*)", "/$12").apply("/a/x")).isEqualTo("/x2");
    }

    @Test
    void invalidRegexIsRejectedAtStartUp() {
        assertThatThrownBy(() -> PathRewrite.regex("^/a/(", "/$1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("\"^/a/(\" (expected: a Java regular expression; Unclosed group");
    }

    @Test
    void replacementThatNamesAMissingGroupIsRejectedAtStartUp() {
        assertThatThrownBy(() -> PathRewrite.regex("^/a/(.*)", "/$2"))
                .hasMessage("\"/$2\" (expected: only groups the regex has; it has 1 group(s))");
        assertThatThrownBy(() -> PathRewrite.regex("^/a/(.*)", "/${rest}"))
                .hasMessage("\"/${rest}\" (expected: only groups the regex names; it has no group named 'rest')");
        assertThatThrownBy(() -> PathRewrite.regex("^/a/(.*)", "/cost$"))
                .hasMessage("\"/cost$\" (expected: a group number or {name} after '$'; write \\$ for a literal '$')");
        assertThatThrownBy(() -> PathRewrite.regex("^/a/(.*)", "/x\\"))
                .hasMessage("\"/x\\\" (expected: a character after '\\')");
    }

    @Test
    void escapedDollarIsALiteral() {
        assertThat(PathRewrite.regex("^/a/(.*)", "/\\$/$1").apply("/a/x")).isEqualTo("/$/x");
    }
}
