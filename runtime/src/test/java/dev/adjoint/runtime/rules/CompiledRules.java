package dev.adjoint.runtime.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.sun.source.util.JavacTask;
import dev.adjoint.DerivativeRule;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The {@link DerivativeRule} methods of a compiled rule class, as the processor sees them: read
 * from the class file with javac, since the annotation has CLASS retention and reflection cannot
 * see it. Shared by the structure tests of the rule classes.
 */
final class CompiledRules {
  private CompiledRules() {}

  /** A parameter of a rule: its name (the class is compiled with -parameters) and its type. */
  record RuleParameter(String name, String type) {}

  /** A rule: its method's name, modifiers and signature, and its annotation's values. */
  record Rule(
      String name,
      boolean publicStatic,
      List<RuleParameter> parameters,
      String returnType,
      String owner,
      String function,
      String wrt,
      boolean tangent) {

    List<String> parameterNames() {
      return parameters.stream().map(RuleParameter::name).toList();
    }

    /** The index of the parameter named by wrt; 0 when wrt is empty (a one-parameter function). */
    int wrtIndex() {
      return wrt.isEmpty() ? 0 : parameterNames().indexOf(wrt);
    }

    /** The name of the parameter wrt names, also when wrt is empty. */
    String wrtName() {
      return parameters.get(wrtIndex()).name();
    }

    /** The function and the parameter the rule differentiates along, as {@code "times#a"}. */
    String key() {
      return function + "#" + wrtName();
    }
  }

  private static final Map<Class<?>, List<Rule>> CACHE = new HashMap<>();

  /**
   * The rules of {@code rulesClass}, in declaration order, after checking that they are exactly its
   * public methods.
   */
  static synchronized List<Rule> of(Class<?> rulesClass) {
    List<Rule> rules = CACHE.get(rulesClass);
    if (rules == null) {
      try {
        rules = read(rulesClass);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      CACHE.put(rulesClass, rules);
    }
    return rules;
  }

  private static List<Rule> read(Class<?> rulesClass) throws IOException {
    String classPath =
        Stream.of(rulesClass, DerivativeRule.class, RealMatrix.class)
            .map(CompiledRules::location)
            .distinct()
            .collect(Collectors.joining(File.pathSeparator));
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    assertNotNull(compiler, "the tests need a JDK");
    List<Rule> rules = new ArrayList<>();
    try (StandardJavaFileManager files = compiler.getStandardFileManager(null, null, null)) {
      JavacTask task =
          (JavacTask)
              compiler.getTask(
                  null,
                  files,
                  null,
                  // javac reads parameter names from a class file only under -parameters.
                  List.of("-proc:none", "-parameters", "-classpath", classPath),
                  null,
                  null);
      TypeElement type = task.getElements().getTypeElement(rulesClass.getName());
      assertNotNull(type, "javac finds " + rulesClass.getSimpleName() + " on " + classPath);
      for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
        for (AnnotationMirror annotation : method.getAnnotationMirrors()) {
          if (annotation.getAnnotationType().toString().equals(DerivativeRule.class.getName())) {
            rules.add(rule(method, valuesWithDefaults(task, annotation)));
          }
        }
      }
    }
    long publicMethods =
        Stream.of(rulesClass.getDeclaredMethods())
            .filter(m -> Modifier.isPublic(m.getModifiers()))
            .count();
    assertEquals(
        publicMethods,
        rules.size(),
        "every public method of " + rulesClass.getSimpleName() + " is a rule, and only those are");
    return List.copyOf(rules);
  }

  private static Map<String, Object> valuesWithDefaults(
      JavacTask task, AnnotationMirror annotation) {
    Map<String, Object> values = new TreeMap<>();
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry :
        task.getElements().getElementValuesWithDefaults(annotation).entrySet()) {
      values.put(entry.getKey().getSimpleName().toString(), entry.getValue().getValue());
    }
    return values;
  }

  private static Rule rule(ExecutableElement method, Map<String, Object> values) {
    return new Rule(
        method.getSimpleName().toString(),
        method.getModifiers().contains(javax.lang.model.element.Modifier.PUBLIC)
            && method.getModifiers().contains(javax.lang.model.element.Modifier.STATIC),
        method.getParameters().stream()
            .map(p -> new RuleParameter(p.getSimpleName().toString(), p.asType().toString()))
            .toList(),
        method.getReturnType().toString(),
        String.valueOf(values.get("owner")),
        String.valueOf(values.get("method")),
        String.valueOf(values.get("wrt")),
        (Boolean) values.get("tangent"));
  }

  private static String location(Class<?> type) {
    try {
      return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reflection helpers the rule tests share

  /** The public static methods a class declares. */
  static List<Method> publicStaticMethods(Class<?> type) {
    return Stream.of(type.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()))
        .toList();
  }

  /** The only public static method of {@code type} with this name. */
  static Method onlyPublicStaticMethod(Class<?> type, String name) {
    List<Method> found =
        publicStaticMethods(type).stream().filter(m -> m.getName().equals(name)).toList();
    assertEquals(
        1, found.size(), type.getSimpleName() + " has exactly one public method named " + name);
    return found.get(0);
  }

  static String capitalised(String name) {
    return Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }
}
