/**
 * The built-in derivative rules: {@link dev.adjoint.runtime.rules.MathRules} for {@code
 * java.lang.Math} and {@link dev.adjoint.runtime.rules.MatrixRules} for {@link
 * dev.adjoint.runtime.Matrix}. They use the public {@link dev.adjoint.DerivativeRule} annotation,
 * so they double as worked examples for users writing rules of their own.
 */
package dev.adjoint.runtime.rules;
