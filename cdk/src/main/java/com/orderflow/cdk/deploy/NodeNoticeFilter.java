package com.orderflow.cdk.deploy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Stands between jsii and the terminal's stderr: jsii's boxed Node-version notice (seventeen lines of {@code !!},
 * printed when its Node process starts) becomes one line saying the same, e.g. {@code NOTE (jsii): Node 20 is
 * end-of-life ... Supported: ^24.0.0, ^22.0.0}; every other line passes unchanged.
 */
final class NodeNoticeFilter extends OutputStream {

    private static final Pattern BORDER = Pattern.compile("!{20,}");

    private final PrintStream terminal;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final List<String> box = new ArrayList<>();
    private boolean inBox;
    /** The box's closing border was the last line: the empty line that follows it is its spacing too. */
    private boolean justClosed;

    NodeNoticeFilter(PrintStream terminal) {
        this.terminal = terminal;
    }

    /** A stderr that filters through a new {@link NodeNoticeFilter} onto {@code terminal}. */
    static PrintStream around(PrintStream terminal) {
        return new PrintStream(new NodeNoticeFilter(terminal), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            handle(line.toString(StandardCharsets.UTF_8));
            line.reset();
        } else {
            line.write(b);
        }
    }

    @Override
    public synchronized void flush() {
        // a partial line waits for its end, unless it cannot be part of the notice
        if (!inBox && line.size() > 0 && !line.toString(StandardCharsets.UTF_8).startsWith("!")) {
            terminal.print(line.toString(StandardCharsets.UTF_8));
            line.reset();
        }
        terminal.flush();
    }

    @Override
    public synchronized void close() {
        if (line.size() > 0) {
            handle(line.toString(StandardCharsets.UTF_8));
            line.reset();
        }
        if (inBox) {
            // an unclosed box is not the notice: give back what was held
            box.forEach(terminal::println);
        }
        terminal.flush();
    }

    private void handle(String text) {
        var trimmed = text.strip();
        var closedBefore = justClosed;
        justClosed = false;
        if (BORDER.matcher(trimmed).matches()) {
            if (inBox) {
                terminal.println(summary());
                box.clear();
                justClosed = true;
            }
            inBox = !inBox;
            return;
        }
        if (closedBefore && trimmed.isEmpty()) {
            return;
        }
        if (!inBox) {
            terminal.println(text);
        } else if (trimmed.startsWith("!!")) {
            var content = trimmed.replaceAll("^!!\\s*", "").replaceAll("\\s*!!$", "");
            if (!content.isEmpty()) {
                box.add(content);
            }
        }
        // blank lines inside the box are its spacing
    }

    private String summary() {
        var supported = box.stream().filter(l -> l.startsWith("- ")).map(l -> l.substring(2).replaceAll(" \\(.*", ""))
                .toList();
        var said = box.stream().filter(l -> !l.startsWith("- ")).findFirst().orElse("a Node.js notice");
        return "NOTE (jsii): " + said + (supported.isEmpty() ? "" : " Supported: " + String.join(", ", supported) + ".")
                + " See the README's Set up for the Node versions that work.";
    }
}
