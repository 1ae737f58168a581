package dev.adjoint.runtime.rules;

import static dev.adjoint.runtime.rules.LinearAlgebraRules.lowerHalvedDiagonal;
import static dev.adjoint.runtime.rules.LinearAlgebraRules.lowerTriangle;
import static dev.adjoint.runtime.rules.LinearAlgebraRules.symmetricPart;
import static dev.adjoint.runtime.rules.LinearAlgebraRules.upperTriangle;

import dev.adjoint.DerivativeRule;
import dev.adjoint.runtime.LinearAlgebra;
import dev.adjoint.runtime.Matrix;

/**
 * Derivatives of the functions of {@link LinearAlgebra} in the tangent form ({@code tangent =
 * true}, forward mode), one for each rule of {@link LinearAlgebraRules}, with the same name; each
 * is the transpose of that pullback rule. For {@code l = cholesky(a)} the tangent is {@code dl =
 * l·Φ(l⁻¹·sym(da)·l⁻ᵀ)} (Φ the lower triangle with its diagonal halved); for {@code x = a⁻¹b} it
 * is {@code a⁻¹(db - da·x)}; for {@code log|det a|} it is {@code tr(a⁻¹·da)}; for eigenvalue i of
 * a symmetric a it is {@code vᵢᵀ·da·vᵢ}.
 */
public final class LinearAlgebraTangentRules {
  private LinearAlgebraTangentRules() {}

  /** l = chol(a) along a: l·Φ(l⁻¹·sym(da)·l⁻ᵀ). */
  @DerivativeRule(owner = LinearAlgebra.class, method = "cholesky", tangent = true)
  public static Matrix cholesky(Matrix a, Matrix value, Matrix da) {
    Matrix half = LinearAlgebra.solveLower(value, symmetricPart(da));
    Matrix whitened = LinearAlgebra.solveLower(value, half.transpose());
    return value.times(lowerHalvedDiagonal(whitened));
  }

  /** x = l⁻¹b along l: -l⁻¹·tril(dl)·x. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solveLower", wrt = "l", tangent = true)
  public static Matrix solveLowerL(Matrix l, Matrix b, Matrix value, Matrix dl) {
    return LinearAlgebra.solveLower(l, lowerTriangle(dl).times(value)).scale(-1);
  }

  /** x = l⁻¹b along b: l⁻¹db. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solveLower", wrt = "b", tangent = true)
  public static Matrix solveLowerB(Matrix l, Matrix b, Matrix value, Matrix db) {
    return LinearAlgebra.solveLower(l, db);
  }

  /** x = l⁻ᵀb along l: -l⁻ᵀ·tril(dl)ᵀ·x. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solveLowerTransposed", wrt = "l", tangent = true)
  public static Matrix solveLowerTransposedL(Matrix l, Matrix b, Matrix value, Matrix dl) {
    return LinearAlgebra.solveLowerTransposed(l, lowerTriangle(dl).transposedTimes(value)).scale(-1);
  }

  /** x = l⁻ᵀb along b: l⁻ᵀdb. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solveLowerTransposed", wrt = "b", tangent = true)
  public static Matrix solveLowerTransposedB(Matrix l, Matrix b, Matrix value, Matrix db) {
    return LinearAlgebra.solveLowerTransposed(l, db);
  }

  /** x = u⁻¹b along u: -u⁻¹·triu(du)·x. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solveUpper", wrt = "u", tangent = true)
  public static Matrix solveUpperU(Matrix u, Matrix b, Matrix value, Matrix du) {
    return LinearAlgebra.solveUpper(u, upperTriangle(du).times(value)).scale(-1);
  }

  /** x = u⁻¹b along b: u⁻¹db. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solveUpper", wrt = "b", tangent = true)
  public static Matrix solveUpperB(Matrix u, Matrix b, Matrix value, Matrix db) {
    return LinearAlgebra.solveUpper(u, db);
  }

  /** x = u⁻ᵀb along u: -u⁻ᵀ·triu(du)ᵀ·x. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solveUpperTransposed", wrt = "u", tangent = true)
  public static Matrix solveUpperTransposedU(Matrix u, Matrix b, Matrix value, Matrix du) {
    return LinearAlgebra.solveUpperTransposed(u, upperTriangle(du).transposedTimes(value)).scale(-1);
  }

  /** x = u⁻ᵀb along b: u⁻ᵀdb. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solveUpperTransposed", wrt = "b", tangent = true)
  public static Matrix solveUpperTransposedB(Matrix u, Matrix b, Matrix value, Matrix db) {
    return LinearAlgebra.solveUpperTransposed(u, db);
  }

  /** x = a⁻¹b along a: -a⁻¹·sym(da)·x. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solveSpd", wrt = "a", tangent = true)
  public static Matrix solveSpdA(Matrix a, Matrix b, Matrix value, Matrix da) {
    return LinearAlgebra.solveSpd(a, symmetricPart(da).times(value)).scale(-1);
  }

  /** x = a⁻¹b along b: a⁻¹db. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solveSpd", wrt = "b", tangent = true)
  public static Matrix solveSpdB(Matrix a, Matrix b, Matrix value, Matrix db) {
    return LinearAlgebra.solveSpd(a, db);
  }

  /** log det a along a: tr(a⁻¹·sym(da)) = ⟨a⁻¹, da⟩. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "logDeterminantSpd", tangent = true)
  public static double logDeterminantSpd(Matrix a, Matrix da) {
    return LinearAlgebra.solveSpd(a, symmetricPart(da)).trace();
  }

  /** xᵀa⁻¹x along a: -⟨w, sym(da)·w⟩ with w = a⁻¹x. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "inverseQuadraticForm", wrt = "a", tangent = true)
  public static double inverseQuadraticFormA(Matrix a, Matrix x, Matrix da) {
    Matrix w = LinearAlgebra.solveSpd(a, x);
    return -w.dot(symmetricPart(da).times(w));
  }

  /** xᵀa⁻¹x along x: 2⟨a⁻¹x, dx⟩. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "inverseQuadraticForm", wrt = "x", tangent = true)
  public static double inverseQuadraticFormX(Matrix a, Matrix x, Matrix dx) {
    return 2 * LinearAlgebra.solveSpd(a, x).dot(dx);
  }

  /** x = a⁻¹b along a: -a⁻¹·da·x. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solve", wrt = "a", tangent = true)
  public static Matrix solveA(Matrix a, Matrix b, Matrix value, Matrix da) {
    return LinearAlgebra.solve(a, da.times(value)).scale(-1);
  }

  /** x = a⁻¹b along b: a⁻¹db. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solve", wrt = "b", tangent = true)
  public static Matrix solveB(Matrix a, Matrix b, Matrix value, Matrix db) {
    return LinearAlgebra.solve(a, db);
  }

  /** x = a⁻ᵀb along a: -a⁻ᵀ·daᵀ·x. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solveTransposed", wrt = "a", tangent = true)
  public static Matrix solveTransposedA(Matrix a, Matrix b, Matrix value, Matrix da) {
    return LinearAlgebra.solveTransposed(a, da.transposedTimes(value)).scale(-1);
  }

  /** x = a⁻ᵀb along b: a⁻ᵀdb. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "solveTransposed", wrt = "b", tangent = true)
  public static Matrix solveTransposedB(Matrix a, Matrix b, Matrix value, Matrix db) {
    return LinearAlgebra.solveTransposed(a, db);
  }

  /** y = a⁻¹ along a: -y·da·y. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "inverse", tangent = true)
  public static Matrix inverse(Matrix a, Matrix value, Matrix da) {
    return value.times(da).times(value).scale(-1);
  }

  /** log|det a| along a: tr(a⁻¹·da). */
  @DerivativeRule(owner = LinearAlgebra.class, method = "logDeterminant", tangent = true)
  public static double logDeterminant(Matrix a, Matrix da) {
    return LinearAlgebra.solve(a, da).trace();
  }

  /** λ = eig(a) along a: the diagonal of vᵀ·da·v. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "symmetricEigenvalues", tangent = true)
  public static Matrix symmetricEigenvalues(Matrix a, Matrix da) {
    Matrix vectors = LinearAlgebra.symmetricEigenvectors(a);
    return LinearAlgebra.diagonal(vectors.transposedTimes(symmetricPart(da)).times(vectors));
  }

  /** diag(v) along v: diag(dv). */
  @DerivativeRule(owner = LinearAlgebra.class, method = "diag", tangent = true)
  public static Matrix diag(Matrix vector, Matrix dVector) {
    return LinearAlgebra.diag(dVector);
  }

  /** The diagonal of a along a: the diagonal of da. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "diagonal", tangent = true)
  public static Matrix diagonal(Matrix a, Matrix da) {
    return LinearAlgebra.diagonal(da);
  }

  /** x·yᵀ along x: dx·yᵀ. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "outer", wrt = "x", tangent = true)
  public static Matrix outerX(Matrix x, Matrix y, Matrix dx) {
    return LinearAlgebra.outer(dx, y);
  }

  /** x·yᵀ along y: x·dyᵀ. */
  @DerivativeRule(owner = LinearAlgebra.class, method = "outer", wrt = "y", tangent = true)
  public static Matrix outerY(Matrix x, Matrix y, Matrix dy) {
    return LinearAlgebra.outer(x, dy);
  }
}
