package com.orderflow.local.engine.definition;

import static org.assertj.core.api.Assertions.assertThat;

import com.orderflow.local.engine.expr.JsonText;
import org.junit.jupiter.api.Test;

class SiteTest {

    private static Site root(String json) throws Exception {
        return Site.root(JsonText.read(json));
    }

    @Test
    void fieldsAndElements_deriveTheirPointersFromWhereTheySit() throws Exception {
        var catcher = root("""
                {"States":{"T":{"Catch":[{"Next":"A"},{"Next":"B"}]}}}""")
                .field("States").field("T").field("Catch").element(1);

        assertThat(catcher.pointer()).isEqualTo("/States/T/Catch/1");
        assertThat(catcher.field("Next").node().textValue()).isEqualTo("B");
        assertThat(catcher.field("Next").location()).isEqualTo("/States/T/Catch/1/Next");
    }

    @Test
    void root_isPrintedAsASlash_butPrefixesItsFieldsWithNothing() throws Exception {
        var top = root("{\"StartAt\":\"A\"}");

        assertThat(top.pointer()).isEmpty();
        assertThat(top.location()).isEqualTo("/");
        assertThat(top.field("StartAt").location()).isEqualTo("/StartAt");
    }

    @Test
    void absentField_isASiteWithoutANode_whileJsonNullIsPresent() throws Exception {
        var state = root("{\"ResultPath\":null}");

        assertThat(state.field("InputPath").isPresent()).isFalse();
        assertThat(state.field("InputPath").location()).isEqualTo("/InputPath");
        assertThat(state.field("ResultPath").isPresent()).isTrue();
        assertThat(state.field("InputPath").field("deeper").element(3).pointer()).isEqualTo("/InputPath/deeper/3");
    }

    @Test
    void namesWithSlashOrTilde_areJoinedUnescaped() throws Exception {
        var state = root("{\"States\":{\"a/b~c\":{}}}").field("States").fields().getFirst();

        assertThat(state.name()).isEqualTo("a/b~c");
        assertThat(state.pointer()).isEqualTo("/States/a/b~c");
    }

    @Test
    void fieldsAndElements_ofTheWrongKindOfNode_areNone() throws Exception {
        var top = root("{\"list\":[1,2],\"object\":{\"x\":1}}");

        assertThat(top.field("list").fields()).isEmpty();
        assertThat(top.field("object").elements()).isEmpty();
        assertThat(top.field("list").elements()).extracting(Site::pointer).containsExactly("/list/0", "/list/1");
    }
}
