package dev.adjoint.runtime.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.Ode;
import dev.adjoint.runtime.Quadrature;
import dev.adjoint.runtime.Roots;
import dev.adjoint.runtime.rules.CompiledRules.Rule;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The solvers' rule classes as the processor reads them: every public method a rule, and every
 * {@code double} or {@code double[]} parameter of every public overload with a pullback rule and
 * a tangent rule that take the function argument in its differentiable form.
 */
class SolverRulesStructureTest {
  private static final Map<Class<?>, List<Class<?>>> RULES = Map.of(
      Ode.class, List.of(OdeRules.class, OdeOptionsRules.class),
      Roots.class, List.of(RootsRules.class),
      Quadrature.class, List.of(QuadratureRules.class));

  @Test
  void everyDifferentiableParameterOfEveryOverloadHasAPullbackAndATangentRule() {
    for (Map.Entry<Class<?>, List<Class<?>>> entry : RULES.entrySet()) {
      TreeSet<String> expected = new TreeSet<>();
      for (Method function : CompiledRules.publicStaticMethods(entry.getKey())) {
        if (!function.getName().equals("solve") && !function.getName().equals("integrate")) {
          continue;
        }
        for (Parameter parameter : function.getParameters()) {
          if (parameter.getType() == double.class || parameter.getType() == double[].class) {
            expected.add(overload(function) + "#" + parameter.getName());
          }
        }
      }
      TreeSet<String> pullbacks = new TreeSet<>();
      TreeSet<String> tangents = new TreeSet<>();
      for (Class<?> rules : entry.getValue()) {
        for (Rule rule : CompiledRules.of(rules)) {
          assertTrue(rule.publicStatic(), rule.name());
          assertTrue(rule.parameters().get(0).type().contains("Differentiable"), rule.name() + " takes the D form");
          String key = rule.parameters().get(0).type().replaceAll(".*\\.Differentiable", "") + "/"
              + rule.parameters().stream().anyMatch(p -> p.type().endsWith("Options")) + "#" + rule.wrtName();
          (rule.tangent() ? tangents : pullbacks).add(key);
        }
      }
      assertEquals(expected, pullbacks, entry.getKey().getSimpleName() + " pullback rules");
      assertEquals(expected, tangents, entry.getKey().getSimpleName() + " tangent rules");
    }
  }

  /** The function interface's simple name and whether the overload takes options, as rule keys spell it. */
  private static String overload(Method function) {
    Class<?> functionType = function.getParameterTypes()[0];
    boolean options = List.of(function.getParameterTypes()).contains(Ode.Options.class);
    return functionType.getSimpleName() + "/" + options;
  }

  @Test
  void rulesAreNamedAfterTheirArgument() {
    for (List<Class<?>> classes : RULES.values()) {
      for (Class<?> rules : classes) {
        for (Rule rule : CompiledRules.of(rules)) {
          String suffix = CompiledRules.capitalised(rule.wrtName()) + (rule.tangent() ? "Tangent" : "");
          assertTrue(rule.name().endsWith(suffix), rule.name() + " ends with " + suffix);
        }
      }
    }
    assertEquals(List.of("solveInitialState", "solveInitialTime", "solveTimes", "solveParameters"),
        CompiledRules.of(OdeRules.class).stream().filter(rule -> !rule.tangent()).map(Rule::name)
            .collect(Collectors.toList()));
  }
}
