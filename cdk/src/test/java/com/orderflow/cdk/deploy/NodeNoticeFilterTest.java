package com.orderflow.cdk.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** jsii's boxed Node notice becomes one line; everything else on stderr passes as written. */
class NodeNoticeFilterTest {

    /** What jsii 1.139 prints on Node 20, as its sink relays it: each box line followed by an empty one. */
    static final String END_OF_LIFE_BOX = """
            !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!

            !!                                                                                       !!

            !!  Node 20 is end-of-life and not supported anymore by this software since 2026-10-30.  !!

            !!  Please upgrade to a supported node version as soon as possible.                      !!

            !!                                                                                       !!

            !!  This software is currently running on node v20.20.2.                                 !!

            !!  As of the current release of this software, supported node releases are:             !!

            !!  - ^24.0.0 (Planned end-of-life: 2028-04-30)                                          !!

            !!  - ^22.0.0 (Planned end-of-life: 2027-04-30)                                          !!

            !!                                                                                       !!

            !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!

            """;

    final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    final PrintStream stderr = NodeNoticeFilter.around(new PrintStream(terminal, true, StandardCharsets.UTF_8));

    String seen() {
        stderr.flush();
        return terminal.toString(StandardCharsets.UTF_8);
    }

    @Test
    void endOfLifeBox_becomesOneLine_sayingWhatItSaid() {
        stderr.print("before\n");
        stderr.print(END_OF_LIFE_BOX);
        stderr.println("after");

        assertThat(seen()).isEqualTo("before\n"
                + "NOTE (jsii): Node 20 is end-of-life and not supported anymore by this software since 2026-10-30."
                + " Supported: ^24.0.0, ^22.0.0. See the README's Set up for the Node versions that work.\n"
                + "after\n");
    }

    @Test
    void boxWrittenInPieces_asTheSinkDoes_isStillOneLine() {
        var bytes = END_OF_LIFE_BOX.getBytes(StandardCharsets.UTF_8);
        for (var i = 0; i < bytes.length; i += 7) {
            stderr.write(bytes, i, Math.min(7, bytes.length - i));
            stderr.flush();
        }

        assertThat(seen()).startsWith("NOTE (jsii): Node 20 is end-of-life").doesNotContain("!!").hasLineCount(1);
    }

    @Test
    void otherOutput_passesUnchanged_evenWithExclamationMarks() {
        stderr.println("[WARNING] aws-cdk-lib.aws_lambda.FunctionOptions#logRetention is deprecated.");
        stderr.println("!! not a box !!");
        stderr.print("ERROR: partial line");

        assertThat(seen()).isEqualTo("[WARNING] aws-cdk-lib.aws_lambda.FunctionOptions#logRetention is deprecated.\n"
                + "!! not a box !!\nERROR: partial line");
    }
}
