package dev.adjoint;

/**
 * Derivatives a {@link Differentiable} method may ask for besides its gradient, with
 * {@code @Differentiable(also = {TANGENT, HESSIAN})}. For a method {@code f} the companion then
 * has the methods named below.
 */
public enum Derivative {
  /**
   * Forward mode: {@code Dual fTangent(args, tangents)} gives the value and the directional
   * derivative along one tangent per differentiated parameter ({@code dx} for {@code x}, shaped like
   * it: a record's tangent is a record of the same type); a {@code double[]}-valued method returns a
   * {@code DualVector}, a {@code Matrix}-valued one a {@code DualMatrix}, and its {@code fJacobian}
   * then goes column by column in forward mode when the inputs are fewer than the outputs.
   */
  TANGENT,

  /**
   * Second order, forward over reverse: {@code double[] fHessianVector(args, directions)} gives
   * the Hessian times a direction and {@code double[][] fHessian(args)} the whole Hessian, over the
   * differentiated parameters flattened in order (arrays element by element). Implies
   * {@link #TANGENT}, and adds {@code fPullbackTangent}, through which the Hessians of methods
   * that call {@code f} go.
   */
  HESSIAN,

  /**
   * Derivatives of any order of a function of one {@code double} parameter, by Taylor-mode
   * arithmetic: {@code double[] fDerivatives(args, int order)} holds f, f', f'', ... up to
   * {@code order}.
   */
  TAYLOR
}
