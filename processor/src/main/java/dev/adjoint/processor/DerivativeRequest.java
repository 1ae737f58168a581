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
 * gradient.
 */
record DerivativeRequest(
    ExecutableElement method,
    MethodTree tree,
    CompilationUnitTree unit,
    DifferentiableSignature signature,
    Set<Derivative> derivatives) {}
