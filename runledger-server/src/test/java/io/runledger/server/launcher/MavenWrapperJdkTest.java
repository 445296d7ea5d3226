package io.runledger.server.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Maven wrapper runs Maven on a JDK 21+ even when the default {@code java} and
 * {@code JAVA_HOME} are older (as on a machine whose system Java is 17): the build shares
 * the tests out between two test JVMs only when Maven's own JVM can read their class files.
 */
class MavenWrapperJdkTest {
    private static final Path CHECKOUT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern JAVA_VERSION = Pattern.compile("Java version: (\\d+)");

    @Test
    void mavenRunsOnAJdk21OrNewerWhateverTheDefaultJavaIs() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(CHECKOUT.resolve("mvnw").toString(), "-B", "-v")
                .directory(CHECKOUT.toFile()).redirectErrorStream(true);
        String home = System.getProperty("user.home");
        pb.environment().clear();
        pb.environment().put("HOME", home); // where the wrapper keeps Maven
        pb.environment().put("PATH", "/usr/bin:/bin"); // the system java, whatever its version
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        Matcher m = JAVA_VERSION.matcher(output);
        assertThat(m.find()).as(output).isTrue();
        assertThat(Integer.parseInt(m.group(1))).as(output).isGreaterThanOrEqualTo(21);
    }
}
