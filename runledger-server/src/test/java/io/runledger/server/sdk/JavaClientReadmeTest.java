package io.runledger.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.runledger.client.RunLedgerClient;
import io.runledger.client.Worker;
import io.runledger.server.testing.ServerTestBase;
import java.io.File;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * The README's Java client section: its program is compiled from the markdown against
 * runledger-client, runledger-api and Jackson only (what a project depending on the client
 * gets), run in its own JVM against a real server while a worker executes the run, and its
 * {@code <dependency>} snippet names the client module as its pom does.
 */
class JavaClientReadmeTest extends ServerTestBase {
    private static final Pattern CLIENT_CLASSPATH = Pattern.compile(
            ".*/(runledger-(client|api)/target/classes|runledger-(client|api)-[^/]*\\.jar"
                    + "|jackson-(core|databind|annotations)-[^/]*\\.jar)");

    @TempDir
    Path dir;

    @Test
    void theDocumentedProgramTriggersARunAndPrintsItsResult() throws Exception {
        Map<String, String> env = ShellWorkerReadmeTest.demoScope(server.server.url(), "summarize");
        String source = ShellWorkerReadmeTest.block("java-client", "java");
        Matcher name = Pattern.compile("public class (\\w+)").matcher(source);
        assertThat(name.find()).as(source).isTrue();
        Path file = Files.writeString(dir.resolve(name.group(1) + ".java"), source);
        String classpath = clientClasspath();

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean compiled = javac.getTask(diagnostics, null, null,
                List.of("--release", "21", "-Xlint:all", "-Werror", "-cp", classpath, "-d", dir.toString()), null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjects(file.toFile())).call();
        assertThat(compiled).as(diagnostics.toString()).isTrue();

        try (RunLedgerClient workerClient = RunLedgerClient.builder().url(env.get("RUNLEDGER_URL"))
                .key(env.get("RUNLEDGER_KEY")).build();
             Worker worker = Worker.builder(workerClient).scope("demo")
                     .handle("summarize", (ctx, input) -> JsonNodeFactory.instance.objectNode()
                             .put("words", input.path("text").asText().split("\\s+").length))
                     .build().start()) {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", dir + File.pathSeparator + classpath, name.group(1))
                    .directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process program = pb.start();
            String output = new String(program.getInputStream().readAllBytes());
            assertThat(program.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
            assertThat(program.exitValue()).as(output).isZero();

            List<String> lines = output.lines().toList();
            assertThat(lines).as(output).hasSize(2);
            assertThat(lines.get(0)).startsWith("triggered run_");
            assertThat(lines.get(1)).isEqualTo("SUCCEEDED {\"words\":4}");
            String runId = lines.get(0).substring("triggered ".length());
            JsonNode run = api.get(ShellWorkerReadmeTest.DEMO + "/runs/" + runId).json();
            assertThat(run.get("status").asText()).isEqualTo("succeeded");
            assertThat(run.get("workerId").asText()).isEqualTo(worker.workerId());
        }
    }

    @Test
    void theDependencySnippetNamesTheClientModule() throws Exception {
        String snippet = ShellWorkerReadmeTest.block("java-dependency", "xml");
        Element dependency = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(snippet.getBytes())).getDocumentElement();
        Element pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of("..", "runledger-client", "pom.xml").toFile()).getDocumentElement();
        Element parent = (Element) pom.getElementsByTagName("parent").item(0);

        assertThat(dependency.getTagName()).isEqualTo("dependency");
        assertThat(text(dependency, "groupId")).isEqualTo(text(parent, "groupId"));
        assertThat(text(dependency, "artifactId")).isEqualTo(directChild(pom, "artifactId"));
        assertThat(text(dependency, "version")).isEqualTo(text(parent, "version"));
    }

    /** The test class path's runledger-client, runledger-api and Jackson entries: nothing of the server or engine. */
    private static String clientClasspath() {
        List<String> entries = new ArrayList<>(Arrays.stream(System.getProperty("java.class.path")
                .split(File.pathSeparator)).filter(e -> CLIENT_CLASSPATH.matcher(e).matches()).toList());
        assertThat(entries).as(System.getProperty("java.class.path")).hasSize(5);
        return String.join(File.pathSeparator, entries);
    }

    private static String text(Element element, String tag) {
        return element.getElementsByTagName(tag).item(0).getTextContent().strip();
    }

    private static String directChild(Element element, String tag) {
        for (var n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e.getTextContent().strip();
            }
        }
        throw new AssertionError("no <" + tag + "> in " + element.getTagName());
    }
}
