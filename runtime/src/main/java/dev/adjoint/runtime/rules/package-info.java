/**
 * The built-in derivative rules: {@link dev.adjoint.runtime.rules.MathRules} for {@code
 * java.lang.Math}, {@link dev.adjoint.runtime.rules.MatrixRules} (pullback form) and {@link
 * dev.adjoint.runtime.rules.MatrixTangentRules} (tangent form, for forward mode) for {@link
 * dev.adjoint.runtime.Matrix}, and {@link dev.adjoint.runtime.rules.SecondOrderRules} for the
 * derivatives of the Math rules. They use the public {@link dev.adjoint.DerivativeRule} annotation,
 * so they double as worked examples for users writing rules of their own.
 */
package dev.adjoint.runtime.rules;
