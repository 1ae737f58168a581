package dev.adjoint.processor.frontend;

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
}
