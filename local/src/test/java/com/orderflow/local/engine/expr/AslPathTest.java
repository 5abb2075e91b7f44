package com.orderflow.local.engine.expr;

import static com.orderflow.local.engine.run.EngineFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AslPathTest {

    private final com.fasterxml.jackson.databind.JsonNode data = json("""
            {"a":{"b":[10,{"c":"x"}],"n":null},"items":[{"k":1},{"k":2},{"k":3}],"odd key":true}""");

    @Test
    void referencePath_readsFieldsIndexesAndBracketNames() {
        assertThat(AslPath.parse("$.a.b[1].c").read(data)).isEqualTo(json("\"x\""));
        assertThat(AslPath.parse("$['odd key']").read(data)).isEqualTo(json("true"));
        assertThat(AslPath.parse("$").read(data)).isSameAs(data);
        assertThat(AslPath.parse("$.a.b[0]").isReference()).isTrue();
    }

    @Test
    void read_distinguishesMissingFromJsonNull() {
        assertThat(AslPath.parse("$.a.n").read(data).isNull()).isTrue();
        assertThat(AslPath.parse("$.a.missing").read(data)).isNull();
        assertThat(AslPath.parse("$.a.b[9]").read(data)).isNull();
    }

    @Test
    void jsonPathFeatures_goThroughJsonPathAndYieldArrays() {
        assertThat(AslPath.parse("$.items[?(@.k > 1)].k").read(data)).isEqualTo(json("[2,3]"));
        assertThat(AslPath.parse("$.items[*].k").read(data)).isEqualTo(json("[1,2,3]"));
        assertThat(AslPath.parse("$.items[-1:]").read(data)).isEqualTo(json("[{\"k\":3}]"));
        assertThat(AslPath.parse("$.items[*].k").isReference()).isFalse();
    }

    @Test
    void set_createsIntermediateObjectsWithoutMutatingTheInput() {
        var input = json("{\"x\":{\"y\":1}}");
        var out = AslPath.parse("$.x.z.w").set(input, json("5"));
        assertThat(out).isEqualTo(json("{\"x\":{\"y\":1,\"z\":{\"w\":5}}}"));
        assertThat(input).isEqualTo(json("{\"x\":{\"y\":1}}"));
    }

    @Test
    void set_onNonObjectInput_isRefused() {
        assertThat(AslPath.parse("$.a").set(json("\"text\""), json("1"))).isNull();
        assertThat(AslPath.parse("$").set(json("\"text\""), json("1"))).isEqualTo(json("1"));
    }

    @Test
    void contextPath_isMarkedAndReadsFromTheGivenRoot() {
        var path = AslPath.parse("$$.Execution.Id");
        assertThat(path.isContext()).isTrue();
        assertThat(path.read(json("{\"Execution\":{\"Id\":\"e\"}}"))).isEqualTo(json("\"e\""));
    }

    @Test
    void invalidPaths_areRejected() {
        assertThatThrownBy(() -> AslPath.parse("foo")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AslPath.parse("$.a[")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AslPath.parse("$..")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void canonical_isJsonPathBracketForm() {
        assertThat(AslPath.parse("$.foo.bar").canonical()).isEqualTo("$['foo']['bar']");
    }
}
