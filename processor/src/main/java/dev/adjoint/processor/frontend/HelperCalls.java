package dev.adjoint.processor.frontend;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Type;
import java.util.List;
import javax.lang.model.element.ExecutableElement;

/**
 * How the calls of one body classify helpers: static methods of this compilation without
 * {@code @Differentiable} or a rule, which Adjoint differentiates automatically when it can.
 */
public interface HelperCalls {
  /**
   * The callee of {@code call}, which invokes {@code method}: {@link Callee.Differentiable} for a
   * helper Adjoint differentiates, {@link Callee.Opaque} (saying why) for one it cannot, null when
   * {@code method} is no helper (no source here, no parameter to differentiate, or a result that
   * is not a {@code double}, {@code double[]} or {@code Matrix}). {@code call} is a call, or, with
   * {@code asFunction}, a method reference passed to a function with rules, which needs the helper's tangent.
   */
  Callee callee(Tree call, ExecutableElement method, List<Type> parameterTypes, Type returnType, boolean asFunction);

  /**
   * The body of {@code method} when its calls run it in place, inlined into the caller: a helper
   * that returns nothing, or writes into an array it is given (an out-parameter), whose effects on
   * the caller's arrays the caller's analyses then see as its own writes. Null for other methods.
   */
  default Body inlinedBody(ExecutableElement method) {
    return null;
  }

  /**
   * A helper's source: its tree and compilation unit, and what in it (with its line) stops it from
   * running in place, or null.
   */
  record Body(MethodTree tree, CompilationUnitTree unit, String problem) {}
}
