package io.github.dl4jgradmon;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the library's public API: every public type outside {@code io.github.dl4jgradmon.internal}, and its public
 * and protected members, against the committed list {@code api/public-api.txt}. A change to the API then shows in review as a change
 * to that file. After a deliberate change, regenerate it with
 * {@code mvn -pl dl4j-gradient-monitor test -Dtest=PublicApiTest -Dapi.write=true} and review the diff.
 */
class PublicApiTest {

    private static final Path LIST = Path.of("api/public-api.txt");

    @Test
    void publicApiMatchesTheCommittedList() throws IOException {
        String actual = String.join("\n", publicApi()) + "\n";
        if (Boolean.getBoolean("api.write")) {
            Files.createDirectories(LIST.getParent());
            Files.writeString(LIST, actual, StandardCharsets.UTF_8);
        }
        assertThat(LIST).as("the committed API list; regenerate it with "
                + "mvn -pl dl4j-gradient-monitor test -Dtest=PublicApiTest -Dapi.write=true").exists();
        String expected = Files.readString(LIST, StandardCharsets.UTF_8);
        assertThat(actual).as("the library's public API against %s (regenerate after a deliberate change: "
                + "mvn -pl dl4j-gradient-monitor test -Dtest=PublicApiTest -Dapi.write=true)", LIST)
                .isEqualTo(expected);
    }

    @Test
    void everyPublicTypeIsListed() throws IOException {
        List<String> api = publicApi();
        for (String type : new String[] {"final class io.github.dl4jgradmon.GradientMonitor :",
            "final record io.github.dl4jgradmon.stats.GradientSnapshot", "final class io.github.dl4jgradmon.detect.DetectorSuite :"}) {
            assertThat(api).as("the types users start from").anyMatch(l -> l.startsWith(type));
        }
        assertThat(api).as("package-private types are not API").noneMatch(l -> l.contains("WorkerRegistry"));
        assertThat(api).as("internal types are not API").noneMatch(l -> l.matches("^[a-z ]*io\\.github\\.dl4jgradmon\\.internal\\..*"));
    }

    /** One line per public type and one per public or protected member, sorted. */
    static List<String> publicApi() throws IOException {
        Path classes = Path.of("target/classes");
        TreeSet<String> out = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        for (Path file : files) {
            String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
            if (name.endsWith("package-info") || name.endsWith("module-info")
                    || name.startsWith("io.github.dl4jgradmon.internal.")) {
                continue;
            }
            Class<?> type;
            try {
                type = Class.forName(name, false, PublicApiTest.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalStateException("cannot load " + name, e);
            }
            if (!reachable(type)) {
                continue;
            }
            String typeName = type.getName().replace('$', '.');
            out.add(kindWithFinal(type) + " " + typeName + supertypes(type));
            for (Field f : type.getDeclaredFields()) {
                if (visible(f) && !f.isSynthetic()) {
                    out.add(typeName + " | " + Modifier.toString(f.getModifiers()) + " "
                            + f.getGenericType().getTypeName().replace('$', '.') + " " + f.getName());
                }
            }
            List<Executable> executables = new ArrayList<>(List.of(type.getDeclaredConstructors()));
            executables.addAll(List.of(type.getDeclaredMethods()));
            for (Executable e : executables) {
                if (visible(e) && !e.isSynthetic() && !(e instanceof Method m && m.isBridge())) {
                    out.add(typeName + " | " + signature(e));
                }
            }
        }
        return new ArrayList<>(out);
    }

    /** Public, and every enclosing type public too (a public nested type of a package-private class is not API). */
    private static boolean reachable(Class<?> type) {
        if (type.isAnonymousClass() || type.isLocalClass() || type.isSynthetic()) {
            return false;
        }
        for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
            if (!Modifier.isPublic(c.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(Member m) {
        int mod = m.getModifiers();
        if (Modifier.isPublic(mod)) {
            return true;
        }
        return Modifier.isProtected(mod) && !Modifier.isFinal(m.getDeclaringClass().getModifiers());
    }

    private static String kind(Class<?> type) {
        if (type.isAnnotation()) {
            return "annotation";
        }
        if (type.isInterface()) {
            return (type.isSealed() ? "sealed " : "") + "interface";
        }
        if (type.isEnum()) {
            return "enum";
        }
        if (type.isRecord()) {
            return "record";
        }
        String abs = Modifier.isAbstract(type.getModifiers()) ? "abstract " : "";
        return (type.isSealed() ? "sealed " : "") + abs + "class";
    }

    private static String kindWithFinal(Class<?> type) {
        boolean fin = Modifier.isFinal(type.getModifiers()) && !type.isEnum() && !type.isInterface();
        return (fin ? "final " : "") + kind(type);
    }

    private static String supertypes(Class<?> type) {
        List<String> parts = new ArrayList<>();
        if (type.getGenericSuperclass() != null && type.getSuperclass() != Object.class && !type.isEnum()
                && !type.isRecord()) {
            parts.add(type.getGenericSuperclass().getTypeName());
        }
        for (var i : type.getGenericInterfaces()) {
            parts.add(i.getTypeName());
        }
        return parts.isEmpty() ? "" : " : " + String.join(", ", parts).replace('$', '.');
    }

    private static String signature(Executable e) {
        String mods = Modifier.toString(e.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC
                | Modifier.ABSTRACT | Modifier.FINAL));
        List<String> params = new ArrayList<>();
        for (var p : e.getGenericParameterTypes()) {
            params.add(p.getTypeName());
        }
        String returns = e instanceof Method m ? m.getGenericReturnType().getTypeName() + " " : "";
        String name = e instanceof Constructor<?> ? e.getDeclaringClass().getSimpleName() : e.getName();
        return (mods + " " + returns + name + "(" + String.join(", ", params) + ")").strip().replace('$', '.');
    }
}
