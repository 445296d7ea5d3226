package io.runledger.server.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code ./runledger} launcher of the repository root, run for real (through a symlink, by
 * bash and by the system's POSIX sh) in a copy of the checkout whose {@code mvnw} and JDKs are
 * stand-ins that record how they were called: which JDK it picks, when it builds the jar, and
 * that it runs the jar with the arguments as given in the caller's directory.
 */
class LauncherScriptTest {
    private static final Path SCRIPT = Path.of("..", "runledger").toAbsolutePath().normalize();
    /** Where the launcher (and the Maven wrapper) look for a JDK. */
    private static final Path FIND_JDK = Path.of("..", ".mvn", "find-jdk").toAbsolutePath().normalize();

    @TempDir
    Path tmp;
    private Path repo;
    private Path home;
    private Path work;
    private Path bin;
    private Path log;
    private Path jar;

    @BeforeEach
    void aCheckoutWithStandIns() throws IOException {
        repo = Files.createDirectories(tmp.resolve("checkout"));
        home = Files.createDirectories(tmp.resolve("home"));
        work = Files.createDirectories(tmp.resolve("somewhere else"));
        bin = Files.createDirectories(tmp.resolve("bin"));
        log = tmp.resolve("calls.log");
        Files.copy(SCRIPT, repo.resolve("runledger"));
        executable(repo.resolve("runledger"));
        Files.createDirectories(repo.resolve(".mvn"));
        Files.copy(FIND_JDK, repo.resolve(".mvn/find-jdk"));
        executable(repo.resolve(".mvn/find-jdk"));
        Files.createSymbolicLink(bin.resolve("runledger"), Path.of("..", "checkout", "runledger"));
        jar = repo.resolve("runledger-server/target/runledger.jar");
        Files.writeString(repo.resolve("pom.xml"), "<project/>");
        Files.createDirectories(repo.resolve("runledger-server/src/main/java"));
        Files.writeString(repo.resolve("runledger-server/pom.xml"), "<project/>");
        Files.writeString(repo.resolve("runledger-server/src/main/java/Main.java"), "class Main {}");
        // The stand-in for the Maven wrapper records its call and writes the jar.
        script(repo.resolve("mvnw"), "{ echo \"mvnw JAVA_HOME=$JAVA_HOME cwd=$PWD\"; for a in \"$@\"; do"
                + " echo \"mvnw arg=$a\"; done; } >> '" + log + "'\n"
                + "[ -z \"${FAIL_BUILD:-}\" ] || exit 3\n"
                + "mkdir -p runledger-server/target && echo jar > runledger-server/target/runledger.jar\n");
        sourcesAt(Instant.now().minusSeconds(3600));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "sh"})
    void buildsTheMissingJarThenRunsItWithTheArgumentsInTheCallersDirectory(String shell) throws Exception {
        Path jdk = jdk(home.resolve(".sdkman/candidates/java/99.0.1-x"), "99.0.1");

        Result r = launch(shell, null, List.of("trigger", "summarize", "--input", "{\"text\": \"two words\"}"));

        assertThat(r.exit).as(r.output).isZero();
        assertThat(calls()).containsExactly(
                "mvnw JAVA_HOME=" + jdk + " cwd=" + repo.toRealPath(),
                "mvnw arg=-B", "mvnw arg=-q", "mvnw arg=-DskipTests", "mvnw arg=package",
                "java " + jdk + " cwd=" + work.toRealPath(),
                "java arg=-jar", "java arg=" + repo.toRealPath().resolve("runledger-server/target/runledger.jar"),
                "java arg=trigger", "java arg=summarize", "java arg=--input", "java arg={\"text\": \"two words\"}");
        assertThat(r.output).contains("runledger: building");
    }

    @Test
    void passesRunledgerJavaOptsToTheJvmBeforeTheJar() throws Exception {
        Path jdk = jdk(home.resolve(".sdkman/candidates/java/99.0.1-x"), "99.0.1");

        Result r = launch("sh", null, List.of("serve"), Map.of("RUNLEDGER_JAVA_OPTS", "-Xmx2g -Dx=y"));

        assertThat(r.exit).as(r.output).isZero();
        assertThat(calls()).containsSubsequence("java " + jdk + " cwd=" + work.toRealPath(),
                "java arg=-Xmx2g", "java arg=-Dx=y", "java arg=-jar");
    }

    @Test
    void buildsAgainOnlyWhenAPomOrASourceIsNewerThanTheJar() throws Exception {
        jdk(home.resolve(".jdks/temurin-99"), "99");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "jar");

        assertThat(launch("bash", null, List.of("--version")).exit).isZero();
        assertThat(calls()).noneMatch(c -> c.startsWith("mvnw")).anyMatch(c -> c.equals("java arg=--version"));

        Files.setLastModifiedTime(repo.resolve("runledger-server/src/main/java/Main.java"),
                FileTime.from(Instant.now().plusSeconds(60)));
        Files.delete(log);
        assertThat(launch("bash", null, List.of("--version")).exit).isZero();
        assertThat(calls()).filteredOn(c -> c.startsWith("mvnw JAVA_HOME=")).hasSize(1);

        sourcesAt(Instant.now().minusSeconds(3600));
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now()));
        Files.setLastModifiedTime(repo.resolve("pom.xml"), FileTime.from(Instant.now().plusSeconds(60)));
        Files.delete(log);
        assertThat(launch("bash", null, List.of("--version")).exit).isZero();
        assertThat(calls()).filteredOn(c -> c.startsWith("mvnw JAVA_HOME=")).hasSize(1);
    }

    @Test
    void aFailedBuildStartsNothing() throws Exception {
        jdk(home.resolve(".jdks/temurin-99"), "99");

        Result r = launch("bash", null, List.of("serve"), Map.of("FAIL_BUILD", "1"));

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.output).contains("the build failed");
        assertThat(calls()).noneMatch(c -> c.startsWith("java "));
    }

    @Test
    void onAJdk25OrNewerServeRecordsTheAotCacheOncePerBuildAndEveryCommandStartsFromIt() throws Exception {
        Path jdk = jdk(home.resolve(".jdks/temurin-99"), "99.0.3");
        aBuiltJar();
        Path cache = cacheFor(jdk, "");

        Result first = launch("sh", null, List.of("serve"));

        assertThat(first.exit).as(first.output).isZero();
        assertThat(first.output).contains("recording the JVM's AOT cache");
        assertThat(calls()).containsSubsequence(
                "java " + jdk + " cwd=" + work.toRealPath(), "java arg=-jar", "java arg=aot-training",
                "java " + jdk + " cwd=" + work.toRealPath(), "java arg=-XX:AOTCache=" + cache, "java arg=-jar",
                "java arg=serve");
        assertThat(calls()).anyMatch(c -> c.startsWith("java arg=-XX:AOTCacheOutput=" + cache + "."));
        assertThat(cache).exists();

        Files.delete(log);
        assertThat(launch("bash", null, List.of("serve")).exit).isZero();
        assertThat(launch("bash", null, List.of("--version")).exit).isZero();
        assertThat(calls()).noneMatch(c -> c.equals("java arg=aot-training"))
                .filteredOn(c -> c.equals("java arg=-XX:AOTCache=" + cache)).hasSize(2);

        // a new build: the old cache is not used, and the next serve records a new one
        Files.setLastModifiedTime(cache, FileTime.from(Instant.now().minusSeconds(120)));
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
        Files.delete(log);
        assertThat(launch("bash", null, List.of("--version")).exit).isZero();
        assertThat(calls()).noneMatch(c -> c.startsWith("java arg=-XX:AOT"));
        assertThat(launch("bash", null, List.of("serve")).exit).isZero();
        assertThat(calls()).contains("java arg=aot-training", "java arg=-XX:AOTCache=" + cache);
    }

    @Test
    void serveHasTheJitCompileTheTrainedMethodsEagerlyWhenTheJdkHasTheOption() throws Exception {
        Path jdk = jdk(home.resolve(".jdks/temurin-99"), "99");
        aBuiltJar();
        Path cache = cacheFor(jdk, "");
        List<String> eager = List.of("java arg=-XX:+UnlockExperimentalVMOptions", "java arg=-XX:+AOTCompileEagerly");

        assertThat(launch("bash", null, List.of("serve")).exit).isZero();
        List<String> calls = calls();
        List<String> training = calls.subList(0, calls.indexOf("java arg=aot-training"));
        List<String> serving = calls.subList(calls.indexOf("java arg=aot-training"), calls.size());
        assertThat(training).containsAll(eager); // trained as it is used
        assertThat(serving).containsSubsequence("java arg=-XX:AOTCache=" + cache, eager.get(0), eager.get(1),
                "java arg=-jar", "java arg=serve");

        Files.delete(log);
        assertThat(launch("bash", null, List.of("--version")).exit).isZero(); // not for short commands
        assertThat(calls()).contains("java arg=-XX:AOTCache=" + cache).doesNotContainAnyElementsOf(eager);

        Files.delete(log);
        assertThat(launch("bash", null, List.of("serve"), Map.of("RUNLEDGER_AOT", "cache")).exit).isZero();
        assertThat(calls()).contains("java arg=-XX:AOTCache=" + cache, "java arg=serve")
                .doesNotContainAnyElementsOf(eager);

        Result bad = launch("bash", null, List.of("serve"), Map.of("RUNLEDGER_AOT", "yes"));
        assertThat(bad.exit).isEqualTo(2);
        assertThat(bad.output).contains("RUNLEDGER_AOT is 'yes'; it may be on (the default), cache or off");
    }

    @Test
    void aJdkWithoutTheEagerCompilationStillGetsTheCache() throws Exception {
        Path jdk = jdk(home.resolve(".jdks/temurin-99"), "99");
        aBuiltJar();
        Path cache = cacheFor(jdk, "");

        Result r = launch("bash", null, List.of("serve"), Map.of("NO_EAGER", "1"));

        assertThat(r.exit).as(r.output).isZero();
        assertThat(calls()).containsSubsequence("java arg=aot-training", "java arg=-XX:AOTCache=" + cache,
                "java arg=-jar", "java arg=serve").noneMatch(c -> c.contains("AOTCompileEagerly"));
    }

    @Test
    void theAotCacheIsRecordedWithTheJavaOptionsItIsUsedWith() throws Exception {
        Path jdk = jdk(home.resolve(".jdks/temurin-99"), "99");
        aBuiltJar();
        Path cache = cacheFor(jdk, "-Xmx1g");

        assertThat(launch("bash", null, List.of("serve"), Map.of("RUNLEDGER_JAVA_OPTS", "-Xmx1g")).exit).isZero();

        assertThat(calls()).containsSubsequence("java arg=-Xmx1g", "java arg=aot-training",
                "java arg=-Xmx1g", "java arg=-XX:AOTCache=" + cache, "java arg=serve");
        assertThat(calls()).anyMatch(c -> c.startsWith("java arg=-XX:AOTCacheOutput=" + cache + "."));
        Files.delete(log);
        assertThat(launch("bash", null, List.of("serve")).exit).isZero();
        assertThat(calls()).contains("java arg=aot-training"); // other options: a cache of their own
    }

    @Test
    void anotherJdkRecordsACacheOfItsOwnAndNeverGetsTheEagerOptionsItRefuses() throws Exception {
        Path jdk = jdk(home.resolve(".jdks/temurin-99"), "99");
        aBuiltJar();
        assertThat(launch("bash", null, List.of("serve")).exit).isZero();
        assertThat(calls()).contains("java arg=-XX:AOTCache=" + cacheFor(jdk, ""), "java arg=-XX:+AOTCompileEagerly");

        // JAVA_HOME now names another JDK 25+, one that refuses the eager option
        Path other = jdk(tmp.resolve("jdk-98"), "98.0.1");
        Files.delete(log);
        Result r = launch("bash", other, List.of("serve"), Map.of("NO_EAGER", "1"));

        assertThat(r.exit).as(r.output).isZero();
        assertThat(cacheFor(other, "")).isNotEqualTo(cacheFor(jdk, ""));
        assertThat(calls()).containsSubsequence("java " + other + " cwd=" + work.toRealPath(), "java arg=aot-training",
                "java " + other + " cwd=" + work.toRealPath(), "java arg=-XX:AOTCache=" + cacheFor(other, ""),
                "java arg=serve").noneMatch(c -> c.contains("AOTCompileEagerly"));
    }

    @Test
    void aFailedTrainingStartsWithoutTheCacheAndIsNotRepeatedUntilTheNextBuild() throws Exception {
        jdk(home.resolve(".jdks/temurin-99"), "99");
        aBuiltJar();

        Result r = launch("bash", null, List.of("serve"), Map.of("FAIL_TRAINING", "1"));

        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).contains("the AOT training failed");
        assertThat(calls()).contains("java arg=aot-training", "java arg=serve")
                .noneMatch(c -> c.startsWith("java arg=-XX:AOTCache="));
        Files.delete(log);
        assertThat(launch("bash", null, List.of("serve"), Map.of("FAIL_TRAINING", "1")).exit).isZero();
        assertThat(calls()).doesNotContain("java arg=aot-training").contains("java arg=serve");
        try (var target = Files.list(jar.getParent())) {
            assertThat(target.map(f -> f.getFileName().toString())).noneMatch(f -> f.matches(".*\\.aot\\.\\d+"));
        }
    }

    @Test
    void aotTrainingRecordsTheCacheAheadOfTimeAndStartsNothing() throws Exception {
        Path jdk = jdk(home.resolve(".jdks/temurin-99"), "99");
        aBuiltJar();
        Path cache = cacheFor(jdk, "");

        Result r = launch("bash", null, List.of("aot-training"), Map.of("FAIL_TRAINING", "1"));
        assertThat(r.exit).as(r.output).isEqualTo(1);
        assertThat(r.output).contains("the AOT training failed");
        Files.delete(log);

        r = launch("bash", null, List.of("aot-training")); // tried again, unlike serve after a failure
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).contains("the AOT cache of this build: " + cache);
        assertThat(calls()).filteredOn(c -> c.equals("java arg=aot-training")).hasSize(1);
        Files.delete(log);
        assertThat(launch("bash", null, List.of("aot-training")).exit).isZero();
        assertThat(calls()).isEmpty(); // already there: nothing runs

        Path javaHome = jdk(tmp.resolve("jdk-21"), "21.0.5");
        r = launch("bash", javaHome, List.of("aot-training"));
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.output).contains("needs a JDK 25 or newer (this one is 21)");
    }

    @Test
    void noAotCacheBeforeJdk25OrWithRunledgerAotOff() throws Exception {
        Path javaHome = jdk(tmp.resolve("jdk-21"), "21.0.5");
        aBuiltJar();
        assertThat(launch("bash", javaHome, List.of("serve")).exit).isZero();
        jdk(home.resolve(".jdks/temurin-99"), "99");
        assertThat(launch("bash", null, List.of("serve"), Map.of("RUNLEDGER_AOT", "off")).exit).isZero();

        assertThat(calls()).filteredOn(c -> c.equals("java arg=serve")).hasSize(2);
        assertThat(calls()).noneMatch(c -> c.startsWith("java arg=-XX:AOT") || c.equals("java arg=aot-training"));
    }

    @Test
    void takesJavaHomeWhenItIsAJdk21OrNewerEvenIfANewerOneIsInstalled() throws Exception {
        jdk(home.resolve(".sdkman/candidates/java/99-x"), "99");
        Path javaHome = jdk(tmp.resolve("jdk-21"), "21.0.5");

        assertThat(launch("bash", javaHome, List.of("--version")).exit).isZero();

        assertThat(calls()).contains("mvnw JAVA_HOME=" + javaHome + " cwd=" + repo.toRealPath())
                .anyMatch(c -> c.startsWith("java " + javaHome + " "));
    }

    @Test
    void passesOverAnOlderJavaHomeAndJavaOnThePathToTheNewestInstalledJdk() throws Exception {
        Path old = jdk(tmp.resolve("jdk-17"), "17.0.15");
        Files.createSymbolicLink(bin.resolve("java"), old.resolve("bin/java"));
        jdk(home.resolve(".sdkman/candidates/java/40-x"), "40");
        Path newest = jdk(home.resolve(".sdkman/candidates/java/99-x"), "99");
        jdk(home.resolve(".sdkman/candidates/java/8-x"), "1.8.0_442");

        assertThat(launch("bash", old, List.of("--version")).exit).isZero();

        assertThat(calls()).anyMatch(c -> c.startsWith("java " + newest + " "));
    }

    @Test
    void takesTheJavaOnThePathWhenItIsAJdk21OrNewer() throws Exception {
        jdk(home.resolve(".sdkman/candidates/java/99-x"), "99");
        Path onPath = jdk(tmp.resolve("jdk-22"), "22");
        Files.createSymbolicLink(bin.resolve("java"), onPath.resolve("bin/java"));

        assertThat(launch("bash", null, List.of("--version")).exit).isZero();

        assertThat(calls()).anyMatch(c -> c.startsWith("java " + onPath + " "));
    }

    private void aBuiltJar() throws IOException {
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "jar");
    }

    /** The AOT cache the launcher records for this JDK and value of RUNLEDGER_JAVA_OPTS. */
    private Path cacheFor(Path jdk, String javaOpts) throws Exception {
        String release = Files.readString(jdk.resolve("release")).replaceAll("\n+$", "");
        return repo.toRealPath().resolve("runledger-server/target/runledger-"
                + cksum(jdk + "\n" + release + "\n" + javaOpts) + ".aot");
    }

    /** What POSIX {@code cksum} prints first for {@code text}, as the launcher names its cache. */
    private static String cksum(String text) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "printf '%s' \"$1\" | cksum | cut -d ' ' -f 1", "sh", text).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor()).isZero();
        return out;
    }

    /** A stand-in JDK: {@code release}, {@code bin/javac} and a {@code bin/java} that records its calls. */
    private Path jdk(Path dir, String version) throws IOException {
        Files.createDirectories(dir.resolve("bin"));
        Files.writeString(dir.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        script(dir.resolve("bin/javac"), "exit 0\n");
        script(dir.resolve("bin/java"), "if [ \"$1\" = -XshowSettings:properties ]; then\n"
                + "  printf '    java.home = %s\\n' '" + dir + "' >&2; exit 0\n"
                + "fi\n"
                + "if [ \"$1\" = -version ]; then echo 'version " + version + "' >&2; exit 0; fi\n"
                // the launcher's question whether this JDK has the eager compilation of AOT profiles
                + "case \" $* \" in *' -version '*)\n"
                + "  case \" $* \" in *AOTCompileEagerly*) [ -z \"${NO_EAGER:-}\" ] || exit 1;; esac; exit 0;;\n"
                + "esac\n"
                + "{ echo \"java " + dir + " cwd=$PWD\"; for a in \"$@\"; do echo \"java arg=$a\"; done; } >> '"
                + log + "'\n"
                // as a JDK 25 does at exit: the cache a training run was asked to record
                + "for a in \"$@\"; do case $a in -XX:AOTCacheOutput=*)"
                + " [ -n \"${FAIL_TRAINING:-}\" ] && exit 1; echo aot > \"${a#-XX:AOTCacheOutput=}\";; esac; done\n");
        return dir;
    }

    private Result launch(String shell, Path javaHome, List<String> args) throws Exception {
        return launch(shell, javaHome, args, Map.of());
    }

    /** Runs the symlink on the PATH, {@code runledger <args>}, from another directory. */
    private Result launch(String shell, Path javaHome, List<String> args, Map<String, String> env) throws Exception {
        // bash through the script's own #! line; sh (dash on Debian) named explicitly.
        List<String> command = new ArrayList<>();
        if (shell.equals("sh")) {
            command.add("/bin/sh");
        }
        command.add(bin.resolve("runledger").toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        pb.environment().put("HOME", home.toString());
        if (javaHome != null) {
            pb.environment().put("JAVA_HOME", javaHome.toString());
        }
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        return new Result(p.exitValue(), output);
    }

    private List<String> calls() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private void sourcesAt(Instant time) throws IOException {
        try (var files = Files.walk(repo)) {
            for (Path f : files.toList()) {
                if (!Files.isSymbolicLink(f)) {
                    Files.setLastModifiedTime(f, FileTime.from(time));
                }
            }
        }
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body);
        executable(file);
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Result(int exit, String output) {}
}
