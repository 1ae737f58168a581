package dev.adjoint.processor.random;

import static dev.adjoint.Derivative.HESSIAN;
import static dev.adjoint.Derivative.TANGENT;

import dev.adjoint.Derivative;
import dev.adjoint.processor.random.Ast.For;
import dev.adjoint.processor.random.Ast.ForEach;
import dev.adjoint.processor.random.Ast.If;
import dev.adjoint.processor.random.Ast.Method;
import dev.adjoint.processor.random.Ast.Param;
import dev.adjoint.processor.random.Ast.Program;
import dev.adjoint.processor.random.Ast.Stmt;
import dev.adjoint.processor.random.Ast.While;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which {@code @Differentiable(also = ...)} derivatives each method of a random program asks for: those its program
 * requests ({@link Program#also()}) that the processor generates for a method like it. The rules follow the documented
 * limits (README, "More than the gradient"; docs/DIAGNOSTICS.md), so that a program is never rejected for asking what
 * the processor does not offer and loses its gradient check with it.
 */
final class Also {
  /** Everything: what a program requests unless told otherwise. */
  static final Set<Derivative> ALL = Set.copyOf(EnumSet.of(TANGENT, HESSIAN));

  /**
   * The documented messages of a derivative the processor does not generate for a method like this one (README, "More
   * than the gradient"): a Matrix parameter or a vector-valued method (ADJ114, ADJ115), and what forward mode does not
   * support yet (ADJ202, ADJ209 "... in forward mode ..."). Not ADJ219 (a callee without TANGENT): every callee here
   * asks for it.
   */
  private static final Pattern UNSUPPORTED = Pattern.compile("\\[ADJ11[45]\\]|\\[ADJ20[29]\\][^\\n]* in forward mode");

  private static final Pattern DIAGNOSTIC =
      Pattern.compile("^(ERROR|WARNING|MANDATORY_WARNING) line .*", Pattern.MULTILINE);

  private static final Pattern CALL = Pattern.compile("Invoke\\[method=(h\\d+)");

  private Also() {}

  /**
   * What {@code method} of {@code program} asks for besides its gradient, in the order of {@link Derivative} (HESSIAN
   * only with TANGENT: a program asking for HESSIAN alone asks for nothing).
   */
  static Set<Derivative> of(Program program, Method method) {
    Set<Derivative> result = EnumSet.noneOf(Derivative.class);
    if (!program.also().contains(TANGENT) || !tangent(program, method)) {
      return result;
    }
    result.add(TANGENT);
    if (program.also().contains(HESSIAN) && hessian(program, method)) {
      result.add(HESSIAN);
    }
    return result;
  }

  /**
   * Whether {@code method} asks for forward mode: every method does whose callees have it too (ADJ219), but a
   * vector-valued main method, whose {@code DualVector} the checker does not read.
   */
  private static boolean tangent(Program program, Method method) {
    if (method.vector() && method == program.main()) {
      return false;
    }
    return callees(program, method).stream().allMatch(callee -> callee != null && tangent(program, callee));
  }

  /** Whether {@code method} asks for Hessians: without Matrix parameters (ADJ114), all callees with them too (ADJ220). */
  private static boolean hessian(Program program, Method method) {
    if (method.params().stream().anyMatch(Param::matrix)) {
      return false;
    }
    return callees(program, method).stream().allMatch(callee -> callee != null && hessian(program, callee));
  }

  /** The helpers {@code method} calls, null for one that is missing (a shrinker's candidate may have removed it). */
  private static List<Method> callees(Program program, Method method) {
    List<Method> methods = new ArrayList<>();
    for (String name : callees(method)) {
      methods.add(program.helpers().stream().filter(h -> h.name().equals(name)).findFirst().orElse(null));
    }
    return methods;
  }

  /** The statements of a block and of all blocks nested in it. */
  static List<Stmt> statements(List<Stmt> block) {
    List<Stmt> all = new ArrayList<>();
    for (Stmt s : block) {
      all.add(s);
      if (s instanceof If i) {
        all.addAll(statements(i.then()));
        all.addAll(statements(i.els()));
      } else if (s instanceof For f) {
        all.addAll(statements(f.body()));
      } else if (s instanceof ForEach f) {
        all.addAll(statements(f.body()));
      } else if (s instanceof While w) {
        all.addAll(statements(w.body()));
      } else if (s instanceof Ast.Switch w) {
        w.cases().forEach(c -> all.addAll(statements(c.body())));
      }
    }
    return all;
  }

  /** The helpers {@code method} calls directly. */
  static Set<String> callees(Method method) {
    Set<String> names = new java.util.TreeSet<>();
    Matcher m = CALL.matcher(method.body().toString());
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** What the methods of the program ask for besides their gradients, together. */
  static Set<Derivative> asked(Program program) {
    Set<Derivative> all = EnumSet.noneOf(Derivative.class);
    program.helpers().forEach(m -> all.addAll(of(program, m)));
    all.addAll(of(program, program.main()));
    return all;
  }

  /**
   * Whether every diagnostic of a rejected program (as {@link Batch} reports them) is a documented message that a
   * derivative is not generated, in the program's own source: never a warning, an internal error, or an error in the
   * generated companion.
   */
  static boolean unsupported(String problem) {
    Matcher lines = DIAGNOSTIC.matcher(problem);
    boolean any = false;
    while (lines.find()) {
      String line = lines.group();
      if (!line.startsWith("ERROR") || line.contains("(generated ") || !UNSUPPORTED.matcher(line).find()) {
        return false;
      }
      any = true;
    }
    return any;
  }

  /** The annotation of a method asking for these derivatives. */
  static String annotation(Set<Derivative> also) {
    List<String> names = also.stream().map(Derivative::name).toList();
    return switch (names.size()) {
      case 0 -> "@Differentiable";
      case 1 -> "@Differentiable(also = " + names.get(0) + ")";
      default -> "@Differentiable(also = {" + String.join(", ", names) + "})";
    };
  }
}
