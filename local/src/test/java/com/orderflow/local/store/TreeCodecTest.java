package com.orderflow.local.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** History details survive the store's binary form exactly, in today's form and in the first one. */
class TreeCodecTest {

    @Test
    void details_roundTripExactly_withDictionaryKeys_otherKeys_andEveryValueKind() throws Exception {
        JsonNode details = Json.mapper().readTree("""
                {"stateEnteredEventDetails":{"name":"Prepare","input":"{\\"id\\":\\"abc\\"}",
                 "inputDetails":{"truncated":false}},
                 "a key not in the dictionary":[1,-2,9007199254740993,0.1,null,true,false,"ünïcödé 🚀",{}, []],
                 "":"", "big": 123456789012345678901234567890}""");
        var out = new TreeCodec.Out(8);
        TreeCodec.write(details, out);
        JsonNode read = TreeCodec.read(ByteBuffer.wrap(out.toArray()));
        assertThat(read.toString()).isEqualTo(details.toString());
        assertThat(read.path("stateEnteredEventDetails")).isEqualTo(details.path("stateEnteredEventDetails"));
        assertThat(read.path("a key not in the dictionary")).isEqualTo(details.path("a key not in the dictionary"));
        assertThat(read.path("big").bigIntegerValue()).isEqualTo(new java.math.BigInteger("123456789012345678901234567890"));
    }

    @Test
    void aLongString_andManyFields_needMultiByteVarints_andStillRoundTrip() {
        var node = Json.mapper().createObjectNode();
        for (int i = 0; i < 300; i++) {
            node.put("field" + i, "x".repeat(i * 70));
        }
        var out = new TreeCodec.Out(8);
        TreeCodec.write(node, out);
        assertThat(TreeCodec.read(ByteBuffer.wrap(out.toArray()))).isEqualTo(node);
    }

    @Test
    void dictionaryKeys_makeAStateEnteredEventSmallerThanItsJsonText() throws Exception {
        JsonNode details = Json.mapper().readTree(
                "{\"stateEnteredEventDetails\":{\"name\":\"Prepare\",\"input\":\"{}\",\"inputDetails\":{\"truncated\":false}}}");
        var out = new TreeCodec.Out(8);
        TreeCodec.write(details, out);
        // 3 objects (tag, size), 4 one-byte keys, 2 strings (tag, length, 9 characters), false: 25 bytes, not 95
        assertThat(out.toArray()).hasSize(25);
        assertThat(details.toString().length()).isEqualTo(95);
    }

    @Test
    void recordsOfTheFirstForm_fourByteLengthsAndSpelledOutKeys_stillRead() throws Exception {
        var bytes = new ByteArrayOutputStream();
        var first = new DataOutputStream(bytes);
        first.writeByte(7); // OBJECT, 1 field
        first.writeInt(1);
        writeFirstFormString(first, "stateExitedEventDetails");
        first.writeByte(7); // OBJECT, 2 fields
        first.writeInt(2);
        writeFirstFormString(first, "name");
        first.writeByte(5); // STRING
        writeFirstFormString(first, "Tag");
        writeFirstFormString(first, "output");
        first.writeByte(6); // ARRAY of 2
        first.writeInt(2);
        first.writeByte(3); // LONG
        first.writeLong(42);
        first.writeByte(8); // DECIMAL
        writeFirstFormString(first, "2.5");
        JsonNode read = TreeCodec.read(ByteBuffer.wrap(bytes.toByteArray()));
        assertThat(read).isEqualTo(Json.mapper().readTree("{\"stateExitedEventDetails\":{\"name\":\"Tag\",\"output\":[42,2.5]}}"));
    }

    private static void writeFirstFormString(DataOutputStream out, String s) throws Exception {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }
}
