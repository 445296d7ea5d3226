package io.runledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape of the engine's code, read from its sources: the public package holds only the
 * entry point, feature packages do not depend on each other in a circle, and only the store
 * knows the database's column names.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/io/runledger/core");
    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT =
            Pattern.compile("^import (?:static )?(io\\.runledger\\.core[\\w.]*?)\\.[A-Z]\\w*[\\w.]*;", Pattern.MULTILINE);
    private static final Pattern COLUMN = Pattern.compile("^\\s+([a-z]+_[a-z_]+)\\s+[a-z]", Pattern.MULTILINE);
    private static final Pattern STRING = Pattern.compile("\"([a-z]+_[a-z_]+)\"");

    @Test
    void theCorePackageExportsOnlyTheEntryPoint() throws IOException {
        try (Stream<Path> files = Files.list(MAIN)) {
            assertThat(files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".java") && !n.equals("package-info.java")))
                    .containsExactly("RunLedger.java");
        }
    }

    @Test
    void packagesHaveNoCycles() {
        Map<String, Set<String>> imports = new HashMap<>();
        for (Path file : sources()) {
            String text = read(file);
            String pkg = match(PACKAGE, text);
            Matcher m = IMPORT.matcher(text);
            while (m.find()) {
                if (!m.group(1).equals(pkg)) {
                    imports.computeIfAbsent(pkg, k -> new TreeSet<>()).add(m.group(1));
                }
            }
        }
        List<String> cycles = new ArrayList<>();
        for (String start : imports.keySet()) {
            findCycles(start, new ArrayList<>(List.of(start)), imports, cycles);
        }
        assertThat(cycles).as("package cycles").isEmpty();
    }

    @Test
    void onlyTheStoreNamesColumns() {
        Set<String> columns = new HashSet<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            files.forEach(f -> {
                Matcher m = COLUMN.matcher(read(f));
                while (m.find()) {
                    columns.add(m.group(1));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(columns).contains("scope_id", "run_id", "last_seq", "lease_token");
        List<String> named = new ArrayList<>();
        for (Path file : sources()) {
            if (file.startsWith(MAIN.resolve("internal/store")) || file.startsWith(MAIN.resolve("internal/db"))) {
                continue;
            }
            Matcher m = STRING.matcher(read(file));
            while (m.find()) {
                if (columns.contains(m.group(1))) {
                    named.add(MAIN.relativize(file) + ": " + m.group(1));
                }
            }
        }
        assertThat(named).as("column names outside the store").isEmpty();
    }

    private static void findCycles(String at, List<String> path, Map<String, Set<String>> imports,
                                   List<String> cycles) {
        for (String next : imports.getOrDefault(at, Set.of())) {
            if (next.equals(path.get(0))) {
                cycles.add(String.join(" -> ", path) + " -> " + next);
            } else if (!path.contains(next) && next.compareTo(path.get(0)) > 0) {
                path.add(next);
                findCycles(next, path, imports, cycles);
                path.remove(path.size() - 1);
            }
        }
    }

    private static List<Path> sources() {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(p -> p.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String match(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : "";
    }
}
