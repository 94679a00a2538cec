package dev.eventsourcery.sample.bank;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code java} block of the README compiles, together, against the modules as they are: each block is
 * a whole source file (package, imports, one top-level type), so the README cannot drift from the API. The
 * plain-Java example also runs.
 */
class ReadmeSnippetsTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Pattern BLOCK = Pattern.compile("^```java\\n(.*?)^```$", Pattern.DOTALL | Pattern.MULTILINE);
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern TYPE = Pattern.compile("^public (?:sealed |final |abstract )*(?:class|interface|record|enum) (\\w+)",
            Pattern.MULTILINE);

    @Test
    void everyJavaBlockIsACompleteSourceFileThatCompiles(@TempDir Path work) throws Exception {
        List<String> blocks = blocks();
        assertThat(blocks).as("java blocks in the README").hasSizeGreaterThanOrEqualTo(7);

        List<Path> sources = new ArrayList<>();
        for (String block : blocks) {
            Matcher packageName = PACKAGE.matcher(block);
            Matcher type = TYPE.matcher(block);
            assertThat(packageName.find()).as("a package declaration in:%n%s", block).isTrue();
            assertThat(type.find()).as("a public top-level type in:%n%s", block).isTrue();
            Path source = work.resolve("src").resolve(packageName.group(1).replace('.', File.separatorChar))
                    .resolve(type.group(1) + ".java");
            assertThat(source).as("two README blocks declare %s", source).doesNotExist();
            Files.createDirectories(source.getParent());
            Files.writeString(source, block);
            sources.add(source);
        }

        Path classes = Files.createDirectories(work.resolve("classes"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            boolean compiled = compiler.getTask(null, files, diagnostics, List.of("-classpath", classPath(), "-d",
                    classes.toString(), "-proc:none", "-Xlint:none"), null, files.getJavaFileObjectsFromPaths(sources))
                    .call();
            List<String> errors = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .map(d -> d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
                    .toList();
            assertThat(errors).isEmpty();
            assertThat(compiled).isTrue();
        }

        // the plain-Java example runs as printed
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ReadmeSnippetsTest.class.getClassLoader())) {
            Method main = loader.loadClass("com.example.plain.InMemoryExample").getMethod("main", String[].class);
            main.invoke(null, (Object) new String[0]);
        }
    }

    private static List<String> blocks() throws IOException {
        Matcher matcher = BLOCK.matcher(Files.readString(README));
        List<String> blocks = new ArrayList<>();
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        return blocks;
    }

    /** The test's own class path: Surefire passes it in a manifest-only jar, and names it here. */
    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null ? surefire : System.getProperty("java.class.path");
    }
}
