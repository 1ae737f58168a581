package dev.adjoint.processor;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import dev.adjoint.Derivative;
import dev.adjoint.processor.frontend.DifferentiableSignature;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;

/**
 * What one {@code @Differentiable} method asks of the pipeline: the method with its body's tree
 * and compilation unit, the names its companion uses, and the derivatives it wants besides the
 * gradient. A request is {@code implicit} for a helper, a method without the annotation that its
 * callers need differentiated (see {@link Helpers}), in the modes they need; {@code copiesPrimal}
 * when the companion cannot call the helper and holds a copy of it.
 */
record DerivativeRequest(
    ExecutableElement method,
    MethodTree tree,
    CompilationUnitTree unit,
    DifferentiableSignature signature,
    Set<Derivative> derivatives,
    boolean implicit,
    boolean copiesPrimal) {

  /** The request of a {@code @Differentiable} method. */
  DerivativeRequest(ExecutableElement method, MethodTree tree, CompilationUnitTree unit,
      DifferentiableSignature signature, Set<Derivative> derivatives) {
    this(method, tree, unit, signature, derivatives, false, false);
  }
}
