package dev.adjoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method whose derivatives Adjoint generates at compile time.
 *
 * <p>For a method {@code m} of class {@code p.Models}, the annotation processor writes
 * {@code p.ModelsGrad} with a nested class {@code MGradient} (value plus one partial per
 * differentiated parameter), {@code MGradient m(params)}, {@code double m(params, MGradient into)}
 * and {@code double mPullback(params, double seed, MGradient into)}.
 *
 * <p>The method returns {@code double} (or {@code double[]} or a {@code Matrix}). It may be static,
 * or an instance method of a class or record that no subclass can override it in (a final method,
 * a final class, a record): the companion's methods are static and take the object first, as data
 * ({@code ModelsGrad.m(models, params)}), and the body reads its final fields. Its body may use the
 * subset of Java listed in the README; anything else is a compile error on the offending expression.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Differentiable {
  /**
   * Names of the parameters to differentiate. Empty (the default) means every parameter of a
   * differentiable type ({@code double}, {@code double[]}, {@code double[][]}); integer, long and
   * boolean parameters are data and are never differentiated. In an instance method, a final field
   * of the object is named {@code "this.field"}; fields are data unless named so, and the gradient
   * then has a partial named like the field.
   */
  String[] wrt() default {};

  /**
   * Derivatives to generate besides the gradient; see {@link Derivative}. Empty by default: the
   * gradient only.
   */
  Derivative[] also() default {};
}
