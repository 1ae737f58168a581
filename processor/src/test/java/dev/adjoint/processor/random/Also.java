package dev.adjoint.processor.random;

import static dev.adjoint.Derivative.HESSIAN;
import static dev.adjoint.Derivative.TANGENT;

import dev.adjoint.Derivative;
import dev.adjoint.processor.random.Ast.ArrAssign;
import dev.adjoint.processor.random.Ast.ArrayRead;
import dev.adjoint.processor.random.Ast.DeclArrInit;
import dev.adjoint.processor.random.Ast.For;
import dev.adjoint.processor.random.Ast.ForEach;
import dev.adjoint.processor.random.Ast.ILit;
import dev.adjoint.processor.random.Ast.IVar;
import dev.adjoint.processor.random.Ast.If;
import dev.adjoint.processor.random.Ast.Method;
import dev.adjoint.processor.random.Ast.Neg;
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
 * limits (README, "More than the gradient"; docs/DIAGNOSTICS.md) and the processor's current gaps, each a named
 * constant, so that a program is never rejected for asking what the processor does not offer and loses its gradient
 * check with it. Each constant can also be set for one run, {@code -Dadjoint.random.hessianThroughCalls=true} and so
 * on, to see whether the processor now generates what it names before flipping it.
 */
final class Also {
  /**
   * HESSIAN of a method that calls other {@code @Differentiable} methods. The processor does not generate it yet (a
   * compile error); flip to {@code true} once it does ({@code -Dadjoint.random.hessianThroughCalls=true} tries it
   * without editing this file). Until then a method with calls asks for TANGENT only.
   */
  static final boolean HESSIAN_THROUGH_CALLS = false || Boolean.getBoolean("adjoint.random.hessianThroughCalls");

  /**
   * Forward mode through {@code Matrix} operations: they have no tangent rules yet ({@code [ADJ209] call to scale in
   * forward mode (its rule is a pullback; matrices have no tangent rules yet)}), so a method using matrices asks for
   * the gradient only. (A {@code Matrix} parameter is a documented limit of its own, {@code [ADJ114]}.)
   */
  static final boolean TANGENT_THROUGH_MATRIX_OPERATIONS =
      false || Boolean.getBoolean("adjoint.random.tangentThroughMatrixOperations");

  /**
   * Forward mode through a call of a vector-valued method ({@code double[] a = h(x);}): the callee cannot have a
   * tangent ({@code [ADJ115]}), and the caller's forward mode rejects the call ({@code [ADJ202] ... in forward mode is
   * not supported}).
   */
  static final boolean TANGENT_THROUGH_VECTOR_CALLS =
      false || Boolean.getBoolean("adjoint.random.tangentThroughVectorCalls");

  /**
   * Forward mode through a call inside an array initialiser ({@code double[] a = {h0(x), x};}): the processor rejects
   * it with a wrong message, {@code [ADJ219] forward mode goes through h0 only if it has its own: add TANGENT},
   * although h0 has TANGENT ({@code ProcessorBugsTest.tangentOfACallInAnArrayInitialiser}, disabled). Flip when
   * fixed.
   */
  static final boolean TANGENT_OF_CALLS_IN_ARRAY_INITIALISERS =
      false || Boolean.getBoolean("adjoint.random.tangentOfCallsInArrayInitialisers");

  /**
   * Forward mode of an element store whose value reads the same array and whose tangent is not a plain read: {@code
   * a[0] = -a[0];} or {@code a[0] = a[k + 1];}. The generated tangent code does not compile: the tangent is saved in a
   * temporary of the array's type, {@code double[] daNew = -da[0];} ({@code incompatible types: double cannot be
   * converted to double[]}; {@code ProcessorBugsTest.tangentOfAnElementStoreReadingItsOwnArray}, disabled). Flip when
   * fixed.
   */
  static final boolean TANGENT_OF_ELEMENT_STORES_READING_THEIR_ARRAY =
      false || Boolean.getBoolean("adjoint.random.tangentOfElementStoresReadingTheirArray");

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
    if (program.also().contains(HESSIAN) && (HESSIAN_THROUGH_CALLS || callees(method).isEmpty())) {
      result.add(HESSIAN);
    }
    return result;
  }

  /**
   * Whether the processor generates a tangent for {@code method}: a scalar method (ADJ115) without Matrix parameters
   * (ADJ114), and, while forward mode lacks them, without matrices or calls of vector-valued methods, and all of whose
   * callees have tangents themselves (ADJ219).
   */
  private static boolean tangent(Program program, Method method) {
    if (method.vector() || method.params().stream().anyMatch(Param::matrix)) {
      return false;
    }
    String body = method.body().toString();
    if (!TANGENT_THROUGH_MATRIX_OPERATIONS && (body.contains("DeclM[") || body.contains("MFilled["))) {
      return false;
    }
    if (!TANGENT_THROUGH_VECTOR_CALLS && body.contains("DeclArrCall[")) {
      return false;
    }
    if (!TANGENT_OF_CALLS_IN_ARRAY_INITIALISERS && statements(method.body()).stream()
        .anyMatch(s -> s instanceof DeclArrInit d && d.init().toString().contains("Invoke["))) {
      return false;
    }
    if (!TANGENT_OF_ELEMENT_STORES_READING_THEIR_ARRAY && statements(method.body()).stream()
        .anyMatch(Also::storeWithCompositeTangentOfItsArray)) {
      return false;
    }
    for (String callee : callees(method)) {
      // a shrinker's candidate may call a helper it removed: it is invalid, and printed only to be compared
      Method m = program.helpers().stream().filter(h -> h.name().equals(callee)).findFirst().orElse(null);
      if (m == null || !(m.vector() ? TANGENT_THROUGH_VECTOR_CALLS : tangent(program, m))) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code a[i] = e} where e reads a and its tangent is no plain read: a negation, or an element read at a computed
   * index (see {@link #TANGENT_OF_ELEMENT_STORES_READING_THEIR_ARRAY}).
   */
  private static boolean storeWithCompositeTangentOfItsArray(Stmt statement) {
    if (!(statement instanceof ArrAssign store) || store.op() != '=') {
      return false;
    }
    boolean readsItsArray = store.e().toString().contains("ArrayRead[array=" + store.name() + ",");
    boolean composite = store.e() instanceof Neg
        || store.e() instanceof ArrayRead read && !(read.index() instanceof ILit || read.index() instanceof IVar);
    return readsItsArray && composite;
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
