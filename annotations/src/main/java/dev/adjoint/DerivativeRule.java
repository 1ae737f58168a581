package dev.adjoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that the annotated static method computes one partial derivative of another method,
 * so that {@link Differentiable} code may call that method without Adjoint looking into it.
 *
 * <p>Partial-derivative form: the rule takes the same parameters as the function, in the same
 * order, optionally followed by one more {@code double} that receives the function's value, and
 * returns the partial derivative with respect to the parameter named by {@link #wrt()} (a name
 * among the rule's own parameters). A function of one parameter needs no {@code wrt}.
 *
 * <pre>{@code
 * @DerivativeRule(owner = Gamma.class, method = "logGamma1p")
 * static double logGamma1pDerivative(double x) { return Gamma.digamma(1 + x); }
 *
 * @DerivativeRule(owner = Math.class, method = "exp")
 * static double exp(double x, double value) { return value; }
 * }</pre>
 *
 * <p>The built-in rules for {@code java.lang.Math} are written this way in the runtime class
 * {@code dev.adjoint.runtime.rules.MathRules}.
 *
 * <p>Pullback form, for functions of or into non-{@code double}s such as matrices: after the
 * arguments (and optionally the value) comes the {@code seed}, the adjoint of the result; the
 * rule returns the seed's contribution to the adjoint of {@code wrt}.
 *
 * <p>Tangent form, marked {@code tangent = true}, for forward mode: after the arguments (and
 * optionally the value) comes the tangent of {@code wrt}; the rule returns that tangent's
 * contribution to the tangent of the result (a Jacobian-vector product). Functions of
 * {@code double}s need none: forward mode multiplies their partials by the tangents.
 *
 * <pre>{@code
 * @DerivativeRule(owner = Matrix.class, method = "times", wrt = "a", tangent = true)
 * static Matrix timesA(Matrix a, Matrix b, Matrix da) { return da.times(b); }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface DerivativeRule {
  /** The class that declares the function; {@code void.class} means the rule's own class. */
  Class<?> owner() default void.class;

  /** The function's simple name. */
  String method();

  /** The rule's parameter the partial is taken with respect to; empty for one-parameter functions. */
  String wrt() default "";

  /** Whether the rule is in the tangent form (forward mode) rather than the partial or pullback form. */
  boolean tangent() default false;
}
