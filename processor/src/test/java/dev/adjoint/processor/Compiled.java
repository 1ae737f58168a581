package dev.adjoint.processor;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Sources compiled in memory through the real processor, with the generated classes loaded, so
 * that tests call generated gradients as a user would.
 */
public final class Compiled {
  private final Compilation compilation;
  private final ClassLoader loader;
  private final Map<String, byte[]> classFiles;

  private Compiled(Compilation compilation) {
    this.compilation = compilation;
    Map<String, byte[]> classes = new HashMap<>();
    for (JavaFileObject file : compilation.generatedFiles()) {
      if (file.getKind() == JavaFileObject.Kind.CLASS) {
        String name = file.getName().replaceFirst("^/CLASS_OUTPUT/", "").replace(".class", "").replace('/', '.');
        try (InputStream in = file.openInputStream()) {
          classes.put(name, in.readAllBytes());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    this.classFiles = Map.copyOf(classes);
    this.loader = new ClassLoader(Compiled.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
      }
    };
  }

  /** Compiles {@code name} (a qualified class name) with its source; fails the test on any error or warning. */
  public static Compiled compile(String name, String source) {
    return compileAll(Map.of(name, source));
  }

  public static Compiled compileAll(Map<String, String> sources) {
    List<JavaFileObject> files = sources.entrySet().stream()
        .map(e -> JavaFileObjects.forSourceString(e.getKey(), e.getValue())).toList();
    Compilation compilation = javac()
        .withProcessors(new AdjointProcessor())
        .withOptions("-Xlint:all", "-Werror")
        .compile(files);
    String problems = compilation.diagnostics().stream()
        .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
        .map(d -> d.getKind() + " line " + d.getLineNumber() + ": " + d.getMessage(null))
        .collect(Collectors.joining("\n"));
    assertEquals("", problems, () -> "generated code:\n" + generatedSources(compilation));
    return new Compiled(compilation);
  }

  public static String generatedSources(Compilation compilation) {
    if (compilation.status() != Compilation.Status.SUCCESS) {
      return "(compilation failed)";
    }
    StringBuilder text = new StringBuilder();
    for (JavaFileObject file : compilation.generatedSourceFiles()) {
      try {
        text.append(file.getCharContent(true)).append('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return text.toString();
  }

  /** The compiled classes, by binary name ({@code p.ModelsGrad$Inner}), as class files. */
  public Map<String, byte[]> classFiles() {
    return classFiles;
  }

  public String generatedSources() {
    return generatedSources(compilation);
  }

  public Class<?> load(String name) {
    try {
      return loader.loadClass(name);
    } catch (ClassNotFoundException e) {
      throw new AssertionError("not generated: " + name + "\n" + generatedSources(), e);
    }
  }

  /** Calls the static method {@code name} of class {@code owner} with these arguments. */
  public Object call(String owner, String name, Object... arguments) {
    Class<?> type = load(owner);
    for (Method method : type.getDeclaredMethods()) {
      if (method.getName().equals(name) && method.getParameterCount() == arguments.length
          && accepts(method.getParameterTypes(), arguments)) {
        try {
          method.setAccessible(true);
          return method.invoke(null, arguments);
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        } catch (InvocationTargetException e) {
          throw new AssertionError("call failed: " + e.getCause() + "\n" + generatedSources(), e.getCause());
        }
      }
    }
    throw new AssertionError("no method " + name + Arrays.toString(arguments) + " in " + owner);
  }

  /** A new instance of the compiled class {@code className} (a record, say) by its only constructor. */
  public Object construct(String className, Object... arguments) {
    try {
      java.lang.reflect.Constructor<?> constructor = load(className).getDeclaredConstructors()[0];
      constructor.setAccessible(true);
      return constructor.newInstance(arguments);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** Reads the accessor {@code name} of a generated gradient object. */
  public static Object partial(Object gradient, String name) {
    try {
      return gradient.getClass().getMethod(name).invoke(gradient);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  public static double scalar(Object gradient, String name) {
    return (double) partial(gradient, name);
  }

  private static boolean accepts(Class<?>[] types, Object[] arguments) {
    for (int i = 0; i < types.length; i++) {
      Class<?> type = types[i];
      Object argument = arguments[i];
      boolean fits = type == double.class ? argument instanceof Double
          : type == int.class ? argument instanceof Integer
          : type == long.class ? argument instanceof Long
          : type == boolean.class ? argument instanceof Boolean
          : type.isInstance(argument);
      if (!fits) {
        return false;
      }
    }
    return true;
  }
}
