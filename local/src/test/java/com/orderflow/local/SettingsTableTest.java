package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's settings table and {@link Setting} say the same: every setting once, under its three names. */
class SettingsTableTest {

    private static final Pattern ROW = Pattern.compile("^\\| `(--[a-z0-9-]+)` \\| `([a-z0-9.]+)` \\| `([A-Z0-9_]+)`.*\\|$");

    @Test
    void everySettingHasOneRow_andEveryRowIsASetting() throws Exception {
        List<String[]> rows = Files.readAllLines(RunningStack.ROOT.resolve("README.md")).stream()
                .map(ROW::matcher).filter(java.util.regex.Matcher::matches)
                .map(m -> new String[] {m.group(1), m.group(2), m.group(3)}).toList();

        for (Setting setting : Setting.values()) {
            assertThat(rows).as("README row for %s", setting.option())
                    .filteredOn(row -> row[0].equals(setting.option())).singleElement()
                    .satisfies(row -> assertThat(row).containsExactly(setting.option(), setting.property(),
                            setting.environmentVariable()));
        }
        assertThat(rows).map(row -> row[0]).as("the table's rows, in the order --help lists them")
                .containsExactlyElementsOf(Arrays.stream(Setting.values()).map(Setting::option).toList());
    }
}
