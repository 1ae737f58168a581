package dev.adjoint;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Written by Adjoint on each generated pullback method ({@code fPullback}): what a caller compiled
 * later needs to know of the original method {@code f}, read back from the companion's class file.
 * A class file compiled without {@code -parameters} has lost {@code f}'s parameter names, and with
 * them the meaning of its {@code wrt}; this keeps them. Not for use in hand-written code.
 */
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface DerivativeMetadata {
  /** The parameter names of the original method, in order. */
  String[] parameters();

  /** Per parameter, in order, whether it is differentiated. */
  boolean[] differentiated();

  /** The derivatives generated besides the gradient (the original method's {@code also}). */
  Derivative[] derivatives() default {};

  /**
   * Whether running the method again gives the same values and no new effects: false when it,
   * or what it calls, makes calls of unknown purity or reads static arrays. A caller's pullback
   * runs it again only when true.
   */
  boolean recomputable() default true;
}
