package io.runledger.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * docs/configuration.md against what the code declares, in both directions: every option of
 * {@code runledger serve} with its environment variable and default, every other variable
 * {@code serve} reads, and every command. An option added, renamed or dropped in the code
 * without the page (or the other way round) fails here, so the page cannot drift.
 */
class ConfigurationDocTest {
    private static final Path DOC = Path.of("..", "docs", "configuration.md");
    private static final Path SERVE_SOURCE = Path.of("src", "main", "java", "io", "runledger", "server", "cli",
            "ServeCommand.java");
    /** A picocli default that reads a variable: {@code ${env:NAME}} or {@code ${env:NAME:-default}}. */
    private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:([A-Z0-9_]+)(?::-([^}]*))?}");
    private static final Pattern GETENV = Pattern.compile("System\\.getenv\\(\"([A-Z0-9_]+)\"\\)");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    /** One row of the page's table of serve options: its first three cells. */
    record Documented(String option, String variable, String defaultCell) {
    }

    @Test
    void everyServeOptionIsDocumentedWithItsVariableAndDefault() throws IOException {
        Map<String, Documented> documented = new LinkedHashMap<>();
        for (List<String> cells : tableRows(section("## Options of `runledger serve`"))) {
            Documented row = new Documented(code(cells.get(0)), code(cells.get(1)), cells.get(2));
            assertThat(documented.put(row.option(), row)).as("%s is documented once", row.option()).isNull();
        }
        Map<String, OptionSpec> declared = serveOptions();

        assertThat(documented.keySet()).as("the options configuration.md documents for serve")
                .containsExactlyInAnyOrderElementsOf(declared.keySet());
        for (OptionSpec option : declared.values()) {
            String name = option.longestName();
            String raw = ((AnnotatedElement) option.userObject()).getAnnotation(Option.class).defaultValue();
            Matcher env = ENV_DEFAULT.matcher(raw);
            assertThat(env.matches()).as("%s takes its default from an environment variable, like every serve"
                    + " option (its default is %s)", name, raw).isTrue();
            Documented row = documented.get(name);
            assertThat(row.variable()).as("the environment variable of %s", name).isEqualTo(env.group(1));
            if (env.group(2) != null) {
                assertThat(row.defaultCell()).as("the default of %s", name).contains("`" + env.group(2) + "`");
            }
        }
    }

    @Test
    void everyOtherVariableServeReadsIsDocumentedAndNoneBesides() throws IOException {
        Set<String> read = new TreeSet<>();
        Matcher getenv = GETENV.matcher(Files.readString(SERVE_SOURCE));
        while (getenv.find()) {
            read.add(getenv.group(1));
        }
        Set<String> documented = new TreeSet<>();
        for (List<String> cells : tableRows(section("## Other environment variables"))) {
            if (cells.get(1).contains("`serve`")) {
                Matcher names = CODE.matcher(cells.get(0));
                while (names.find()) {
                    documented.add(names.group(1));
                }
            }
        }
        assertThat(read).as("ServeCommand reads variables besides its options' (a test that cannot fail is none)")
                .isNotEmpty();
        assertThat(documented).as("the variables configuration.md says serve reads besides its options")
                .containsExactlyInAnyOrderElementsOf(read);
    }

    @Test
    void everyCommandIsDocumentedAndNoneBesides() throws IOException {
        Set<String> documented = new TreeSet<>();
        for (List<String> cells : tableRows(section("## Other commands"))) {
            String command = code(cells.get(0));
            if (command.startsWith("runledger ")) {
                documented.add(command.substring("runledger ".length()));
            }
        }
        Set<String> declared = new TreeSet<>(new CommandLine(new Main()).getSubcommands().keySet());
        declared.remove("serve"); // the page's own section
        assertThat(documented).as("the commands configuration.md lists under Other commands")
                .containsExactlyInAnyOrderElementsOf(declared);
    }

    /** serve's options by their longest name, without --help and --version. */
    private static Map<String, OptionSpec> serveOptions() {
        Map<String, OptionSpec> options = new LinkedHashMap<>();
        for (OptionSpec o : new CommandLine(new ServeCommand()).getCommandSpec().options()) {
            if (!o.usageHelp() && !o.versionHelp()) {
                options.put(o.longestName(), o);
            }
        }
        return options;
    }

    /** The lines from {@code heading} to the next heading of the same level. */
    private static List<String> section(String heading) throws IOException {
        List<String> lines = Files.readAllLines(DOC);
        int start = lines.indexOf(heading);
        assertThat(start).as("configuration.md has the heading %s", heading).isNotNegative();
        List<String> section = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            section.add(line);
        }
        return section;
    }

    /** The cells of every table row of a section, without header and separator rows. */
    private static List<List<String>> tableRows(List<String> section) {
        List<List<String>> rows = new ArrayList<>();
        boolean header = true;
        for (String line : section) {
            if (!line.startsWith("|")) {
                header = true; // a new table starts with its header
                continue;
            }
            if (header || line.startsWith("| ---")) {
                header = false;
                continue;
            }
            List<String> cells = new ArrayList<>();
            for (String cell : line.substring(1).split("\\|")) {
                cells.add(cell.strip());
            }
            rows.add(cells);
        }
        assertThat(rows).as("the section has a table").isNotEmpty();
        return rows;
    }

    /** A cell that is one code span, e.g. {@code `--host`}, without the backticks. */
    private static String code(String cell) {
        Matcher m = CODE.matcher(cell);
        Set<String> spans = new LinkedHashSet<>();
        while (m.find()) {
            spans.add(m.group(1));
        }
        assertThat(spans).as("the cell '%s' names one thing in backticks", cell).hasSize(1);
        return spans.iterator().next();
    }
}
